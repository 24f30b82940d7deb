package dev.egret.cli;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.policy.Decision;
import dev.egret.policy.Decisions;
import dev.egret.policy.DecisionsYaml;
import dev.egret.policy.Evidence;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyGenerator;
import dev.egret.policy.PolicyYaml;
import dev.egret.policy.Rule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code egret policy BASELINE -o policy.yaml}: the least-privilege allowlist. */
@Command(
    name = "policy",
    header = "Compute the least-privilege allowlist from a baseline.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the policy written", "2:usage error, unreadable baseline or site config"},
    description = {
      "Compute the minimal egress allowlist from a baseline, with evidence per rule, a review"
          + " list (below the thresholds) and anomalies; neither is ever allowed.",
      "The same baseline and config always give a byte-identical file.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret policy baseline.json -o policy.yaml",
      "  egret policy baseline.json --min-flows 5 --min-days 3 -o policy.yaml",
      "  egret policy baseline.json --decisions site-decisions.yaml -o policy.yaml",
    })
final class PolicyCommand implements Callable<Integer> {
  @Parameters(paramLabel = "BASELINE")
  Path baseline;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the policy here (atomically) instead of stdout.")
  String output;

  @Option(names = "--min-flows", paramLabel = "N", description = "Connections needed (default 3).")
  Integer minFlows;

  @Option(
      names = "--min-days",
      paramLabel = "N",
      description = "Distinct days needed when the window spans them (default 2).")
  Integer minDays;

  @Option(
      names = "--broad",
      paramLabel = "N",
      description =
          "Distinct owners (registered domains, /24s) on one port, new ones on several days, above"
              + " which a role gets any destination (default 20).")
  Integer broad;

  @Option(
      names = "--include-unanswered",
      description = "Count unanswered connections as evidence too.")
  boolean includeUnanswered;

  @Option(
      names = "--decisions",
      paramLabel = "FILE",
      description =
          "The review decisions to apply (allow, deny, ignore; recorded with egret review)."
              + " Default: decisions.yaml beside the baseline, when it exists.")
  Path decisions;

  @Option(
      names = "--full-evidence",
      description =
          "List every host, name and address in the evidence; by default a list longer than "
              + Evidence.EXAMPLES
              + " keeps its first "
              + Evidence.EXAMPLES
              + ", with counts and owners.")
  boolean fullEvidence;

  @Mixin ConfigOptions configOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var config = configOptions.load();
    var t = config.thresholds();
    t =
        new dev.egret.baseline.Thresholds(
            minFlows == null ? t.minFlows() : minFlows,
            minDays == null ? t.minDays() : minDays,
            includeUnanswered ? false : t.answeredOnly(),
            broad == null ? t.broadDestinations() : broad,
            t.maxPrefixV4(),
            t.maxPrefixV6(),
            t.minCoverage(),
            t.maxExposure(),
            t.portRanges(),
            t.lateDays());
    config =
        new dev.egret.baseline.EgretConfig(
            config.internal(), config.roles(), config.exclude(), config.learnChatter(), t);
    Progress progress = Progress.onTerminal(spec.commandLine().getErr());
    progress.step("policy: reading " + baseline.getFileName());
    Baseline b = BaselineJson.read(baseline);
    progress.step(
        "policy: generating from "
            + b.entries().size()
            + " host/destination/port entries of "
            + b.hosts().size()
            + " hosts");
    Path decisionsFile = decisionsFile(baseline, decisions);
    Decisions ds = DecisionsYaml.read(decisionsFile);
    PolicyGenerator.Generated g = new PolicyGenerator(config, ds, fullEvidence).generateAll(b);
    Policy p = g.policy();
    progress.step("policy: writing " + p.rules().size() + " rules");
    String yaml = PolicyYaml.write(p);
    Output.to(spec.commandLine().getOut(), output, w -> w.write(yaml));
    progress.end();
    for (String w : p.metadata().warnings()) {
      spec.commandLine().getErr().println("egret: policy: warning: " + w);
    }
    for (Decision d : g.unmatched()) {
      spec.commandLine()
          .getErr()
          .println(
              "egret: policy: warning: "
                  + decisionsFile
                  + ":"
                  + d.line()
                  + ": "
                  + d.action().id()
                  + " "
                  + d.id()
                  + " matches nothing in this baseline (the traffic may have gone); kept");
    }
    if (!ds.isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "egret: policy: applied "
                  + ds.list().size()
                  + (ds.list().size() == 1 ? " decision" : " decisions")
                  + " from "
                  + decisionsFile);
    }
    spec.commandLine().getErr().println(summary(p, yaml.getBytes(StandardCharsets.UTF_8).length));
    return ExitCodes.OK;
  }

  /** {@code --decisions}, or {@code decisions.yaml} beside the baseline. */
  static Path decisionsFile(Path baseline, Path given) {
    if (given != null) {
      return given;
    }
    Path dir = baseline.toAbsolutePath().getParent();
    return dir == null ? Path.of(DecisionsYaml.FILE) : dir.resolve(DecisionsYaml.FILE);
  }

  static String summary(Policy p, int bytes) {
    long broad = p.rules().stream().filter(Rule::broad).count();
    long exposure = p.rules().stream().mapToLong(r -> Math.max(0, r.exposure())).sum();
    long shared =
        p.rules().stream()
            .filter(r -> r.evidence() != null && r.evidence().sharedAddresses() != null)
            .count();
    return "egret: policy: "
        + count(p.rules().size(), "rule")
        + " for "
        + count(p.roles().size(), "role")
        + ", "
        + broad
        + " broad (any destination or wildcard name), "
        + p.review().size()
        + " to review, "
        + count(p.anomalies().size(), "anomaly")
        + (p.denied().isEmpty() ? "" : ", " + count(p.denied().size(), "deny rule"))
        + ", exposure "
        + count(exposure, "never-seen address")
        + " allowed"
        + (shared == 0
            ? ""
            : ", "
                + count(shared, "name rule")
                + " on addresses shared with other names (evidence.sharedAddresses)");
  }

  private static String count(long n, String what) {
    return n
        + " "
        + (n == 1
            ? what
            : what.endsWith("y")
                ? what.substring(0, what.length() - 1) + "ies"
                : what.endsWith("s") ? what + "es" : what + "s");
  }
}
