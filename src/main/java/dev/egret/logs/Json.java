package dev.egret.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * JSON lines: one object per line, read as a tree. Field readers throw {@link Bad} naming the field
 * and what it should have been, which the line loop turns into one malformed line.
 */
final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /**
   * ISO 8601 with an optional fraction and an offset as {@code +0100}, {@code +01:00} or {@code Z}:
   * Suricata writes {@code 2019-05-28T23:32:29.025256+0200}, Zeek's ISO option {@code
   * 2020-01-01T00:00:00.123456Z}.
   */
  private static final DateTimeFormatter ISO =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .toFormatter();

  /** A field that is missing or of the wrong type. */
  static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad(String message) {
      super(message, null, false, false);
    }
  }

  private Json() {}

  /** The object on one line; {@link Bad} when the line is not JSON or not an object. */
  static JsonNode object(byte[] b, int s, int e) throws Bad {
    JsonNode n;
    try {
      n = MAPPER.readTree(b, s, e - s);
    } catch (JsonProcessingException ex) {
      String m = ex.getOriginalMessage();
      int nl = m == null ? -1 : m.indexOf('\n');
      throw new Bad("not JSON (" + (nl < 0 ? m : m.substring(0, nl)) + ")");
    } catch (IOException ex) {
      throw new Bad("not JSON (" + ex.getMessage() + ")");
    }
    if (n == null || !n.isObject()) {
      throw new Bad("not a JSON object");
    }
    return n;
  }

  static String text(JsonNode o, String field) throws Bad {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new Bad(field + " is not a string");
    }
    return v.textValue();
  }

  static String required(JsonNode o, String field) throws Bad {
    String v = text(o, field);
    if (v == null) {
      throw new Bad("no " + field);
    }
    return v;
  }

  /** A non-negative integer; 0 when absent. */
  static long count(JsonNode o, String field) throws Bad {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new Bad(field + " is not a count");
    }
    return v.longValue();
  }

  /** A port 0-65535; {@code absent} when the field is missing. */
  static int port(JsonNode o, String field, int absent) throws Bad {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return absent;
    }
    if (!v.isIntegralNumber() || v.longValue() < 0 || v.longValue() > 65535) {
      throw new Bad(field + " is not a port");
    }
    return v.intValue();
  }

  /** An address into {@code out}; {@link Bad} when missing or not a literal address. */
  static void address(JsonNode o, String field, long[] out) throws Bad {
    String t = required(o, field);
    if (!Text.address(t, out)) {
      throw new Bad(field + " is not an address");
    }
  }

  /**
   * A time in nanoseconds since the epoch: seconds as a JSON number (Zeek's default, read as a
   * decimal so that microseconds survive) or an ISO 8601 string.
   */
  static long time(JsonNode o, String field) throws Bad {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      throw new Bad("no " + field);
    }
    if (v.isNumber()) {
      return seconds(v.decimalValue(), field);
    }
    if (v.isTextual()) {
      try {
        OffsetDateTime t = OffsetDateTime.parse(v.textValue(), ISO);
        long s = t.toEpochSecond();
        return Math.addExact(Math.multiplyExact(s, 1_000_000_000L), t.getNano());
      } catch (DateTimeParseException | ArithmeticException e) {
        throw new Bad(field + " is not a time");
      }
    }
    throw new Bad(field + " is not a time");
  }

  /** A duration in seconds (a JSON number) as nanoseconds; 0 when absent. */
  static long interval(JsonNode o, String field) throws Bad {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isNumber() || v.doubleValue() < 0) {
      throw new Bad(field + " is not an interval");
    }
    return seconds(v.decimalValue(), field);
  }

  private static long seconds(BigDecimal d, String field) throws Bad {
    try {
      return d.movePointRight(9).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
    } catch (ArithmeticException e) {
      throw new Bad(field + " is out of range");
    }
  }
}
