package dev.egret.cli;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyChecker;
import dev.egret.policy.PolicyYaml;
import dev.egret.report.HtmlReport;
import dev.egret.report.ReportInput;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code egret report BASELINE [--policy P] [--check FILE...] -o report.html}. */
@Command(
    name = "report",
    header = "Write an offline HTML report of a baseline and its policy.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the report written", "2:usage error or unreadable input"},
    description = {
      "Write one self-contained HTML page (no network fetches) to look at what was learned: per"
          + " host where egress goes, new destinations per day, hour-of-day maps where a beacon"
          + " is a full row, anomalies by importance, the capture's drops and the window's"
          + " caveats; with --policy the rules with their evidence and the review list; with"
          + " --check what the policy would block; with --policy given twice (older first) what"
          + " changed; with --drops what the firewall blocked.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret report baseline.json -o report.html",
      "  egret report baseline.json --policy policy.yaml --check today.pcap -o report.html",
      "  egret report baseline.json --policy last-week.yaml --policy policy.yaml -o report.html",
      "  egret report baseline.json --policy policy.yaml --drops /var/log/kern.log -o report.html",
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "BASELINE", description = "The baseline JSON file.")
  Path baseline;

  @Option(
      names = "--policy",
      paramLabel = "POLICY",
      description = "The policy to show; give it twice (older, then newer) to show what changed.")
  List<Path> policies;

  @Option(
      names = "--check",
      arity = "1..*",
      paramLabel = "FILE",
      description =
          "Captures (pcap, pcapng, .gz) or baseline JSON files to check against the policy.")
  List<String> check;

  @Option(
      names = "--drops",
      arity = "1..*",
      paramLabel = "LOG",
      description =
          "Kernel logs (journalctl -k, kern.log, dmesg; - for standard input) whose egret-drop"
              + " lines to show, as egret drops reads them.")
  List<String> drops;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "The HTML file to write (atomically); - for standard output.")
  String output;

  @Mixin ConfigOptions configOptions;

  @Mixin FlowOptions flowOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    int n = policies == null ? 0 : policies.size();
    if (n > 2) {
      throw new UserError("--policy: give one policy, or two (older, then newer), not " + n);
    }
    if (check != null && n == 0) {
      throw new UserError("--check needs --policy");
    }
    Baseline b = BaselineJson.read(baseline);
    Policy policy = n == 0 ? null : PolicyYaml.read(policies.get(n - 1));
    Policy previous = n == 2 ? PolicyYaml.read(policies.get(0)) : null;
    List<PolicyChecker.Blocked> blocked = null;
    if (check != null) {
      Baseline seen =
          CheckCommand.seen(check, configOptions.load(), flowOptions, spec.commandLine().getErr());
      blocked = new PolicyChecker(policy).check(seen);
    }
    List<dev.egret.drops.DropGroup> dropGroups =
        drops == null ? null : DropsCommand.readAll(drops).groups(b);
    ReportInput input =
        new ReportInput(
            b,
            baseline.getFileName().toString(),
            policy,
            previous,
            blocked,
            check == null
                ? List.of()
                : check.stream().map(f -> Path.of(f).getFileName().toString()).toList(),
            dropGroups);
    Output.to(spec.commandLine().getOut(), output, w -> HtmlReport.write(input, w));
    spec.commandLine()
        .getErr()
        .println(
            "egret: report: "
                + b.hosts().size()
                + " hosts"
                + (policy == null ? "" : ", " + policy.rules().size() + " rules")
                + (blocked == null ? "" : ", " + blocked.size() + " would be blocked")
                + " -> "
                + ("-".equals(output) ? "standard output" : output));
    return ExitCodes.OK;
  }
}
