package dev.egret.cli;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Baselines;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Learner;
import dev.egret.baseline.SourceRecord;
import dev.egret.decode.DecodeStats;
import dev.egret.flow.FlowConfig;
import dev.egret.flow.FlowPipeline;
import dev.egret.io.Escape;
import dev.egret.io.Fingerprint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    description = {
      "Add captures to a baseline (created if missing): per internal host, the destinations,"
          + " ports and protocols it connects to, and the names behind them.",
      "Days can be learned one file at a time; a capture already in the baseline is refused.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret learn captures/webserver.pcapng --baseline baseline.json",
      "  egret learn mon.pcap tue.pcap -b baseline.json --config egret.yaml",
      "",
      "A commented example config, every setting with its default, ships in the jar:",
      "  unzip -p target/egret.jar egret.example.yaml > egret.yaml",
    })
final class LearnCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "pcap or pcapng files (.gz too); - for stdin.")
  List<String> files;

  @Option(
      names = {"-b", "--baseline"},
      defaultValue = "baseline.json",
      paramLabel = "FILE",
      description = "Baseline to add to; created if missing (default: ${DEFAULT-VALUE}).")
  Path baseline;

  @Mixin ConfigOptions configOptions;

  @Mixin FlowOptions flowOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    EgretConfig config = configOptions.load();
    Baseline before =
        Files.exists(baseline) ? BaselineJson.read(baseline) : Baseline.empty(Version.get());
    Map<String, String> fingerprints = new HashMap<>();
    for (String f : files) {
      if (f.equals("-") || !Files.isRegularFile(Path.of(f))) {
        continue;
      }
      String fp = Fingerprint.of(Path.of(f));
      for (SourceRecord s : before.sources()) {
        if (fp.equals(s.fingerprint())) {
          throw new UserError(
              f
                  + ": already in "
                  + baseline
                  + " (absorbed as "
                  + s.name()
                  + "); not counted twice");
        }
      }
      String dup = fingerprints.put(fp, f);
      if (dup != null) {
        throw new UserError(f + ": same capture as " + dup + "; not counted twice");
      }
    }
    FlowConfig flowConfig = flowOptions.config(); // options before files
    Replay replay = Replay.open(files);
    Learner learner = new Learner(config);
    FlowPipeline pipeline = new FlowPipeline(flowConfig, learner, learner);
    replay.run(pipeline, err);
    pipeline.flush();
    List<SourceRecord> sources = new ArrayList<>();
    long truncated = 0;
    for (int i = 0; i < replay.spans().size(); i++) {
      Replay.Span s = replay.spans().get(i);
      String f = files.get(i);
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
    DecodeStats d = pipeline.decodeStats();
    Baseline learned =
        learner.snapshot(
            Version.get(),
            sources,
            replay.totals().packets(),
            d.malformed(),
            replay.totals().kernelDrops() + replay.totals().interfaceDrops(),
            truncated);
    Baseline after = Baselines.merge(before, learned, Version.get());
    BaselineJson.write(baseline, after);
    replay.summarize(pipeline, err);
    err.println(BaselineSummary.of(after, Escape.forTerminal(baseline.toString())));
    if (learner.namesDropped() > 0) {
      err.println("egret: warning: name table full; " + learner.namesDropped() + " names not kept");
    }
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
