package dev.egret.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where a field is in a JSON or YAML text (any format Jackson streams): the line and column of the
 * value at a path such as {@code entries, 3, destination}, found by one streaming pass, for error
 * messages. Used only once something is known to be wrong, so it costs nothing on a good file.
 */
public final class JsonPositions {
  private JsonPositions() {}

  /**
   * The line and column (1-based) of the field at {@code path} (its key, or a list item); when the
   * path ends early (a missing field), of the deepest object or list that was found; {0, 0} when
   * the text cannot be read.
   */
  public static long[] find(JsonFactory factory, byte[] content, List<Object> path) {
    return find(factory, () -> new ByteArrayInputStream(content), path);
  }

  /** As {@link #find(JsonFactory, byte[], List)}, streaming the text {@code content} opens. */
  public static long[] find(JsonFactory factory, Opener content, List<Object> path) {
    try (InputStream in = content.open();
        JsonParser p = factory.createParser(in)) {
      if (p.nextToken() == null) {
        return new long[2];
      }
      return descend(p, path, 0);
    } catch (IOException | RuntimeException e) {
      return new long[2];
    }
  }

  /** Opens the text again from its start: a file, decompressed bytes, a byte array. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  private static long[] descend(JsonParser p, List<Object> path, int depth) throws IOException {
    long[] here = position(p.currentTokenLocation());
    if (depth == path.size()) {
      return here;
    }
    Object want = path.get(depth);
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT && want instanceof String name) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String n = p.currentName();
        JsonLocation key = p.currentTokenLocation();
        p.nextToken();
        if (n.equals(name)) {
          // A field's own line is where its key is (a list or mapping value starts below it).
          return depth + 1 == path.size() ? position(key) : descend(p, path, depth + 1);
        }
        p.skipChildren();
      }
    } else if (t == JsonToken.START_ARRAY && want instanceof Integer index) {
      int i = 0;
      for (JsonToken e = p.nextToken(); e != null && e != JsonToken.END_ARRAY; e = p.nextToken()) {
        if (i++ == index) {
          return descend(p, path, depth + 1);
        }
        p.skipChildren();
      }
    }
    return here;
  }

  private static long[] position(JsonLocation l) {
    return l == null ? new long[2] : new long[] {l.getLineNr(), l.getColumnNr()};
  }
}
