package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowState;
import dev.egret.flow.InitiatorRule;
import dev.egret.net.Ip;
import dev.egret.net.Protocols;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Intervals between connection starts are measured in time order, whatever order flows end in,
 * across several learners (files, checkpoints, sensors) merged into one baseline.
 */
class LearnerPeriodicityTest {
  private static final long T0 = Instant.parse("2024-03-01T09:15:00Z").toEpochMilli() * 1_000_000L;
  private static final long SEC = 1_000_000_000L;
  private static final FlowKey BEACON =
      new FlowKey(0, Ip.v4Lo(0x0a01_000a), 40000, 0, Ip.v4Lo(0xcb00_7119), 25, Protocols.TCP);

  /** A beacon every 30 s with up to 3 s of jitter either way; unanswered ones end 5 min later. */
  static List<FlowRecord> beacon(int n, long seed) {
    Random rnd = new Random(seed);
    List<FlowRecord> flows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long start = T0 + i * 30 * SEC + (long) ((rnd.nextDouble() * 2 - 1) * 3 * SEC);
      boolean answered = rnd.nextBoolean();
      long end = start + (answered ? SEC / 5 : 300 * SEC);
      flows.add(
          new FlowRecord(
              BEACON,
              start,
              end,
              answered ? FlowState.CLOSED : FlowState.ATTEMPTED,
              InitiatorRule.SYN,
              answered ? 5 : 3,
              300,
              answered ? 4 : 0,
              answered ? 900 : 0));
    }
    return flows;
  }

  /** Flows in the order they end, as the flow tracker emits them. */
  static List<FlowRecord> byEnd(List<FlowRecord> flows) {
    List<FlowRecord> out = new ArrayList<>(flows);
    out.sort((a, b) -> Long.compare(a.endNanos(), b.endNanos()));
    return out;
  }

  static Entry learn(List<List<FlowRecord>> parts) {
    Baseline merged = Baseline.empty("test");
    for (List<FlowRecord> part : parts) {
      Learner l = new Learner(EgretConfig.defaults());
      part.forEach(l::onFlow);
      merged = Baselines.merge(merged, l.snapshot("test", List.of(), 0, 0, 0, 0), "test");
    }
    assertEquals(1, merged.entries().size());
    return merged.entries().get(0);
  }

  @Test
  void aJitteredBeaconEndingOutOfOrderHasItsRealInterval() {
    List<FlowRecord> flows = beacon(200, 1);
    Entry e = learn(List.of(byEnd(flows)));
    assertEquals(199, e.gaps(), "every interval counted");
    assertEquals(30.0, e.meanGapSeconds(), 0.1);
    assertTrue(e.gapVariation() < 0.1, "cv " + e.gapVariation());
  }

  @Test
  void theSameStatisticsInAnyArrivalOrderWithinTheHold() {
    List<FlowRecord> flows = beacon(120, 2);
    Entry sorted = learn(List.of(flows));
    List<FlowRecord> shuffled = new ArrayList<>();
    // Shuffle within blocks of 16: flows of one entry ending up to 16 places out of order.
    for (int i = 0; i < flows.size(); i += 16) {
      List<FlowRecord> block = new ArrayList<>(flows.subList(i, Math.min(flows.size(), i + 16)));
      Collections.shuffle(block, new Random(i));
      shuffled.addAll(block);
    }
    Entry e = learn(List.of(shuffled));
    assertEquals(sorted.gaps(), e.gaps());
    assertEquals(sorted.gapSumMs(), e.gapSumMs());
    assertEquals(sorted.gapSumSqMs(), e.gapSumSqMs());
  }

  @Test
  void flowTableSweepsHandingOverAnHourOfFlowsInTableOrderChangeNothing() {
    List<FlowRecord> flows = beacon(600, 6);
    Entry sorted = learn(List.of(flows));
    // A sparse capture sweeps its flow table about hourly; each sweep ends, in slot order, every
    // flow idle by then: here the flows that ended before each hour mark, shuffled.
    List<FlowRecord> swept = new ArrayList<>();
    List<FlowRecord> left = byEnd(flows);
    for (long mark = T0 + 3600 * SEC; !left.isEmpty(); mark += 3600 * SEC) {
      long m = mark;
      List<FlowRecord> batch =
          new ArrayList<>(left.stream().filter(f -> f.endNanos() < m).toList());
      left.removeAll(batch);
      Collections.shuffle(batch, new Random(m));
      swept.addAll(batch);
    }
    Entry e = learn(List.of(swept));
    assertEquals(599, sorted.gaps());
    assertEquals(sorted.gaps(), e.gaps());
    assertEquals(sorted.gapSumMs(), e.gapSumMs());
    assertEquals(sorted.gapSumSqMs(), e.gapSumSqMs());
  }

  @Test
  void filesCheckpointsAndMergedBaselinesLoseOnlyTheIntervalAtEachBoundary() {
    List<FlowRecord> flows = beacon(300, 3);
    List<List<FlowRecord>> parts =
        List.of(
            byEnd(flows.subList(0, 100)),
            byEnd(flows.subList(100, 180)),
            byEnd(flows.subList(180, 300)));
    Entry e = learn(parts);
    assertEquals(300 - 3, e.gaps());
    assertEquals(30.0, e.meanGapSeconds(), 0.1);
    assertTrue(e.gapVariation() < 0.1, "cv " + e.gapVariation());
  }

  @Test
  void aSnapshotTakenMidwayChangesNothingThatFollows() {
    List<FlowRecord> flows = byEnd(beacon(100, 4));
    Learner l = new Learner(EgretConfig.defaults());
    for (int i = 0; i < flows.size(); i++) {
      l.onFlow(flows.get(i));
      if (i % 7 == 0) {
        l.snapshot("test", List.of(), 0, 0, 0, 0); // a checkpoint
      }
    }
    Entry e = l.snapshot("test", List.of(), 0, 0, 0, 0).entries().get(0);
    assertEquals(learn(List.of(flows)), e);
  }

  @Test
  void aStartArrivingAfterLaterOnesWereCountedLosesOnlyItsInterval() {
    List<FlowRecord> flows = beacon(400, 5);
    Learner l = new Learner(EgretConfig.defaults());
    flows.subList(1, 400).forEach(l::onFlow);
    l.activeSince(T0 + 200 * 60 * SEC);
    // A download from the start that ends last, 200 minutes later: longer than 10 minutes.
    l.onFlow(flows.get(0));
    Entry e = l.snapshot("test", List.of(), 0, 0, 0, 0).entries().get(0);
    assertEquals(400, e.flows());
    assertEquals(398, e.gaps());
    assertEquals(30.0, e.meanGapSeconds(), 0.1);
  }
}
