package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowState;
import dev.egret.flow.InitiatorRule;
import dev.egret.net.Ip;
import dev.egret.net.Protocols;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learner's bounds: fan-out per port and the entry table are summarised, never unbounded. */
class LearnerLimitsTest {
  private static final long T0 = 1_709_284_500_000_000_000L;
  private static final long HOST = Ip.v4Lo(0x0a000005); // 10.0.0.5

  /** A SYN to 198.18.x.y that nothing answered. */
  private static FlowRecord syn(int dest, int port, long ts) {
    FlowKey k = new FlowKey(0, HOST, 40000, 0, Ip.v4Lo(0xc6120000 | dest), port, Protocols.TCP);
    return new FlowRecord(k, ts, ts, FlowState.ATTEMPTED, InitiatorRule.SYN, 1, 60, 0, 0);
  }

  private static Baseline learn(Limits limits, List<FlowRecord> flows, Learner[] out) {
    Learner l = new Learner(EgretConfig.defaults(), limits);
    flows.forEach(l::onFlow);
    out[0] = l;
    return l.snapshot("test", List.of(), 0, 0, 0, 0);
  }

  @Test
  void aHostFanningOutOnOnePortIsSummarisedPastTheFanout() {
    List<FlowRecord> flows = new java.util.ArrayList<>();
    for (int d = 0; d < 1000; d++) {
      flows.add(syn(d, 445, T0 + d));
    }
    flows.add(syn(7, 22, T0)); // another port: its own count
    Learner[] l = new Learner[1];
    Baseline b = learn(new Limits(1_000_000, 100, 1000), flows, l);
    assertEquals(101, b.entries().size());
    assertEquals(1, b.summaries().size());
    SummaryRecord s = b.summaries().get(0);
    assertEquals("10.0.0.5 tcp 445 fanout", s.key());
    assertEquals(900, s.flows());
    assertEquals(900, s.unanswered());
    assertEquals(0, s.answered() + s.rejected());
    assertEquals("198.18.0.100", s.lowest());
    assertEquals("198.18.3.231", s.highest());
    assertEquals(SummaryRecord.SAMPLE, s.sample().size());
    assertTrue(s.sample().contains("198.18.0.100"), s.sample().toString());
    assertEquals(T0 + 100, s.firstSeenNs());
    assertEquals(T0 + 999, s.lastSeenNs());
    assertFalse(l[0].entryLimitHit());
    assertEquals(1000 + 1, b.counters().egressFlows());
  }

  @Test
  void aFullEntryTableSummarisesNewKeysAndSaysSo() {
    List<FlowRecord> flows = new java.util.ArrayList<>();
    for (int port = 1; port <= 50; port++) {
      flows.add(syn(1, port, T0 + port));
      flows.add(syn(1, port, T0 + 100 + port)); // a second flow to a kept entry still counts
    }
    Learner[] l = new Learner[1];
    Baseline b = learn(new Limits(20, 1024, 1000), flows, l);
    assertEquals(20, b.entries().size());
    assertTrue(b.entries().stream().allMatch(e -> e.flows() == 2));
    assertEquals(30, b.summaries().size());
    assertTrue(b.summaries().stream().allMatch(s -> s.reason().equals("entry-limit")));
    assertEquals(60, b.summaries().stream().mapToLong(SummaryRecord::flows).sum());
    assertTrue(l[0].entryLimitHit());
    assertEquals(0, l[0].overflowFlows());
  }

  @Test
  void summariesRoundTripAndMerge(@TempDir Path dir) throws IOException {
    List<FlowRecord> flows = new java.util.ArrayList<>();
    for (int d = 0; d < 40; d++) {
      flows.add(syn(d, 445, T0 + d));
    }
    Learner[] l = new Learner[1];
    Baseline a = learn(new Limits(1000, 10, 1000), flows, l);
    Path f = dir.resolve("b.json");
    BaselineJson.write(f, a);
    assertEquals(a, BaselineJson.read(f));
    Baseline twice = Baselines.merge(a, a, "test");
    SummaryRecord s = twice.summaries().get(0);
    assertEquals(60, s.flows());
    assertEquals(a.summaries().get(0).sample(), s.sample());
    assertEquals("198.18.0.10", s.lowest());
    assertEquals("198.18.0.39", s.highest());
  }

  @Test
  void limitsFollowTheHeap() {
    assertEquals(262_144, Limits.forHeap(512L << 20).maxEntries());
    assertEquals(1_000_000, Limits.forHeap(6L << 30).maxEntries());
    assertEquals(1024, Limits.forHeap(1L << 20).maxEntries());
    assertThrows(IllegalArgumentException.class, () -> new Limits(0, 1, 1));
  }

  @Test
  void aSummaryWithABadReasonIsRefused() {
    BaselineException e =
        assertThrows(
            BaselineException.class,
            () ->
                new SummaryRecord(
                    "10.0.0.5", "tcp", 445, "other", 1, 0, 1, 0, 1, 2, "1.1.1.1", "1.1.1.1", null));
    assertEquals("summary reason must be fanout or entry-limit: other", e.getMessage());
  }
}
