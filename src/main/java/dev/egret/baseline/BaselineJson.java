package dev.egret.baseline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.egret.io.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The baseline file: versioned JSON, written atomically. A reader refuses a newer major schema
 * version, and reports a corrupt file with its name and the line and column of the error.
 */
public final class BaselineJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // A field added in a later minor version reads as 0 from an older file.
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private BaselineJson() {}

  public static void write(Path file, Baseline b) throws IOException {
    AtomicFile.write(file, out -> MAPPER.writeValue(nonClosing(out), b));
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
    try (InputStream in = Files.newInputStream(file)) {
      checkVersion(in, file.toString());
    }
    try (InputStream in = Files.newInputStream(file)) {
      Baseline b = MAPPER.readValue(in, Baseline.class);
      if (b == null) {
        throw new BaselineException(file + ": not a baseline (null)");
      }
      return b;
    } catch (JsonProcessingException e) {
      throw corrupt(file.toString(), e);
    } catch (BaselineException e) {
      throw new BaselineException(file + ": " + e.getMessage(), e);
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
