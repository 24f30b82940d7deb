package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Baselines#merge} over random baselines with disjoint sources: commutative, associative,
 * with the empty baseline as identity; and a merge of baselines sharing a capture is refused.
 */
class BaselineMergeTest {
  private static final int RUNS = 200;
  private static final String V = "test";

  private static Baseline merge(Baseline a, Baseline b) {
    return Baselines.merge(a, b, V);
  }

  @Test
  void commutative() {
    RandomBaselines gen = new RandomBaselines(1L);
    int combined = 0;
    for (int i = 0; i < RUNS; i++) {
      Baseline a = gen.next();
      Baseline b = gen.next();
      Baseline ab = merge(a, b);
      assertEquals(ab, merge(b, a), "run " + i);
      combined += a.entries().size() + b.entries().size() - ab.entries().size();
    }
    assertTrue(combined > 100, "entries combined on a shared key: " + combined);
  }

  @Test
  void associative() {
    RandomBaselines gen = new RandomBaselines(2L);
    for (int i = 0; i < RUNS; i++) {
      Baseline a = gen.next();
      Baseline b = gen.next();
      Baseline c = gen.next();
      assertEquals(merge(merge(a, b), c), merge(a, merge(b, c)), "run " + i);
    }
  }

  @Test
  void emptyIsIdentity() {
    RandomBaselines gen = new RandomBaselines(3L);
    for (int i = 0; i < RUNS; i++) {
      Baseline a = gen.next();
      assertEquals(a, merge(a, Baseline.empty(V)), "run " + i);
      assertEquals(a, merge(Baseline.empty(V), a), "run " + i);
    }
  }

  @Test
  void countsAddAndTimesWiden() {
    RandomBaselines gen = new RandomBaselines(4L);
    for (int i = 0; i < RUNS; i++) {
      Baseline a = gen.next();
      Baseline b = gen.next();
      Baseline m = merge(a, b);
      assertEquals(
          sumFlows(a.entries()) + sumFlows(b.entries()), sumFlows(m.entries()), "run " + i);
      assertEquals(a.counters().plus(b.counters()), m.counters());
      assertEquals(a.sources().size() + b.sources().size(), m.sources().size());
      for (Entry e : m.entries()) {
        assertTrue(e.firstSeenNs() <= e.lastSeenNs() || e.flows() > 0);
        assertEquals(e.days().stream().sorted().distinct().toList(), e.days(), e.key());
      }
    }
  }

  private static long sumFlows(List<Entry> es) {
    return es.stream().mapToLong(Entry::flows).sum();
  }

  @Test
  void sharedEntryCombinesFieldByField() {
    Entry x =
        new Entry(
            "10.0.0.1",
            "8.8.8.8",
            "udp",
            53,
            false,
            3,
            2,
            1,
            0,
            3,
            300,
            2,
            200,
            100,
            200,
            List.of("2024-03-01", "2024-03-03"),
            List.of(1, 5),
            2,
            10,
            50L);
    Entry y =
        new Entry(
            "10.0.0.1",
            "8.8.8.8",
            "udp",
            53,
            true,
            4,
            1,
            1,
            2,
            4,
            400,
            1,
            100,
            50,
            150,
            List.of("2024-03-02", "2024-03-03"),
            List.of(5, 7),
            3,
            20,
            70L);
    Entry m = Baselines.mergeEntry(x, y);
    assertEquals(
        new Entry(
            "10.0.0.1",
            "8.8.8.8",
            "udp",
            53,
            true,
            7,
            3,
            2,
            2,
            7,
            700,
            3,
            300,
            50,
            200,
            List.of("2024-03-01", "2024-03-02", "2024-03-03"),
            List.of(1, 5, 7),
            5,
            30,
            120L),
        m);
  }

  @Test
  void sharedCaptureIsRefused() {
    Baseline a = new RandomBaselines(5L).next();
    while (a.sources().isEmpty()) {
      a = new RandomBaselines(a.entries().size() + 50L).next();
    }
    SourceRecord s = a.sources().get(0);
    Baseline b =
        new Baseline(
            Baseline.SCHEMA,
            V,
            null,
            null,
            List.of(new SourceRecord("file", "renamed.pcap", s.fingerprint(), 1, 2, 3)),
            null,
            null,
            null,
            null);
    Baseline fa = a;
    BaselineException e = assertThrows(BaselineException.class, () -> merge(fa, b));
    assertTrue(e.getMessage().contains("count it twice"), e.getMessage());
    assertTrue(e.getMessage().contains(s.fingerprint().substring(0, 12)), e.getMessage());
    assertThrows(BaselineException.class, () -> merge(b, fa));
    assertThrows(BaselineException.class, () -> merge(fa, fa));
  }

  @Test
  void stdinSourcesWithoutFingerprintNeverClash() {
    SourceRecord s = new SourceRecord("stdin", "-", "", 1, 2, 3);
    SourceRecord t = new SourceRecord("stdin", "-", "", 5, 6, 7);
    Baseline a = new Baseline(Baseline.SCHEMA, V, null, null, List.of(s), null, null, null, null);
    Baseline b = new Baseline(Baseline.SCHEMA, V, null, null, List.of(t), null, null, null, null);
    assertEquals(2, merge(a, b).sources().size());
  }
}
