package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parse(write(b)).equals(b)} over random baselines, in memory and through a file. */
class BaselineJsonRoundTripTest {
  private static final int RUNS = 200;

  @Test
  void bytesRoundTrip() {
    RandomBaselines gen = new RandomBaselines(20240301L);
    int names = 0;
    for (int i = 0; i < RUNS; i++) {
      Baseline b = gen.next();
      byte[] json = BaselineJson.toBytes(b);
      Baseline back = BaselineJson.parse(json, "run " + i);
      assertEquals(b, back, "run " + i);
      assertArrayEquals(json, BaselineJson.toBytes(back), "run " + i + ": same bytes again");
      names += b.names().size();
    }
    assertTrue(names > 500, "names generated: " + names);
  }

  @Test
  void fileRoundTrip(@TempDir Path dir) throws IOException {
    RandomBaselines gen = new RandomBaselines(7L);
    Path f = dir.resolve("state.json");
    for (int i = 0; i < RUNS; i++) {
      Baseline b = gen.next();
      BaselineJson.write(f, b);
      assertEquals(b, BaselineJson.read(f), "run " + i);
    }
    try (var files = Files.list(dir)) {
      assertEquals(List.of(f), files.toList(), "no temporary file left behind");
    }
  }

  @Test
  void hostileNamesSurviveExactly(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("b.json");
    for (String hostile : RandomBaselines.HOSTILE) {
      NameRecord n = new NameRecord("10.0.0.1", "192.0.2.1", hostile, "sni", 1, 5, 6, 0);
      QueryRecord q = new QueryRecord("10.0.0.1", hostile, 1, 0, 5, 6);
      Baseline b =
          new Baseline(Baseline.SCHEMA, "test", 1L, 2L, null, null, null, List.of(n), List.of(q));
      BaselineJson.write(f, b);
      Baseline back = BaselineJson.read(f);
      assertEquals(hostile, back.names().get(0).name());
      assertEquals(hostile, back.queries().get(0).name());
      String text = new String(unzip(f), StandardCharsets.UTF_8);
      assertTrue(text.chars().noneMatch(c -> c < 0x20 && c != '\n'), "raw control in " + text);
    }
  }

  @Test
  void emptyBaselineRoundTripsAndStartsWithSchemaVersion() {
    Baseline e = Baseline.empty("test");
    byte[] json = BaselineJson.toBytes(e);
    assertEquals(e, BaselineJson.parse(json, "empty"));
    String text = new String(json, StandardCharsets.UTF_8);
    assertTrue(
        text.replaceAll("\\s", "").startsWith("{\"schemaVersion\":\"" + Baseline.SCHEMA + "\""),
        text);
  }

  @Test
  void listsAreSortedWhateverTheInputOrder() {
    Baseline b = new RandomBaselines(99L).next();
    while (b.entries().size() < 3) {
      b = new RandomBaselines(b.entries().size() + 100L).next();
    }
    List<Entry> reversed = new java.util.ArrayList<>(b.entries());
    java.util.Collections.reverse(reversed);
    Baseline r =
        new Baseline(
            b.schemaVersion(),
            b.egretVersion(),
            b.windowStartNs(),
            b.windowEndNs(),
            b.sources(),
            b.counters(),
            reversed,
            b.names(),
            b.queries());
    assertEquals(b, r);
    assertArrayEquals(BaselineJson.toBytes(b), BaselineJson.toBytes(r));
  }

  /** The JSON inside a baseline file. */
  static byte[] unzip(Path f) throws IOException {
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(f))) {
      return in.readAllBytes();
    }
  }

  @Test
  void fileIsCompressedWithOneRecordPerLineAndPlainJsonStillReads(@TempDir Path dir)
      throws IOException {
    Path f = dir.resolve("b.json");
    RandomBaselines gen = new RandomBaselines(3L);
    Baseline b = gen.next();
    while (b.entries().size() < 20) {
      b = Baselines.merge(b, gen.next(), "test");
    }
    BaselineJson.write(f, b);
    byte[] raw = Files.readAllBytes(f);
    assertEquals(0x1f, raw[0] & 0xff);
    assertEquals(0x8b, raw[1] & 0xff);
    byte[] json = unzip(f);
    assertTrue(raw.length * 3 < json.length, raw.length + " compressed of " + json.length);
    List<String> lines = new String(json, StandardCharsets.UTF_8).lines().toList();
    long entryLines = lines.stream().filter(l -> l.startsWith("{\"host\":")).count();
    assertEquals(b.entries().size() + b.names().size() + b.queries().size(), entryLines);
    // A file of an earlier egret: plain, indented JSON.
    Path plain = dir.resolve("plain.json");
    Files.write(plain, BaselineJson.toBytes(b));
    assertEquals(b, BaselineJson.read(plain));
    assertEquals(b, BaselineJson.read(f));
    assertTrue(BaselineJson.looksLikeBaseline(f));
    assertTrue(BaselineJson.looksLikeBaseline(plain));
  }
}
