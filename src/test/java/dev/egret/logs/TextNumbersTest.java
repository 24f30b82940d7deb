package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Counts, ports and Zeek times as the log readers read them from a field in the middle of a line:
 * Zeek's unset markers, the largest values, and what is refused.
 */
class TextNumbersTest {
  private static byte[] line(String field) {
    return ("x" + field + "y").getBytes(StandardCharsets.ISO_8859_1);
  }

  private static long count(String field) {
    byte[] b = line(field);
    return Text.count(b, 1, b.length - 1);
  }

  private static long seconds(String field) {
    byte[] b = line(field);
    return Text.seconds(b, 1, b.length - 1);
  }

  private static int port(String field) {
    byte[] b = line(field);
    return Text.port(b, 1, b.length - 1);
  }

  @Test
  void countsAreDecimalDigitsAndTheUnsetMarkersAreZero() {
    assertEquals(0, count(""));
    assertEquals(0, count("-"));
    assertEquals(0, count("(empty)"));
    assertEquals(0, count("0"));
    assertEquals(4617, count("4617"));
    assertEquals(999_999_999_999_999_999L, count("999999999999999999"));
    assertEquals(Text.BAD, count("1000000000000000000"), "19 digits");
    assertEquals(Text.BAD, count("-1"));
    assertEquals(Text.BAD, count("1.5"));
    assertEquals(Text.BAD, count("12a"));
    assertEquals(Text.BAD, count("--"));
    assertEquals(Text.BAD, count("(void!)"), "not the marker, though as long");
    assertEquals(Text.BAD, count(" 1"));
  }

  @Test
  void timesAreSecondsWithAFractionAsNanoseconds() {
    assertEquals(0, seconds(""));
    assertEquals(0, seconds("-"));
    assertEquals(0, seconds("(empty)"));
    assertEquals(1_705_276_806_487_786_000L, seconds("1705276806.487786"));
    assertEquals(1_064_916_000L, seconds("1.064916"));
    assertEquals(500_000_000L, seconds(".5"));
    assertEquals(3_000_000_000L, seconds("3"));
    assertEquals(3_000_000_000L, seconds("3."));
    assertEquals(-1_500_000_000L, seconds("-1.5"));
    assertEquals(1_123_456_789L, seconds("1.1234567891"), "past nanoseconds: cut");
    assertEquals(Long.MAX_VALUE, seconds("9223372036.854775807"));
    assertEquals(Text.BAD, seconds("9223372036.854775808"), "past the year 2262");
    assertEquals(Text.BAD, seconds("100000000000"), "12 digits");
    assertEquals(Text.BAD, seconds("."));
    assertEquals(Text.BAD, seconds("-."));
    assertEquals(Text.BAD, seconds("--"));
    assertEquals(Text.BAD, seconds("1.2.3"));
    assertEquals(Text.BAD, seconds("1e5"));
    assertEquals(Text.BAD, seconds("-(empty)"));
  }

  @Test
  void portsAreZeroTo65535AndNothingElse() {
    assertEquals(0, port("0"));
    assertEquals(443, port("443"));
    assertEquals(65535, port("65535"));
    assertEquals(-1, port("65536"));
    assertEquals(-1, port("99999"));
    assertEquals(-1, port("000001"), "six digits");
    assertEquals(1, port("00001"));
    assertEquals(-1, port(""));
    assertEquals(-1, port("-"));
    assertEquals(-1, port("(empty)"));
    assertEquals(-1, port("-1"));
    assertEquals(-1, port("8O"));
  }

  private static final Pattern TIME = Pattern.compile("-?([0-9]{0,11})(\\.[0-9]*)?");

  /** What a time should read as, from its decimal value: nanoseconds, cut toward zero. */
  private static long expectedSeconds(String t) {
    if (t.isEmpty() || t.equals("-") || t.equals("(empty)")) {
      return 0;
    }
    var m = TIME.matcher(t);
    if (!m.matches() || !t.matches(".*[0-9].*")) {
      return Text.BAD;
    }
    String n =
        t.endsWith(".")
            ? t + "0"
            : t.startsWith(".") || t.startsWith("-.") ? t.replace(".", "0.") : t;
    BigDecimal ns = new BigDecimal(n).movePointRight(9).setScale(0, RoundingMode.DOWN);
    return ns.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0
        ? Text.BAD
        : ns.longValueExact();
  }

  @Test
  void timesOfEveryShapeReadAsTheirDecimalValue() {
    Random r = new Random(11);
    String chars = "0123456789012345678901234567890123456789.-x/:(";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder t = new StringBuilder();
      int shape = r.nextInt(4);
      if (shape == 0) { // Zeek's form: digits, a point, six decimals; now and then a stray byte
        int k = 1 + r.nextInt(11);
        for (int j = 0; j < k; j++) {
          t.append((char) ('0' + r.nextInt(10)));
        }
        t.append('.');
        for (int j = 0; j < 6; j++) {
          t.append((char) ('0' + r.nextInt(10)));
        }
        if (r.nextInt(4) == 0) {
          t.setCharAt(r.nextInt(t.length()), chars.charAt(r.nextInt(chars.length())));
        }
      } else {
        int len = r.nextInt(20);
        for (int j = 0; j < len; j++) {
          t.append(chars.charAt(r.nextInt(chars.length())));
        }
      }
      // Bytes before the field that the eight-at-a-time read may see, and must not count.
      String before = "1234567890123456".substring(r.nextInt(16));
      byte[] b = (before + t + "\t9").getBytes(StandardCharsets.ISO_8859_1);
      int s0 = before.length();
      assertEquals(
          expectedSeconds(t.toString()), Text.seconds(b, s0, s0 + t.length()), "\"" + t + "\"");
    }
  }
}
