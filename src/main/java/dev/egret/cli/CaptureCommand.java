package dev.egret.cli;

import dev.egret.baseline.EgretConfig;
import dev.egret.io.WriterLock;
import dev.egret.live.LiveLearning;
import dev.egret.live.LiveRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code egret capture -i IFACE --baseline state.json}: learn from live traffic for days. */
@Command(
    name = "capture",
    header = "Learn from a live interface for days, with checkpoints and alerts.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped (--duration, SIGINT or SIGTERM); the baseline written",
      "1:the capture failed while running; the baseline written up to then",
      "2:usage error, unreadable baseline, or an interface that cannot be opened"
    },
    description = {
      "Learn a baseline from live traffic (a span or mirror port) through libpcap, with the same"
          + " pipeline as egret learn. The baseline is written atomically every checkpoint interval"
          + " and at SIGINT/SIGTERM; run again with the same --baseline to resume. A kill -9 loses"
          + " at most one interval.",
      "Needs CAP_NET_RAW and CAP_NET_ADMIN: root, setcap on the java binary, or the systemd unit"
          + " scripts/egret-capture.service. Drops (kernel, interface, queue) are shown in the"
          + " status and recorded in the baseline's dropped counter.",
      "With --policy, new egress the policy would block is alerted on and kept out of the"
          + " baseline, in a file of its own (--held), unless --learn-blocked.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret capture -i eth1 --baseline /var/lib/egret/baseline.json --duration 3d",
      "  egret capture -i eth1 -i eth2 --lean --buffer-size 256 --baseline state.json",
      "  egret capture -i eth1 --baseline state.json --policy policy.yaml --alerts alerts.jsonl"
          + "   # blocked flows go to state.held.json",
      "  egret capture -i eth1 --baseline state.json --save /srv/pcap --rotate 1h --keep 48",
    })
final class CaptureCommand implements Callable<Integer> {
  @Option(
      names = {"-b", "--baseline"},
      defaultValue = "baseline.json",
      paramLabel = "FILE",
      description = "Baseline to resume and keep writing (default: ${DEFAULT-VALUE}).")
  Path baseline;

  @Mixin LiveSourceOptions source;

  @Mixin LiveRunOptions run;

  @Mixin DriftOptions drift;

  @Option(
      names = "--wait",
      description =
          "When another egret is writing the baseline, wait for it to end instead of failing.")
  boolean waitForLock;

  @Mixin ConfigOptions configOptions;

  @Mixin FlowOptions flowOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EgretConfig config = configOptions.load();
    try (WriterLock lock =
        WriterLock.acquire(
            baseline, "egret capture", waitForLock, m -> err.println("egret: " + m))) {
      return capture(config, out, err);
    }
  }

  private int capture(EgretConfig config, PrintWriter out, PrintWriter err) throws Exception {
    LiveRun.resumes(baseline); // a wrong or broken file is refused before capturing starts
    LiveStatusPrinter printer = new LiveStatusPrinter(err, run.mode());
    LiveLearning.Settings settings = run.settings(baseline, printer.mode(), source.queue);
    LiveRun.Interfaces interfaces =
        new LiveRun.Interfaces(source.interfaces, source.liveOptions(), source.saving());
    try (DriftOptions d = drift) {
      LiveLearning.Drift alerts = d.drift(baseline, out, printer, err);
      LiveRun.Output output =
          new LiveRun.Output(
              line -> say(err, line),
              r -> {
                LiveRun.summary(r, baseline, alerts).forEach(l -> err.println("egret: " + l));
                return r.failure() == null ? ExitCodes.OK : ExitCodes.FAILURE;
              },
              () -> {
                err.flush();
                out.flush();
              });
      return LiveRun.run(
          settings,
          config,
          flowOptions.config(),
          interfaces,
          alerts,
          printer,
          output,
          ExitCodes.FAILURE);
    }
  }

  private static void say(PrintWriter err, String line) {
    err.println("egret: " + line);
    err.flush();
  }
}
