package dev.egret.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.baseline.Baseline;
import dev.egret.capture.LiveOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lines {@code egret capture} prints at start and at the end, without a capture. */
class LiveRunTest {
  private static final LiveOptions NO_FILTER = LiveOptions.defaults();

  private static LiveRun.Interfaces on(List<String> names, LiveOptions o) {
    return new LiveRun.Interfaces(names, o, null);
  }

  @Test
  void theStartLineSaysWhatIsCapturedWhereItGoesAndHowToStop() {
    assertEquals(
        "capturing on eth1, eth2, new baseline state.json; Ctrl-C or SIGTERM writes the baseline"
            + " and stops",
        LiveRun.banner(on(List.of("eth1", "eth2"), NO_FILTER), false, Path.of("state.json")));
    LiveOptions filtered =
        new LiveOptions(65535, 64 << 20, true, LiveOptions.DEFAULT_TIMEOUT_MILLIS, "tcp port 443");
    assertEquals(
        "capturing on eth1 (filter \"tcp port 443\"), resuming b.json; Ctrl-C or SIGTERM writes"
            + " the baseline and stops",
        LiveRun.banner(on(List.of("eth1"), filtered), true, Path.of("b.json")));
  }

  @Test
  void aHostileInterfaceOrFileNameCannotDriveTheTerminal() {
    String line =
        LiveRun.banner(on(List.of("eth\u001b[2J1"), NO_FILTER), false, Path.of("a\nb.json"));
    assertEquals(-1, line.indexOf('\u001b'), line);
    assertEquals(-1, line.indexOf('\n'), line);
  }

  @Test
  void theSummaryNamesTheHeldFileAndTheFailureOrTheFigures() {
    Baseline empty = Baseline.empty("test");
    LiveLearning.Drift held =
        new LiveLearning.Drift(
            new dev.egret.policy.PolicyChecker(TestPolicies.dnsOnly("10.0.0.0/8", "10.0.0.53")),
            1,
            a -> {},
            Path.of("b.held.json"));
    assertEquals(
        List.of(
            "3 flows the policy would block held back in b.held.json",
            "baseline written to b.json (0 entries, 0 hosts)"),
        LiveRun.summary(new LiveLearning.Result(empty, null, null, 3), Path.of("b.json"), held));
    assertEquals(
        List.of("eth1: interface went down; baseline written to b.json"),
        LiveRun.summary(
            new LiveLearning.Result(
                empty, null, new IllegalStateException("eth1: interface went down"), 0),
            Path.of("b.json"),
            null));
  }
}
