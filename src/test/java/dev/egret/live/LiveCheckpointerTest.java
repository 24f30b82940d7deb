package dev.egret.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Entry;
import dev.egret.baseline.Learner;
import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowState;
import dev.egret.flow.InitiatorRule;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveCheckpointerTest {
  private static final long T0 = 1_714_550_400_000_000_000L;

  @TempDir Path dir;

  private static FlowRecord flow(int clientPort, long start) {
    IpAddress c = IpAddress.parse("10.98.0.1");
    IpAddress s = IpAddress.parse("203.0.113.9");
    return new FlowRecord(
        new FlowKey(c.hi(), c.lo(), clientPort, s.hi(), s.lo(), 443, Protocols.TCP),
        start,
        start + 1_000_000,
        FlowState.ESTABLISHED,
        InitiatorRule.SYN,
        3,
        180,
        2,
        120);
  }

  private static Entry only(Baseline b) {
    assertEquals(1, b.entries().size(), b.entries().toString());
    return b.entries().get(0);
  }

  @Test
  void openFlowsAreCountedInEachCheckpointButNeverTwice() throws Exception {
    Learner run = new Learner(EgretConfig.defaults());
    run.onFlow(flow(40000, T0));
    Checkpointer c =
        new Checkpointer(
            dir.resolve("b.json"), Baseline.empty("test"), EgretConfig.defaults(), "test");
    Baseline snap = run.snapshot("test", List.of(), 5, 0, 0, 0);
    List<FlowRecord> open = List.of(flow(40001, T0 + 10));
    assertEquals(2, only(c.merged(snap, open)).flows(), "finished plus open");
    assertEquals(2, only(c.merged(snap, open)).flows(), "the same again, not accumulated");
    Baseline last = c.writeNow(snap, List.of());
    assertEquals(1, only(last).flows());
    assertEquals(last, BaselineJson.read(dir.resolve("b.json")));
    c.close();
  }

  @Test
  void whatTheFileHeldBeforeIsKept() throws Exception {
    Learner earlier = new Learner(EgretConfig.defaults());
    earlier.onFlow(flow(40000, T0));
    Baseline before = earlier.snapshot("test", List.of(), 5, 0, 7, 0);
    Learner run = new Learner(EgretConfig.defaults());
    run.onFlow(flow(40002, T0 + 100));
    Checkpointer c = new Checkpointer(dir.resolve("b.json"), before, EgretConfig.defaults(), "t");
    Baseline b = c.writeNow(run.snapshot("test", List.of(), 4, 0, 1, 0), List.of());
    assertEquals(2, only(b).flows());
    assertEquals(9, b.counters().packets());
    assertEquals(8, b.counters().dropped(), "drops add up across runs");
    c.close();
  }

  @Test
  void periodicWritesHappenOffTheCallingThread() throws Exception {
    Path file = dir.resolve("b.json");
    Checkpointer c = new Checkpointer(file, Baseline.empty("test"), EgretConfig.defaults(), "t");
    Learner run = new Learner(EgretConfig.defaults());
    run.onFlow(flow(40000, T0));
    c.submit(run.snapshot("test", List.of(), 1, 0, 0, 0), List.of());
    for (int i = 0; i < 200 && c.writes() == 0; i++) {
      Thread.sleep(10);
    }
    assertEquals(1, c.writes());
    assertEquals(1, only(BaselineJson.read(file)).flows());
    assertTrue(c.lastError() == null);
    c.close();
  }
}
