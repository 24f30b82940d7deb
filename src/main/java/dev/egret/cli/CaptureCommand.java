package dev.egret.cli;

import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.EgretConfig;
import dev.egret.capture.LiveOptions;
import dev.egret.io.Escape;
import dev.egret.io.WriterLock;
import dev.egret.live.LiveLearning;
import dev.egret.live.LiveSources;
import dev.egret.live.SignalStop;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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
    boolean resume = Files.exists(baseline);
    if (resume) {
      BaselineJson.read(baseline); // a wrong or broken file is refused before capturing starts
    }
    LiveStatusPrinter printer = new LiveStatusPrinter(err, run.mode());
    LiveLearning.Settings settings =
        new LiveLearning.Settings(
            baseline,
            run.checkpointNanos(),
            run.everyNanos(printer.mode()),
            run.stopAtNanos(),
            source.queue,
            LiveLearning.FlowClock.WALL,
            Version.get());
    LiveOptions options = source.liveOptions();
    LiveSources.Saving saving = source.saving();
    try (DriftOptions d = drift) {
      LiveLearning.Drift alerts = d.drift(baseline, out, printer, err);
      LiveSources opened = LiveSources.open(source.interfaces, options, saving);
      err.println(banner(options, resume));
      err.flush();
      LiveLearning live;
      try {
        live = new LiveLearning(settings, config, flowOptions.config(), opened, alerts, printer);
      } catch (IOException | RuntimeException e) {
        opened.close();
        throw e;
      }
      // Once started, the run closes the sources whose capture threads have returned.
      return SignalStop.run(
          () -> report(live.run(), alerts, err),
          live::stop,
          () -> {
            err.flush();
            out.flush();
          },
          ExitCodes.FAILURE);
    }
  }

  /** One line at start and at resume: what is captured, where it goes, how to stop. */
  private String banner(LiveOptions options, boolean resume) {
    return Escape.forTerminal(
        "egret: capturing on "
            + String.join(", ", source.interfaces)
            + (options.bpf() == null ? "" : " (filter \"" + options.bpf() + "\")")
            + (resume ? ", resuming " : ", new baseline ")
            + baseline
            + "; Ctrl-C or SIGTERM writes the baseline and stops");
  }

  private int report(LiveLearning.Result r, LiveLearning.Drift alerts, PrintWriter err) {
    String file = Escape.forTerminal(baseline.toString());
    if (alerts != null && alerts.held() != null) {
      String held = Escape.forTerminal(alerts.held().toString());
      err.printf("egret: %d flows the policy would block held back in %s%n", r.heldBack(), held);
    }
    if (r.failure() != null) {
      String why = Escape.forTerminal(r.failure().getMessage());
      err.printf("egret: %s; baseline written to %s%n", why, file);
      return ExitCodes.FAILURE;
    }
    int entries = r.baseline().entries().size();
    int hosts = r.baseline().hosts().size();
    err.printf("egret: baseline written to %s (%d entries, %d hosts)%n", file, entries, hosts);
    return ExitCodes.OK;
  }
}
