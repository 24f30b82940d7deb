package dev.egret.cli;

import dev.egret.baseline.EgretConfig;
import dev.egret.capture.LeanFilter;
import dev.egret.capture.LiveOptions;
import dev.egret.capture.PacketSource;
import dev.egret.capture.Pcap4jLiveSource;
import dev.egret.capture.PcapRing;
import dev.egret.io.Escape;
import dev.egret.live.DriftAlerts;
import dev.egret.live.LiveLearning;
import dev.egret.live.Times;
import dev.egret.policy.PolicyChecker;
import dev.egret.policy.PolicyYaml;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code egret capture -i IFACE --baseline state.json}: learn from live traffic for days. */
@Command(
    name = "capture",
    header = "Learn from a live interface for days, with checkpoints and alerts.",
    description = {
      "Learn a baseline from live traffic (a span or mirror port) through libpcap, with the same"
          + " pipeline as egret learn. The baseline is written atomically every checkpoint interval"
          + " and at SIGINT/SIGTERM; run again with the same --baseline to resume. A kill -9 loses"
          + " at most one interval.",
      "Needs CAP_NET_RAW and CAP_NET_ADMIN: root, setcap on the java binary, or the systemd unit"
          + " scripts/egret-capture.service. Drops (kernel, interface, queue) are shown in the"
          + " status and recorded in the baseline's dropped counter.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret capture -i eth1 --baseline /var/lib/egret/baseline.json --duration 3d",
      "  egret capture -i eth1 -i eth2 --lean --buffer-size 256 --baseline state.json",
      "  egret capture -i eth1 --baseline state.json --policy policy.yaml --alerts alerts.jsonl",
      "  egret capture -i eth1 --baseline state.json --save /srv/pcap --rotate 1h --keep 48",
    })
final class CaptureCommand implements Callable<Integer> {
  @Option(
      names = {"-i", "--interface"},
      required = true,
      paramLabel = "IFACE",
      description = "Interface to capture on; repeat for several (egret interfaces lists them).")
  List<String> interfaces;

  @Option(
      names = {"-b", "--baseline"},
      defaultValue = "baseline.json",
      paramLabel = "FILE",
      description = "Baseline to resume and keep writing (default: ${DEFAULT-VALUE}).")
  Path baseline;

  @Option(names = "--bpf", paramLabel = "EXPR", description = "Capture filter (pcap-filter(7)).")
  String bpf;

  @Option(
      names = "--lean",
      description =
          "Capture only what learning needs: TCP SYN/FIN/RST, segments starting a TLS"
              + " ClientHello or an HTTP request, DNS, all UDP and ICMP (IPv6 TCP whole). Far fewer"
              + " packets reach egret, but TCP packet and byte counts cover only those segments, a"
              + " connection quiet on the filter past --tcp-idle is counted twice, and a"
              + " ClientHello spread over several segments loses its server name.")
  boolean lean;

  static final class Until {
    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after e.g. 3d.")
    String duration;

    @Option(
        names = "--until",
        paramLabel = "TIME",
        description = "Stop at a time: 2024-05-01T08:00, 2024-05-01T08:00:00Z or 08:00 (next).")
    String until;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Until stopAt;

  @Option(
      names = "--checkpoint",
      defaultValue = "5m",
      paramLabel = "DURATION",
      description = "Write the baseline this often (default: ${DEFAULT-VALUE}).")
  String checkpoint;

  @Option(
      names = "--snaplen",
      defaultValue = "65535",
      paramLabel = "N",
      description = "Bytes kept per packet (default: ${DEFAULT-VALUE}).")
  int snaplen;

  @Option(
      names = "--buffer-size",
      defaultValue = "64",
      paramLabel = "MiB",
      description = "Kernel capture buffer per interface (default: ${DEFAULT-VALUE}).")
  int bufferMiB;

  @Option(names = "--no-promisc", description = "Do not put the interface in promiscuous mode.")
  boolean noPromisc;

  @Option(
      names = "--queue",
      defaultValue = "65536",
      paramLabel = "N",
      description =
          "Packets queued between capture and processing per interface; when it is full the"
              + " capture waits and the kernel buffer holds the rest (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(
      names = "--status",
      defaultValue = "auto",
      paramLabel = "MODE",
      description =
          "auto, line (a live line), log (a line per interval), json (JSON lines) or none"
              + " (default: ${DEFAULT-VALUE}: line on a terminal, log otherwise).")
  String statusMode;

  @Option(
      names = "--status-every",
      paramLabel = "DURATION",
      description = "Status interval (default: 2s for the live line, 1m otherwise).")
  String statusEvery;

  @Option(
      names = {"-q", "--quiet"},
      description = "No status, only warnings and the final line.")
  boolean quiet;

  @Option(names = "--save", paramLabel = "DIR", description = "Also keep raw pcap files here.")
  Path saveDir;

  @Option(
      names = "--rotate",
      defaultValue = "1h",
      paramLabel = "DURATION",
      description = "Start a new --save file this often (default: ${DEFAULT-VALUE}).")
  String rotate;

  @Option(
      names = "--keep",
      defaultValue = "48",
      paramLabel = "N",
      description = "--save files kept per interface (default: ${DEFAULT-VALUE}).")
  int keep;

  @Option(
      names = "--policy",
      paramLabel = "POLICY",
      description = "Report new egress flows this policy would block, as they start.")
  Path policyFile;

  @Option(names = "--alerts", paramLabel = "FILE", description = "Append alerts as JSON lines.")
  Path alertsFile;

  @Option(
      names = "--alert-every",
      defaultValue = "1h",
      paramLabel = "DURATION",
      description =
          "At most one alert per host, destination and port this often (default: ${DEFAULT-VALUE}).")
  String alertEvery;

  @Mixin ConfigOptions configOptions;

  @Mixin FlowOptions flowOptions;

  @Spec CommandSpec spec;

  private volatile int exitCode = ExitCodes.OK;
  private final CountDownLatch reported = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EgretConfig config = configOptions.load();
    LiveStatusPrinter printer = new LiveStatusPrinter(err, statusMode());
    long statusNanos =
        statusEvery != null
            ? Durations.parseNanos("--status-every", statusEvery)
            : printer.mode() == LiveStatusPrinter.Mode.LINE ? 2_000_000_000L : 60_000_000_000L;
    PolicyChecker checker =
        policyFile == null ? null : new PolicyChecker(PolicyYaml.read(policyFile));
    if (alertsFile != null && checker == null) {
      throw new UserError("--alerts needs --policy");
    }
    LiveOptions options = liveOptions();
    List<PacketSource> sources = new ArrayList<>();
    List<PcapRing> saves = new ArrayList<>();
    BufferedWriter alertsOut = null;
    boolean started = false;
    try {
      for (String iface : interfaces) {
        Pcap4jLiveSource s = Pcap4jLiveSource.open(iface, options);
        sources.add(s);
        if (saveDir != null) {
          saves.add(
              new PcapRing(
                  saveDir,
                  iface,
                  s.linkType(),
                  snaplen,
                  Durations.parseNanos("--rotate", rotate),
                  keep));
        }
      }
      if (alertsFile != null) {
        alertsOut =
            Files.newBufferedWriter(
                alertsFile,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
      }
      LiveLearning live =
          new LiveLearning(
              new LiveLearning.Settings(
                  baseline,
                  Durations.parseNanos("--checkpoint", checkpoint),
                  statusNanos,
                  stopAtNanos(),
                  queue,
                  true,
                  Version.get()),
              config,
              flowOptions.config(),
              sources,
              saves,
              checker,
              Durations.parseNanos("--alert-every", alertEvery),
              alertSink(out, printer, alertsOut),
              printer);
      started = true;
      return runWithSignals(live, err);
    } finally {
      if (!started) {
        // Once started, the run closes the sources whose capture threads have returned.
        for (PacketSource s : sources) {
          s.close();
        }
      }
      if (alertsOut != null) {
        alertsOut.close();
      }
    }
  }

  private LiveStatusPrinter.Mode statusMode() {
    if (quiet) {
      return LiveStatusPrinter.Mode.NONE;
    }
    try {
      return LiveStatusPrinter.Mode.valueOf(statusMode.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError(
          "--status: unknown mode \"" + statusMode + "\" (expected auto, line, log, json or none)");
    }
  }

  private LiveOptions liveOptions() {
    if (bufferMiB < 1 || bufferMiB > 4096) {
      throw new UserError("--buffer-size: " + bufferMiB + " MiB out of range (1 to 4096)");
    }
    if (keep < 1) {
      throw new UserError("--keep: " + keep + " is too small (minimum 1)");
    }
    String filter = lean ? LeanFilter.and(bpf) : bpf;
    try {
      return new LiveOptions(
          snaplen, bufferMiB << 20, !noPromisc, LiveOptions.DEFAULT_TIMEOUT_MILLIS, filter);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private long stopAtNanos() {
    if (stopAt == null) {
      return Long.MAX_VALUE;
    }
    if (stopAt.duration != null) {
      return Times.now() + Durations.parseNanos("--duration", stopAt.duration);
    }
    try {
      return Times.parseUntil(stopAt.until, ZonedDateTime.now());
    } catch (IllegalArgumentException e) {
      throw new UserError("--until: " + e.getMessage());
    }
  }

  private Consumer<DriftAlerts.Alert> alertSink(
      PrintWriter out, LiveStatusPrinter printer, BufferedWriter file) {
    boolean json = printer.mode() == LiveStatusPrinter.Mode.JSON;
    return a -> {
      printer.above(out, json ? a.json() : Escape.forTerminal(a.text()));
      if (file != null) {
        try {
          file.write(a.json());
          file.newLine();
          file.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(alertsFile + ": " + e.getMessage(), e);
        }
      }
    };
  }

  /**
   * Runs until done; SIGINT and SIGTERM stop the capture and wait for the last checkpoint, then
   * exit with the run's code (0 when stopped cleanly).
   */
  private int runWithSignals(LiveLearning live, PrintWriter err) throws IOException {
    Thread hook =
        new Thread(
            () -> {
              live.stop();
              try {
                reported.await(120, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                return;
              }
              err.flush();
              spec.commandLine().getOut().flush();
              Runtime.getRuntime().halt(exitCode);
            },
            "egret-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      LiveLearning.Result r = live.run();
      if (r.failure() != null) {
        exitCode = ExitCodes.FAILURE;
        err.println(
            "egret: "
                + Escape.forTerminal(r.failure().getMessage())
                + "; baseline written to "
                + Escape.forTerminal(baseline.toString()));
        return ExitCodes.FAILURE;
      }
      err.println(
          "egret: baseline written to "
              + Escape.forTerminal(baseline.toString())
              + " ("
              + r.baseline().entries().size()
              + " entries, "
              + r.baseline().hosts().size()
              + " hosts)");
      return ExitCodes.OK;
    } catch (IOException | RuntimeException e) {
      exitCode = ExitCodes.FAILURE;
      throw e;
    } finally {
      reported.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook is waiting for this run and exits with its code.
      }
    }
  }
}
