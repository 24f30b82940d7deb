package dev.egret.cli;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Baselines;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Learner;
import dev.egret.baseline.Limits;
import dev.egret.baseline.SourceRecord;
import dev.egret.decode.DecodeStats;
import dev.egret.flow.BackgroundObserver;
import dev.egret.flow.FlowConfig;
import dev.egret.flow.FlowPipeline;
import dev.egret.io.Escape;
import dev.egret.io.ShutdownGuard;
import dev.egret.io.WriterLock;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code egret learn FILE... --baseline state.json}: add captures to a baseline. */
@Command(
    name = "learn",
    header = "Add captures to a baseline.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the baseline written", "2:usage error or unreadable input"},
    description = {
      "Add captures to a baseline (created if missing): per internal host, the destinations,"
          + " ports and protocols it connects to, and the names behind them.",
      "Days can be learned one file at a time; a capture or log already in the baseline is"
          + " refused.",
      "Zeek conn/dns/ssl/http/quic logs and Suricata EVE flow/dns/tls/quic/http events give the"
          + " same flows and names as the packets behind them.",
      "An audit log (kernel log lines with the egret-drop or egret-audit prefix from rules"
          + " compiled with --audit, or an NFLOG capture of them) gives one connection attempt per"
          + " logged packet that opens one, with the sending user: the policy then holds per-user"
          + " rules. SYNs retransmitted within 130 s are one attempt; whether it was answered is"
          + " unknown.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret learn captures/webserver.pcapng --baseline baseline.json",
      "  egret learn mon.pcap tue.pcap -b baseline.json --config egret.yaml",
      "  egret learn /nsm/zeek/logs/2026-11-28 -b sensor1.json --sensor sensor1",
      "  egret learn eve.json.gz -b sensor2.json",
      "  journalctl -k -o short-iso > audit.log; egret learn audit.log -b baseline.json",
      "",
      "A commented example config, every setting with its default, ships in the jar:",
      "  unzip -p target/egret.jar egret.example.yaml > egret.yaml",
    })
final class LearnCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description =
          "pcap or pcapng captures, Zeek logs (TSV or JSON; a Zeek logger directory), Suricata"
              + " EVE JSON files, or audit logs (kernel log text or NFLOG captures); .gz too; - for"
              + " stdin.")
  List<String> files;

  @Option(
      names = {"-b", "--baseline"},
      defaultValue = "baseline.json",
      paramLabel = "FILE",
      description = "Baseline to add to; created if missing (default: ${DEFAULT-VALUE}).")
  Path baseline;

  @Option(
      names = "--max-entries",
      paramLabel = "N",
      description =
          "Most host/destination/protocol/port entries to keep (default: 1,000,000, fewer on a"
              + " heap under 2 GB: heap / 2 KB). New ones past it are summarised per host, protocol"
              + " and port (counts, address spread, a sample), as are a host's destinations past"
              + " 1,024 on one port; so are the least used entries when the baseline it adds to"
              + " would hold more.")
  Integer maxEntries;

  @Option(
      names = "--wait",
      description =
          "When another egret is writing the baseline, wait for it to end instead of failing.")
  boolean waitForLock;

  @Mixin ConfigOptions configOptions;

  @Mixin FlowOptions flowOptions;

  @Mixin InputOptions inputOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    EgretConfig config = configOptions.load();
    // The guard first: from the moment the lock file names this process, Ctrl-C is answered.
    try (ShutdownGuard guard = ShutdownGuard.install(baseline.toString(), err);
        WriterLock lock =
            WriterLock.acquire(
                baseline, "egret learn", waitForLock, m -> err.println("egret: " + m))) {
      return learn(config, err, guard);
    }
  }

  private int learn(EgretConfig config, PrintWriter err, ShutdownGuard guard) throws Exception {
    Baseline before =
        Files.exists(baseline) ? BaselineJson.read(baseline) : Baseline.empty(Version.get());
    AuditInputs audits = AuditInputs.of(files, inputOptions);
    LogInputs inputs = LogInputs.of(audits.rest(), inputOptions);
    List<String> captures = inputs.captures();
    List<String> checked = new ArrayList<>(captures);
    audits.paths().forEach(p -> checked.add(p.toString()));
    inputs.logs().stream()
        .filter(l -> l.path() != null)
        .forEach(l -> checked.add(l.path().toString()));
    FlowConfig flowConfig = flowOptions.config(); // options before files
    Replay replay = Replay.open(captures);
    InputFingerprints fingerprinting =
        InputFingerprints.start(
            checked, before.sources(), baseline.toString(), Set.copyOf(captures), replay::stop);
    Limits limits = Limits.ofThisHeap();
    if (maxEntries != null) {
      if (maxEntries < 1) {
        throw new UserError("--max-entries must be at least 1: " + maxEntries);
      }
      limits = limits.withMaxEntries(maxEntries);
    }
    Learner learner = new Learner(config, limits);
    FlowPipeline pipeline;
    Map<String, String> fingerprints;
    // The learner on the second core: the packet loop hands it flows and names in batches.
    try (BackgroundObserver toLearner = new BackgroundObserver(learner, learner)) {
      pipeline = new FlowPipeline(flowConfig, toLearner, toLearner);
      replay.run(pipeline, err);
      fingerprints = fingerprinting.await();
      pipeline.flush();
    }
    if (!inputs.logs().isEmpty()) {
      // Reading logs starts a CPU clock (the JVM's management classes): not for captures alone.
      inputs.read(learner, learner, err, flowConfig.decapsulate());
    }
    audits.read(learner, err);
    List<SourceRecord> sources = new ArrayList<>();
    long truncated = 0;
    for (int i = 0; i < replay.spans().size(); i++) {
      Replay.Span s = replay.spans().get(i);
      String f = captures.get(i);
      boolean stdin = f.equals("-");
      String fp = stdin ? "" : fingerprintOf(fingerprints, f);
      sources.add(
          new SourceRecord(
              stdin ? "stdin" : "file",
              stdin ? "-" : Path.of(f).getFileName().toString(),
              fp,
              s.firstNs(),
              s.lastNs(),
              s.stats().packets()));
      truncated += s.stats().truncatedRecords() > 0 ? 1 : 0;
    }
    Map<String, String> byPath = new HashMap<>();
    fingerprints.forEach((fp, f) -> byPath.put(f, fp));
    sources.addAll(inputs.sources(byPath, inputOptions.sensor));
    sources.addAll(audits.sources(byPath));
    DecodeStats d = pipeline.decodeStats();
    Baseline learned =
        learner.snapshot(
            Version.get(),
            sources,
            replay.totals().packets() + inputs.packets() + audits.packets(),
            d.malformed(),
            replay.totals().kernelDrops() + replay.totals().interfaceDrops(),
            truncated);
    Baselines.Capped capped =
        Baselines.cap(Baselines.merge(before, learned, Version.get()), limits.maxEntries());
    Baseline after = capped.baseline();
    guard.writing();
    BaselineJson.write(baseline, after);
    guard.close();
    if (!captures.isEmpty()) {
      replay.summarize(pipeline, err);
    }
    inputs.summarize(err);
    audits.summarize(err);
    err.println(BaselineSummary.of(after, Escape.forTerminal(baseline.toString())));
    LimitReport.print(learner, learned, err);
    LimitReport.print(capped, limits.maxEntries(), err);
    return ExitCodes.OK;
  }

  private static String fingerprintOf(Map<String, String> fps, String file) {
    for (Map.Entry<String, String> e : fps.entrySet()) {
      if (e.getValue().equals(file)) {
        return e.getKey();
      }
    }
    return "";
  }
}
