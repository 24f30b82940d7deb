package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The baseline writer writes, byte for byte, what Jackson's streaming generator wrote before it
 * ({@link JacksonBaselineWriter}, kept here as the reference): files learned before and after are
 * the same, and so are their fingerprints and diffs.
 */
class BaselineWriterBytesTest {
  @Test
  void randomBaselinesWithHostileNames() throws IOException {
    RandomBaselines gen = new RandomBaselines(20261130L);
    for (int i = 0; i < 300; i++) {
      Baseline b = gen.next();
      assertSame(b, "run " + i);
    }
  }

  @Test
  void everyCharacterOfTheBasicPlaneAndSurrogatePairs() throws IOException {
    List<NameRecord> names = new ArrayList<>();
    StringBuilder s = new StringBuilder();
    for (int c = 0; c <= 0xffff; c++) {
      s.append((char) c);
      if (s.length() == 500 || c == 0xffff) {
        names.add(new NameRecord("10.0.0.1", "192.0.2.1", s.toString(), "sni", 1, 5, 6, 0));
        s.setLength(0);
      }
    }
    names.add(new NameRecord("10.0.0.1", "192.0.2.1", "pair \ud83d\ude00 end", "dns", 1, 5, 6, 0));
    names.add(new NameRecord("10.0.0.1", "192.0.2.1", "x".repeat(70_000), "dns", 1, 5, 6, 0));
    Baseline b =
        new Baseline(Baseline.SCHEMA, "t\u00e9st", 1L, 2L, null, null, null, names, List.of());
    assertSame(b, "every character");
  }

  @Test
  void extremeNumbersNullsSensorsUsersAndSummaries() throws IOException {
    long[] values = {
      0,
      1,
      9,
      10,
      99,
      100,
      999_999_999,
      1_000_000_000,
      4_294_967_295L,
      4_294_967_296L,
      999_999_999_999_999_999L,
      1_000_000_000_000_000_000L,
      Long.MAX_VALUE,
      -1,
      -10,
      -1_000_000_000,
      Long.MIN_VALUE + 1,
      Long.MIN_VALUE
    };
    List<Entry> entries = new ArrayList<>();
    List<SourceRecord> sources = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      long v = values[i];
      sources.add(
          new SourceRecord("zeek", "conn" + i + ".log", "ab" + i, v, v, v, i % 2 == 0 ? "" : "s"));
      if (v < 0) {
        continue; // an entry's counts are never negative
      }
      entries.add(
          new Entry(
              "10.0.0." + i,
              "2001:db8::" + i,
              i % 2 == 0 ? "tcp" : "132",
              i == 0 ? 65535 : i,
              i % 2 == 0,
              v,
              v,
              v,
              v,
              v,
              v,
              v,
              v,
              v,
              v,
              i % 3 == 0 ? List.of() : List.of("2024-01-15", "2024-01-16"),
              i % 3 == 0 ? List.of() : List.of(0, 9, 23),
              v,
              v,
              v,
              i % 4 == 0 ? null : (int) v));
    }
    List<SummaryRecord> summaries =
        List.of(
            new SummaryRecord(
                "10.0.0.1",
                "tcp",
                443,
                "fanout",
                9,
                1,
                2,
                3,
                4,
                5,
                "192.0.2.1",
                "192.0.2.9",
                List.of("192.0.2.1", "192.0.2.9")),
            new SummaryRecord(
                "10.0.0.2",
                "udp",
                53,
                "entry-limit",
                1,
                0,
                1,
                0,
                4,
                5,
                "\u00e9",
                "q\"\\",
                List.of()));
    Counters c = new Counters(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, Long.MAX_VALUE);
    Baseline b =
        new Baseline(
            Baseline.SCHEMA,
            "0.1.0",
            null,
            null,
            sources,
            c,
            entries,
            List.of(),
            List.of(),
            summaries);
    assertSame(b, "extremes");
    assertSame(Baseline.empty("0.1.0"), "empty");
  }

  @Test
  void layoutIsOneRecordPerLine() throws IOException {
    Baseline b = new RandomBaselines(7).next();
    String text = new String(written(b), StandardCharsets.UTF_8);
    int records = b.sources().size() + b.entries().size() + b.names().size();
    records += b.queries().size() + b.summaries().size();
    assertEquals(records + 1, text.split("\n", -1).length - 1, text);
  }

  private static void assertSame(Baseline b, String what) throws IOException {
    ByteArrayOutputStream jackson = new ByteArrayOutputStream();
    JacksonBaselineWriter.write(jackson, b);
    assertArrayEquals(jackson.toByteArray(), written(b), what);
  }

  private static byte[] written(Baseline b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BaselineWriter.write(out, b);
    return out.toByteArray();
  }
}
