package dev.egret.cli;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Baselines;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Learner;
import dev.egret.flow.FlowConfig;
import dev.egret.flow.FlowPipeline;
import dev.egret.io.Csv;
import dev.egret.io.Escape;
import dev.egret.io.Times;
import dev.egret.logs.LogFiles;
import dev.egret.policy.DnsAnswers;
import dev.egret.policy.NameTtl;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyChecker;
import dev.egret.policy.PolicyYaml;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code egret check --policy policy.yaml FILE...}: what the policy would block. */
@Command(
    name = "check",
    header = "List what a policy would block in captures or baselines.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:nothing would be blocked",
      "1:the policy would block something",
      "2:usage error, unreadable policy or input"
    },
    description = {
      "List every egress connection in captures or baselines that the policy would block,"
          + " grouped by host, destination and port, with counts and first time seen.",
      "A rule whose destination is a name also allows an address that a DNS answer for the name"
          + " (or a name under its wildcard) in the files gave, when the connection started"
          + " within the answer's TTL (bounded to 60-3600 s) plus 300 s of grace, or within the"
          + " rule's hold: what the resolver's sets allow (compile --target dnsmasq, egret"
          + " resolve).",
      "Audit logs (kernel log lines or NFLOG captures of rules compiled with --audit) are"
          + " checked per user: a per-user rule allows only its user. A connection whose user is"
          + " unknown (captures, Zeek, EVE) counts as allowed by a per-user rule, as it may be"
          + " that user's.",
      "Exit 0 when nothing would be blocked, 1 when something would, 2 on error.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret check --policy policy.yaml today.pcap",
      "  egret check --policy policy.yaml baseline.json --csv > blocked.csv",
      "  egret check --policy policy.yaml /nsm/zeek/logs/2026-11-28   # yesterday's drift",
    })
final class CheckCommand implements Callable<Integer> {
  @Option(names = "--policy", required = true, paramLabel = "POLICY")
  Path policyFile;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description =
          "Captures (pcap, pcapng, .gz, -), Zeek logs or a Zeek log directory, Suricata EVE"
              + " JSON, audit logs (kernel log text or NFLOG captures), or baseline JSON files.")
  List<String> files;

  @Option(names = "--csv", description = "CSV instead of a table.")
  boolean csv;

  @Option(
      names = "--no-resolver",
      description =
          "Judge name rules by their learned addresses only, as a firewall whose name sets no"
              + " resolver feeds (no dnsmasq sets, no egret resolve). Default: a name rule also"
              + " allows the addresses DNS answers in the files gave for its names.")
  boolean noResolver;

  @Mixin ConfigOptions configOptions;

  @Mixin FlowOptions flowOptions;

  @Mixin InputOptions inputOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Policy policy = PolicyYaml.read(policyFile);
    PrintWriter err = spec.commandLine().getErr();
    Seen seen = read(files, configOptions.load(), flowOptions, inputOptions, err, policy);
    List<PolicyChecker.Blocked> blocked =
        new PolicyChecker(policy)
            .check(
                seen.baseline(),
                noResolver ? new DnsAnswers(NameTtl.DEFAULT) : seen.dns(),
                seen.starts());
    for (dev.egret.policy.DnsTunnels.Suspect s : dev.egret.policy.DnsTunnels.of(seen.baseline())) {
      err.println(
          "egret: check: warning: " + s.host() + " asked " + Escape.forTerminal(s.detail()));
    }
    blocked = new ArrayList<>(blocked);
    blocked.sort(
        java.util.Comparator.comparing(PolicyChecker.Blocked::host)
            .thenComparing(b -> -b.flows())
            .thenComparing(PolicyChecker.Blocked::destination));
    PrintWriter out = spec.commandLine().getOut();
    if (csv) {
      CSVPrinter p =
          Csv.printer(
              out,
              "host",
              "destination",
              "protocol",
              "port",
              "flows",
              "first_seen",
              "names",
              "uid");
      for (PolicyChecker.Blocked b : blocked) {
        p.printRecord(
            b.host(),
            b.destination(),
            b.protocol(),
            b.port(),
            b.flows(),
            Times.format(b.firstSeenNs()),
            Csv.cell(String.join(" ", b.names())),
            b.uid() == null ? "" : b.uid());
      }
      p.flush();
    } else if (!blocked.isEmpty()) {
      // A user column only when an audit log said who sent something.
      boolean users = blocked.stream().anyMatch(b -> b.uid() != null);
      String row = "%-39s %-39s %-6s %6s " + (users ? "%7s " : "%s") + "%7s  %-27s  %s";
      out.println(
          String.format(
                  row,
                  "host",
                  "destination",
                  "proto",
                  "port",
                  users ? "uid" : "",
                  "flows",
                  "first seen",
                  "names")
              .stripTrailing());
      for (PolicyChecker.Blocked b : blocked) {
        out.println(
            String.format(
                    row,
                    b.host(),
                    b.destination(),
                    b.protocol(),
                    b.port(),
                    !users ? "" : b.uid() == null ? "-" : b.uid(),
                    b.flows(),
                    Times.format(b.firstSeenNs()),
                    Escape.forTerminal(BaselineCommand.truncate(String.join(", ", b.names()), 100)))
                .stripTrailing());
      }
    }
    out.flush();
    long flows = blocked.stream().mapToLong(PolicyChecker.Blocked::flows).sum();
    err.println(
        "egret: check: "
            + (blocked.isEmpty()
                ? "nothing would be blocked"
                : blocked.size()
                    + " host/destination/port groups ("
                    + flows
                    + " connections) would be blocked"));
    return blocked.isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  /**
   * What {@code files} hold, as one baseline: baseline JSON files merged as they are, captures
   * replayed through the learner, Zeek and EVE logs read into it. Shared with {@code report
   * --check}, which reads inputs by content.
   */
  /**
   * What the files hold: the merged baseline, the DNS answers seen (each baseline's DNS names, and
   * every answer of the captures at its time) and, for captures, the start of each connection a
   * name rule of {@code policy} could allow.
   */
  record Seen(Baseline baseline, DnsAnswers dns, PolicyChecker.FlowStarts starts) {}

  static Baseline seen(
      List<String> files, EgretConfig config, FlowOptions flowOptions, PrintWriter err)
      throws IOException {
    return read(files, config, flowOptions, null, err, null).baseline();
  }

  /** {@link #seen(List, EgretConfig, FlowOptions, PrintWriter)} with {@code --format}. */
  static Baseline seen(
      List<String> files,
      EgretConfig config,
      FlowOptions flowOptions,
      InputOptions inputOptions,
      PrintWriter err)
      throws IOException {
    return read(files, config, flowOptions, inputOptions, err, null).baseline();
  }

  static Seen read(
      List<String> files,
      EgretConfig config,
      FlowOptions flowOptions,
      InputOptions inputOptions,
      PrintWriter err,
      Policy policy)
      throws IOException {
    Baseline seen = Baseline.empty(Version.get());
    List<String> captures = new ArrayList<>();
    DnsAnswers dns = new DnsAnswers(NameTtl.DEFAULT);
    PolicyChecker.FlowStarts starts = key -> null;
    for (String f : files) {
      if (isBaseline(f)) {
        Baseline b = BaselineJson.read(Path.of(f));
        dns.addBaseline(b);
        seen = Baselines.merge(seen, b, Version.get());
      } else {
        captures.add(f);
      }
    }
    if (!captures.isEmpty()) {
      FlowConfig flowConfig = flowOptions.config(); // options before files
      AuditInputs audits = AuditInputs.of(captures, inputOptions);
      LogInputs inputs = LogInputs.of(audits.rest(), inputOptions);
      Replay replay = Replay.open(inputs.captures());
      Learner learner = new Learner(config);
      FlowPipeline pipeline;
      DnsCheckTap tap = policy == null ? null : new DnsCheckTap(learner, policy, dns);
      if (tap != null) {
        starts = tap.starts();
        pipeline = new FlowPipeline(flowConfig, tap, tap);
      } else {
        pipeline = new FlowPipeline(flowConfig, learner, learner);
      }
      replay.run(pipeline, err);
      pipeline.flush();
      if (tap != null) {
        inputs.read(tap, tap, err, flowConfig.decapsulate());
      } else {
        inputs.read(learner, learner, err, flowConfig.decapsulate());
      }
      audits.read(learner, err);
      inputs.summarize(err);
      audits.summarize(err);
      seen =
          Baselines.merge(
              seen, learner.snapshot(Version.get(), List.of(), 0, 0, 0, 0), Version.get());
    }
    return new Seen(seen, dns, starts);
  }

  /**
   * A JSON object first byte that does not start JSON lines (Zeek JSON or EVE, one object a line):
   * a baseline; anything else goes to the capture and log readers.
   */
  private static boolean isBaseline(String f) throws IOException {
    if (f.equals("-") || !Files.isRegularFile(Path.of(f))) {
      return false;
    }
    if (LogFiles.sniff(Path.of(f)) != null) {
      return false;
    }
    return BaselineJson.looksLikeBaseline(Path.of(f));
  }
}
