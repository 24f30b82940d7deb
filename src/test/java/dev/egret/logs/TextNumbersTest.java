package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
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
}
