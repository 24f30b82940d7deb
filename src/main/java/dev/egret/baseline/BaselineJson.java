package dev.egret.baseline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.egret.io.AtomicFile;
import dev.egret.io.Escape;
import dev.egret.io.FieldChecks;
import dev.egret.io.FileKinds;
import dev.egret.io.InputException;
import dev.egret.io.JsonPositions;
import dev.egret.io.ReadErrors;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * The baseline file: versioned JSON, gzip-compressed, written atomically and streamed both ways:
 * {@link BaselineWriter} and {@link BaselineReader} write and read it record by record through
 * Jackson's streaming generator and parser, with no JSON tree, no object mapper and no reflection.
 * Each record of the entry, name, query, summary and source lists is on a line of its own, so an
 * error names the line of the record at fault. A reader takes compressed and plain JSON alike (told
 * by content, never by name: files of earlier versions are plain), refuses a newer major schema
 * version, checks every value ({@link BaselineChecks}) and reports a problem as one line with the
 * file, line, column and field; for a compressed file the line and column are those of the JSON
 * inside ({@code zcat}). {@code egret baseline show} and {@code export} are the readable views.
 *
 * <p>Size: JSON repeats every field name per record, which gzip takes back: 123 bytes per entry on
 * the bench capture's baseline at the fastest level (names and queries included), 92 at level 6,
 * against about 1 KB as indented JSON.
 */
public final class BaselineJson {
  /** Deflate level: the fastest, as the baseline is rewritten at every learn and checkpoint. */
  static final int LEVEL = Deflater.BEST_SPEED;

  /** Said after a position in a compressed file. */
  static final String IN_JSON = " (line and column of the JSON inside; zcat shows it)";

  private static final JsonFactory FACTORY = BaselineWriter.FACTORY;

  private BaselineJson() {}

  public static void write(Path file, Baseline b) throws IOException {
    AtomicFile.write(
        file,
        out -> {
          GZIPOutputStream gz =
              new GZIPOutputStream(nonClosing(out), 1 << 16) {
                {
                  def.setLevel(LEVEL);
                }
              };
          BaselineWriter.write(gz, b);
          gz.finish();
        });
  }

  public static byte[] toBytes(Baseline b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      BaselineWriter.write(out, b);
    } catch (IOException e) {
      throw new BaselineException("cannot write baseline: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  public static Baseline read(Path file) throws IOException {
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw new BaselineException(name + ": is a directory, not a baseline file");
    }
    if (!Files.exists(file)) {
      throw new NoSuchFileException(name);
    }
    boolean gz;
    try (InputStream in = Files.newInputStream(file)) {
      gz = isGzip(in.readNBytes(2));
    }
    return checked(name, gz, () -> open(file));
  }

  /** A baseline from bytes, compressed or not; {@code name} says where they came from. */
  public static Baseline parse(byte[] bytes, String name) {
    try {
      boolean gz = isGzip(bytes);
      return checked(
          name,
          gz,
          () -> {
            InputStream in = new ByteArrayInputStream(bytes);
            return gz ? new GZIPInputStream(in) : in;
          });
    } catch (IOException e) {
      throw new BaselineException(name + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** Reads and checks the JSON that {@code json} opens (twice: the version first, then all). */
  private static Baseline checked(String name, boolean gz, JsonPositions.Opener json)
      throws IOException {
    try {
      byte[] head;
      try (InputStream in = json.open()) {
        head = in.readNBytes(64);
      }
      FileKinds.expectBaseline(head, head.length, name, gz);
      try (InputStream in = json.open()) {
        checkVersion(in, name);
      }
      Baseline b;
      try (InputStream in = json.open();
          JsonParser p = FACTORY.createParser(in)) {
        b = BaselineReader.read(p, name);
      }
      try {
        BaselineChecks.check(b);
      } catch (InputException e) {
        throw place(e, b, json, name);
      }
      return b;
    } catch (EOFException | ZipException e) {
      throw new BaselineException(
          name
              + ": corrupt baseline: "
              + (e instanceof EOFException
                  ? "compressed data cut short"
                  : "compressed data damaged (" + e.getMessage() + ")"),
          e);
    } catch (InputException e) {
      String m = e.getMessage();
      boolean placed =
          m.startsWith(name + ":") && m.substring(name.length()).matches("(?s):\\d+:\\d+: .*");
      throw new BaselineException(gz && placed ? m + IN_JSON : m, e);
    }
  }

  private static boolean isGzip(byte[] b) {
    return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
  }

  /**
   * Whether a file is a baseline rather than a capture: its JSON (after gzip, when compressed)
   * starts with an object. Captures are never JSON, compressed or not.
   */
  public static boolean looksLikeBaseline(Path file) throws IOException {
    try (InputStream in = open(file)) {
      int c;
      do {
        c = in.read();
      } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
      return c == '{';
    } catch (EOFException | ZipException e) {
      return false;
    }
  }

  /** The file's JSON: through gzip when it starts with gzip's magic, else as it is. */
  private static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Reads only up to the schema version (written first) and refuses a newer major. */
  private static void checkVersion(InputStream in, String name) throws IOException {
    try (JsonParser p = FACTORY.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw InputException.file(name, 1, 1, "not a baseline (expected a JSON object)");
      }
      if (p.nextToken() != JsonToken.FIELD_NAME || !"schemaVersion".equals(p.currentName())) {
        JsonLocation l = p.currentTokenLocation();
        throw InputException.file(
            name, l.getLineNr(), l.getColumnNr(), "not a baseline (no schemaVersion first)");
      }
      p.nextToken();
      JsonLocation l = p.currentTokenLocation();
      String v = p.getValueAsString();
      int major;
      try {
        major = Integer.parseInt(v == null ? "" : v.split("\\.", 2)[0]);
      } catch (NumberFormatException e) {
        throw InputException.field(
                List.of("schemaVersion"),
                "expected major.minor such as "
                    + Baseline.SCHEMA
                    + ", found "
                    + FieldChecks.quote(v))
            .at(name, l.getLineNr(), l.getColumnNr());
      }
      if (major > Baseline.SCHEMA_MAJOR) {
        throw InputException.file(
            name,
            0,
            0,
            "baseline schema "
                + Escape.forTerminal(v)
                + " is newer than this egret reads ("
                + Baseline.SCHEMA
                + "); upgrade egret");
      }
    } catch (JsonProcessingException e) {
      throw ReadErrors.translate(e, name);
    }
  }

  /**
   * Places a problem found in the decoded baseline at its line in the file. The decoded lists are
   * sorted, so a record's index there is mapped back to its index in the file by its key, in one
   * more streaming pass (records are read one at a time, as on a good read).
   */
  private static InputException place(
      InputException e, Baseline b, JsonPositions.Opener json, String name) {
    List<Object> path = new ArrayList<>(e.path());
    try {
      if (path.size() >= 2
          && path.get(0) instanceof String list
          && path.get(1) instanceof Integer i) {
        List<String> keys = keys(b, list);
        if (keys != null && i < keys.size()) {
          String key = keys.get(i);
          int before = 0;
          for (int j = 0; j < i; j++) {
            before += keys.get(j).equals(key) ? 1 : 0;
          }
          int inFile = indexInFile(json, list, key, before);
          if (inFile >= 0) {
            path.set(1, inFile);
          }
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // Placing is best effort: the message still names the field.
    }
    long[] at = JsonPositions.find(FACTORY, json, path);
    return InputException.field(path, e.problem()).at(name, at[0], at[1]);
  }

  /** The index in the file's {@code list} of the record with {@code key} after {@code skip}. */
  private static int indexInFile(JsonPositions.Opener json, String list, String key, int skip)
      throws IOException {
    try (InputStream in = json.open();
        JsonParser p = FACTORY.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return -1;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        if (p.nextToken() != JsonToken.START_ARRAY || !field.equals(list)) {
          p.skipChildren();
          continue;
        }
        for (int j = 0; p.nextToken() == JsonToken.START_OBJECT; j++) {
          if (key.equals(keyOf(list, p)) && skip-- == 0) {
            return j;
          }
        }
        return -1;
      }
      return -1;
    }
  }

  private static List<String> keys(Baseline b, String list) {
    return switch (list) {
      case "entries" -> b.entries().stream().map(Entry::key).toList();
      case "names" -> b.names().stream().map(NameRecord::key).toList();
      case "queries" -> b.queries().stream().map(QueryRecord::key).toList();
      case "summaries" -> b.summaries().stream().map(SummaryRecord::key).toList();
      case "sources" -> b.sources().stream().map(SourceRecord::key).toList();
      default -> null;
    };
  }

  /** The key of the record {@code p} is at the start of, read to its end. */
  private static String keyOf(String list, JsonParser p) throws IOException {
    Map<String, String> n = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      if (t.isScalarValue()) {
        n.put(f, t == JsonToken.VALUE_NULL ? "null" : p.getText());
      } else {
        p.skipChildren();
      }
    }
    String[] fields =
        switch (list) {
          case "entries" -> new String[] {"host", "destination", "protocol", "port", "uid"};
          case "names" -> new String[] {"host", "address", "name", "source"};
          case "queries" -> new String[] {"host", "name"};
          case "summaries" -> new String[] {"host", "protocol", "port", "reason"};
          default -> new String[] {"kind", "name", "fingerprint", "firstNs"};
        };
    StringBuilder sb = new StringBuilder();
    for (String f : fields) {
      String v = n.getOrDefault(f, "null");
      if (f.equals("uid") && v.equals("null")) {
        continue; // an entry's user is in its key only when known
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(v);
    }
    return sb.toString();
  }

  private static java.io.OutputStream nonClosing(java.io.OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
