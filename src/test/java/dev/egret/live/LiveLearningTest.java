package dev.egret.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Entry;
import dev.egret.baseline.Learner;
import dev.egret.baseline.SourceRecord;
import dev.egret.capture.CaptureFiles;
import dev.egret.capture.PacketSource;
import dev.egret.flow.FlowConfig;
import dev.egret.flow.FlowPipeline;
import dev.egret.net.Cidr;
import dev.egret.policy.PolicyChecker;
import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live path (queue, processing thread, checkpoints) fed from a capture file. */
class LiveLearningTest {
  private static final String CAPTURE = "real/zeek/wikipedia.pcap";

  /** The capture's campus network is public address space: name it internal. */
  private static final EgretConfig CONFIG =
      EgretConfig.defaults().withInternal(List.of(Cidr.parse("141.142.0.0/16")));

  @TempDir Path dir;

  private final List<Status> statuses = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private final List<DriftAlerts.Alert> alerts = new ArrayList<>();

  private LiveLearning live(Path baseline, PacketSource source) throws IOException {
    return live(baseline, source, null);
  }

  private LiveLearning live(Path baseline, PacketSource source, LiveLearning.Drift drift)
      throws IOException {
    return new LiveLearning(
        new LiveLearning.Settings(
            baseline,
            60_000_000_000L,
            60_000_000_000L,
            Long.MAX_VALUE,
            1024,
            LiveLearning.FlowClock.PACKETS,
            "test"),
        CONFIG,
        FlowConfig.defaults(),
        new LiveSources(List.of(source), List.of()),
        drift,
        new LiveLearning.Reporter() {
          @Override
          public void status(Status s) {
            statuses.add(s);
          }

          @Override
          public void warning(String message) {
            warnings.add(message);
          }
        });
  }

  private static Baseline offline(Path capture) throws IOException {
    Learner learner = new Learner(CONFIG);
    FlowPipeline pipeline = new FlowPipeline(FlowConfig.defaults(), learner, learner);
    try (PacketSource s = CaptureFiles.open(capture.toString())) {
      s.run(pipeline);
    }
    pipeline.flush();
    return learner.snapshot("test", List.of(), 0, 0, 0, 0);
  }

  @Test
  void theLivePathLearnsExactlyWhatOfflineReplayLearns() throws IOException {
    Path capture = SharedPcaps.file(CAPTURE);
    Path baseline = dir.resolve("state.json");
    LiveLearning.Result r = live(baseline, CaptureFiles.open(capture.toString())).run();
    Baseline want = offline(capture);
    assertNull(r.failure());
    assertFalse(want.entries().isEmpty());
    assertEquals(want.entries(), r.baseline().entries());
    assertEquals(want.names(), r.baseline().names());
    assertEquals(want.queries(), r.baseline().queries());
    assertEquals(want.counters().flows(), r.baseline().counters().flows());
    assertEquals(136, r.baseline().counters().packets());
    assertEquals(0, r.baseline().counters().dropped());
    assertEquals(r.baseline(), BaselineJson.read(baseline), "the file holds what was returned");
    SourceRecord s = r.baseline().sources().get(0);
    assertEquals("sensor", s.kind());
    assertEquals(136, s.packets());
    Status last = statuses.get(statuses.size() - 1);
    assertTrue(last.done());
    assertEquals(136, last.packets());
    assertEquals(0, last.openFlows());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  /** A policy that allows nothing these hosts do: its clients are elsewhere. */
  private LiveLearning.Drift allowNothing(Path held) {
    return new LiveLearning.Drift(
        new PolicyChecker(TestPolicies.dnsOnly("10.0.0.0/8", "10.0.0.1")), 0, alerts::add, held);
  }

  @Test
  void alertModeHoldsWhatThePolicyWouldBlockOutOfTheBaseline() throws IOException {
    Path capture = SharedPcaps.file(CAPTURE);
    Path baseline = dir.resolve("state.json");
    Path held = dir.resolve("state.held.json");
    LiveLearning.Result r =
        live(baseline, CaptureFiles.open(capture.toString()), allowNothing(held)).run();
    Baseline want = offline(capture);
    assertNull(r.failure());
    assertEquals(List.of(), r.baseline().entries(), "nothing the policy would block is learned");
    assertEquals(List.of(), BaselineJson.read(baseline).entries());
    Baseline kept = BaselineJson.read(held);
    assertEquals(want.entries(), kept.entries(), "it is all in the held-back file");
    assertEquals(want.names(), kept.names());
    long flows = want.entries().stream().mapToLong(Entry::flows).sum();
    assertEquals(flows, r.heldBack());
    assertFalse(alerts.isEmpty());

    // A second run adds to both files.
    LiveLearning.Result again =
        live(baseline, CaptureFiles.open(capture.toString()), allowNothing(held)).run();
    assertEquals(List.of(), again.baseline().entries());
    Entry first = want.entries().get(0);
    Entry twice =
        BaselineJson.read(held).entries().stream()
            .filter(e -> e.key().equals(first.key()))
            .findFirst()
            .get();
    assertEquals(2 * first.flows(), twice.flows());
  }

  @Test
  void askedToLearnWhatThePolicyWouldBlockItLearnsEverythingAndWritesNoHeldFile()
      throws IOException {
    Path capture = SharedPcaps.file(CAPTURE);
    Path baseline = dir.resolve("state.json");
    LiveLearning.Result r =
        live(baseline, CaptureFiles.open(capture.toString()), allowNothing(null)).run();
    assertEquals(offline(capture).entries(), r.baseline().entries());
    assertEquals(0, r.heldBack());
    assertFalse(alerts.isEmpty());
    try (var files = Files.list(dir)) {
      assertEquals(List.of(baseline), files.toList());
    }
  }

  @Test
  void aSecondRunOnTheSameBaselineAddsToIt() throws IOException {
    Path capture = SharedPcaps.file(CAPTURE);
    Path baseline = dir.resolve("state.json");
    Baseline first = live(baseline, CaptureFiles.open(capture.toString())).run().baseline();
    Baseline second = live(baseline, CaptureFiles.open(capture.toString())).run().baseline();
    assertEquals(first.entries().size(), second.entries().size());
    for (int i = 0; i < first.entries().size(); i++) {
      Entry a = first.entries().get(i);
      Entry b = second.entries().get(i);
      assertEquals(a.key(), b.key());
      assertEquals(2 * a.flows(), b.flows(), a.key());
      assertEquals(2 * a.bytesOut(), b.bytesOut(), a.key());
    }
    assertEquals(2 * first.counters().packets(), second.counters().packets());
    assertEquals(2, second.sources().size(), "one sensor record per run");
  }

  @Test
  void aStaleTemporaryFromAKilledWriteIsRemovedAndTheBaselineKept() throws IOException {
    Path baseline = dir.resolve("state.json");
    Path capture = SharedPcaps.file(CAPTURE);
    Baseline first = live(baseline, CaptureFiles.open(capture.toString())).run().baseline();
    Path stale = dir.resolve(".state.json.123456.tmp");
    Files.writeString(stale, "{\"schemaVersion\": \"1.0\", \"torn");
    live(baseline, CaptureFiles.open(capture.toString()));
    assertFalse(Files.exists(stale));
    assertEquals(first, BaselineJson.read(baseline));
  }

  @Test
  void aNewBaselineIsWrittenBeforeCaptureStarts() throws IOException {
    Path baseline = Files.createDirectories(dir.resolve("sub")).resolve("state.json");
    PacketSource nothing =
        new PacketSource() {
          @Override
          public String name() {
            return "idle";
          }

          @Override
          public void run(dev.egret.capture.PacketHandler handler) {
            assertTrue(Files.exists(baseline), "written before the first packet is awaited");
          }

          @Override
          public dev.egret.capture.CaptureStats stats() {
            return dev.egret.capture.CaptureStats.EMPTY;
          }
        };
    LiveLearning.Result r = live(baseline, nothing).run();
    assertTrue(r.baseline().entries().isEmpty());
    assertEquals(1, r.baseline().sources().size());
  }
}
