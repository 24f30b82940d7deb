package dev.egret.baseline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.Instantiatable;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.egret.io.AtomicFile;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * The baseline file: versioned JSON, gzip-compressed, written atomically and streamed both ways
 * (records are written and read one by one; no JSON tree is built). Each record of the entry, name,
 * query and source lists is on a line of its own, so an error names the line of the record at
 * fault. A reader takes compressed and plain JSON alike (told by content, never by name: files of
 * earlier versions are plain), refuses a newer major schema version, and reports a corrupt file
 * with its name and the line and column of the error. {@code egret baseline show} and {@code
 * export} are the readable views; {@code zcat baseline.json} gives the JSON itself.
 *
 * <p>Size: JSON repeats every field name per record, which gzip takes back: 123 bytes per entry on
 * the bench capture's baseline at the fastest level (names and queries included), 92 at level 6,
 * against about 1 KB as indented JSON.
 */
public final class BaselineJson {
  /** Deflate level: the fastest, as the baseline is rewritten at every learn and checkpoint. */
  static final int LEVEL = Deflater.BEST_SPEED;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .defaultPrettyPrinter(new RecordPerLine())
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // A field added in a later minor version reads as 0 from an older file.
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

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
          MAPPER.writeValue(nonClosing(gz), b);
          gz.finish();
        });
  }

  public static byte[] toBytes(Baseline b) {
    try {
      return MAPPER.writeValueAsBytes(b);
    } catch (JsonProcessingException e) {
      throw new BaselineException("cannot write baseline: " + e.getOriginalMessage(), e);
    }
  }

  public static Baseline read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new BaselineException(file + ": is a directory, not a baseline file");
    }
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    if (Files.size(file) == 0) {
      throw new BaselineException(file + ": empty file, not a baseline");
    }
    try (InputStream in = open(file)) {
      checkVersion(in, file.toString());
    } catch (EOFException | ZipException e) {
      throw compressed(file.toString(), e);
    }
    try (InputStream in = open(file)) {
      Baseline b = MAPPER.readValue(in, Baseline.class);
      if (b == null) {
        throw new BaselineException(file + ": not a baseline (null)");
      }
      return b;
    } catch (JsonProcessingException e) {
      throw corrupt(file.toString(), e);
    } catch (EOFException | ZipException e) {
      throw compressed(file.toString(), e);
    } catch (BaselineException e) {
      throw new BaselineException(file + ": " + e.getMessage(), e);
    }
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

  private static BaselineException compressed(String name, IOException e) {
    return new BaselineException(
        name
            + ": corrupt baseline: "
            + (e instanceof EOFException
                ? "compressed data cut short"
                : "compressed data damaged (" + e.getMessage() + ")"),
        e);
  }

  /**
   * Indents nothing but puts each element of the top-level lists on a line of its own: compact, and
   * an error's line number still says which record.
   */
  private static final class RecordPerLine extends MinimalPrettyPrinter
      implements Instantiatable<RecordPerLine> {
    private static final long serialVersionUID = 1L;
    private int depth;

    @Override
    public RecordPerLine createInstance() {
      return new RecordPerLine();
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
      depth++;
      super.writeStartObject(g);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int n) throws IOException {
      depth--;
      super.writeEndObject(g, n);
      if (depth == 0) {
        g.writeRaw('\n');
      }
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
      depth++;
      super.writeStartArray(g);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int n) throws IOException {
      depth--;
      super.writeEndArray(g, n);
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
      if (depth == 2) {
        g.writeRaw('\n');
      }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      super.writeArrayValueSeparator(g);
      if (depth == 2) {
        g.writeRaw('\n');
      }
    }
  }

  public static Baseline parse(byte[] json, String name) {
    try {
      checkVersion(new java.io.ByteArrayInputStream(json), name);
      return MAPPER.readValue(json, Baseline.class);
    } catch (JsonProcessingException e) {
      throw corrupt(name, e);
    } catch (IOException e) {
      throw new BaselineException(name + ": " + e.getMessage(), e);
    }
  }

  /** Reads only up to the schema version (written first) and refuses a newer major. */
  private static void checkVersion(InputStream in, String name) throws IOException {
    try (JsonParser p = new JsonFactory().createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BaselineException(name + ": not a baseline (expected a JSON object)");
      }
      if (p.nextToken() != JsonToken.FIELD_NAME || !"schemaVersion".equals(p.currentName())) {
        throw new BaselineException(name + ": not a baseline (no schemaVersion first)");
      }
      p.nextToken();
      String v = p.getValueAsString();
      int major;
      try {
        major = Integer.parseInt(v == null ? "" : v.split("\\.", 2)[0]);
      } catch (NumberFormatException e) {
        throw new BaselineException(name + ": bad schemaVersion \"" + v + "\"");
      }
      if (major > Baseline.SCHEMA_MAJOR) {
        throw new BaselineException(
            name
                + ": baseline schema "
                + v
                + " is newer than this egret reads ("
                + Baseline.SCHEMA
                + "); upgrade egret");
      }
    } catch (JsonProcessingException e) {
      throw corrupt(name, e);
    }
  }

  private static BaselineException corrupt(String name, JsonProcessingException e) {
    JsonLocation l = e.getLocation();
    String where = l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    String what = e.getOriginalMessage();
    if (e.getCause() instanceof BaselineException be) {
      what = be.getMessage();
    }
    int nl = what == null ? -1 : what.indexOf('\n');
    return new BaselineException(
        name + ": corrupt baseline" + where + ": " + (nl < 0 ? what : what.substring(0, nl)), e);
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
