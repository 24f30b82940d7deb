package dev.egret.cli;

import dev.egret.compile.CompileOptions;
import dev.egret.compile.CompiledRules;
import dev.egret.compile.CompilerRegistry;
import dev.egret.io.AtomicFile;
import dev.egret.io.Escape;
import dev.egret.net.Cidr;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyYaml;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code egret compile}: a policy into the files a firewall loads. */
@Command(
    name = "compile",
    header = "Compile a policy to iptables, nftables, ufw or Capirca rules.",
    description = {
      "Compiles a policy into rules a firewall loads: iptables-restore/ip6tables-restore files"
          + " (and an ipset file), an nft script, a ufw script, or a Capirca policy with its"
          + " definitions; for rules whose destination is a name, a dnsmasq configuration keeps"
          + " their address sets current through the site resolver. Outbound traffic is dropped unless a rule allows it; established"
          + " connections, loopback and the operators' way in (defaults.keepAccess) stay open;"
          + " drops are logged at a limited rate.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "2:usage error, unreadable policy, or a feature the target cannot express (all listed)"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret compile --target nftables policy.yaml --host 10.1.0.10 > egret.nft",
      "  egret compile --target iptables --mode gateway policy.yaml -o rules/",
      "  egret compile --target capirca --mode gateway policy.yaml -o capirca/",
      "  egret compile --target dnsmasq policy.yaml > /etc/dnsmasq.d/egret.conf",
    })
public final class CompileCommand implements Callable<Integer> {
  @Option(
      names = "--target",
      required = true,
      paramLabel = "<target>",
      completionCandidates = Candidates.Targets.class,
      description =
          "One of ${COMPLETION-CANDIDATES}. dnsmasq (dnsmasq-ipset for the iptables target's"
              + " sets) is the site resolver's configuration that adds every answer for a name of the"
              + " name rules to that name's set, which the rules match, and, when a rule is"
              + " resolved-only (any: true, resolved: true), every answer for any name to the sets"
              + " that rule matches.")
  String target;

  @Parameters(index = "0", paramLabel = "POLICY", description = "The policy file (policy.yaml).")
  Path policy;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description =
          "Write the files into DIR (created if missing; its parent must exist); without it, a"
              + " single file goes to stdout.")
  Path outDir;

  @Option(
      names = "--mode",
      defaultValue = "host",
      paramLabel = "<mode>",
      completionCandidates = Candidates.Modes.class,
      description =
          "host: rules for the machine itself (output); gateway: for a router in front of the"
              + " hosts (forward, matching each role's sources). Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description =
          "Host mode: compile the rules of the machine with this address (repeatable). Needed"
              + " when the policy has more than one role; an address in no role gets deny-all"
              + " egress (loopback, established, keep-access, logging) and a warning.")
  List<String> hosts = new ArrayList<>();

  @Option(
      names = "--all-roles",
      description =
          "Host mode without --host: one ruleset with every role's rules (a warning says that a"
              + " machine loading it may do what any role may).")
  boolean allRoles;

  @Option(
      names = "--standalone",
      description = "iptables: write the whole filter table with chain policies.")
  boolean standalone;

  @Option(
      names = "--no-keep-access",
      description = "Do not keep the operators' way in (defaults.keepAccess) open.")
  boolean noKeepAccess;

  @Option(names = "--reject", description = "Reject what is not allowed instead of dropping it.")
  boolean reject;

  @Option(
      names = "--set-threshold",
      paramLabel = "N",
      defaultValue = "8",
      description = "iptables: use an ipset past this many addresses. Default: ${DEFAULT-VALUE}.")
  int setThreshold;

  @Option(
      names = "--platform",
      split = ",",
      paramLabel = "PLATFORM",
      description =
          "capirca: the platforms to open, from juniper, cisco, arista, paloalto, packetfilter,"
              + " windows_advfirewall, gce, k8s; each must express every rule. Default: every"
              + " one that can express the policy, with one warning per reason naming those"
              + " left out.")
  List<String> platforms;

  @Option(
      names = "--inside",
      split = ",",
      paramLabel = "CIDR",
      description =
          "gateway: the site's networks, whose hosts' new connections the rules judge; every"
              + " role's hosts count too, and a connection from outside towards them is left to"
              + " the router's own rules. Default: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16,"
              + " 100.64.0.0/10, fc00::/7. Give it when the site's hosts have public addresses.")
  List<String> inside = new ArrayList<>();

  @Option(
      names = "--log-group",
      paramLabel = "N",
      description =
          "nftables, iptables: log what is dropped to NFLOG group N (0-65535) instead of the"
              + " kernel log; egret drops --log-group N reads it live.")
  Integer logGroup;

  @Option(
      names = "--audit",
      description =
          "nftables, iptables: block nothing; log each new connection the policy would block,"
              + " with its user (host mode), and accept it. egret drops reads the log back.")
  boolean audit;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    CompileOptions options;
    if (logGroup != null && (logGroup < 0 || logGroup > 65535)) {
      throw new UserError("--log-group must be an NFLOG group from 0 to 65535, not " + logGroup);
    }
    try {
      CompileOptions.Builder builder = CompileScope.of(mode, hosts);
      List<Cidr> insideNets = new ArrayList<>();
      for (String c : inside) {
        try {
          insideNets.add(Cidr.parse(c.trim()));
        } catch (IllegalArgumentException e) {
          throw new UserError("--inside: " + Escape.forTerminal(e.getMessage()));
        }
      }
      options =
          builder
              .standalone(standalone)
              .keepAccess(!noKeepAccess)
              .reject(reject)
              .setThreshold(setThreshold)
              .capircaPlatforms(platforms)
              .allRoles(allRoles)
              .logGroup(logGroup == null ? CompileOptions.KERNEL_LOG : logGroup)
              .audit(audit)
              .inside(insideNets)
              .build();
      CompilerRegistry.get(target);
      refuseIgnoredOptions();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    Policy p = PolicyYaml.read(policy);
    CompiledRules rules;
    try {
      rules = CompilerRegistry.get(target).compile(p, options);
    } catch (dev.egret.policy.PolicyException e) {
      throw new UserError(policy + ": " + e.getMessage());
    }
    if (audit) {
      spec.commandLine()
          .getErr()
          .println(
              "egret: warning: --audit: these rules block nothing; they log what the policy would"
                  + " block and accept it");
    }
    for (String w : rules.warnings()) {
      spec.commandLine().getErr().println("egret: warning: " + Escape.forTerminal(w));
    }
    if (outDir == null) {
      if (rules.files().size() != 1) {
        throw new UserError(
            "target "
                + target
                + " writes "
                + rules.files().size()
                + " files ("
                + String.join(", ", rules.files().keySet())
                + "); give -o DIR");
      }
      spec.commandLine().getOut().print(rules.files().values().iterator().next());
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
    AtomicFile.checkParent(outDir);
    if (java.nio.file.Files.exists(outDir) && !java.nio.file.Files.isDirectory(outDir)) {
      throw new UserError(outDir + ": not a directory (-o names the directory the rules go to)");
    }
    java.nio.file.Files.createDirectories(outDir);
    for (var e : rules.files().entrySet()) {
      Path file = outDir.resolve(e.getKey());
      java.nio.file.Files.createDirectories(file.getParent()); // a target's own layout (def/, ...)
      AtomicFile.write(file, e.getValue().getBytes(StandardCharsets.UTF_8));
    }
    spec.commandLine()
        .getErr()
        .println("egret: wrote " + String.join(", ", rules.files().keySet()) + " to " + outDir);
    return ExitCodes.OK;
  }

  /**
   * The options only some targets read, in the order they are checked: given for another target
   * they would do nothing, so they are refused.
   */
  private static final List<Map.Entry<String, List<String>>> TARGETS_OF =
      List.of(
          Map.entry("--log-group", List.of("nftables", "iptables")),
          Map.entry("--audit", List.of("nftables", "iptables")),
          Map.entry("--reject", List.of("nftables", "iptables", "ufw", "capirca")),
          Map.entry("--no-keep-access", List.of("nftables", "iptables", "ufw")),
          Map.entry("--standalone", List.of("iptables")),
          Map.entry("--set-threshold", List.of("iptables")),
          Map.entry("--platform", List.of("capirca")));

  /** A usage error for an option this target would ignore, or for --audit with --reject. */
  private void refuseIgnoredOptions() {
    ParseResult given = spec.commandLine().getParseResult();
    for (Map.Entry<String, List<String>> o : TARGETS_OF) {
      List<String> ts = o.getValue();
      if (given.hasMatchedOption(o.getKey()) && !ts.contains(target)) {
        String last = ts.get(ts.size() - 1);
        String which =
            ts.size() == 1
                ? "the " + last + " target"
                : "the "
                    + String.join(", ", ts.subList(0, ts.size() - 1))
                    + " and "
                    + last
                    + " targets";
        throw new UserError(o.getKey() + " applies to " + which + " only");
      }
    }
    if (audit && reject) {
      throw new UserError("--audit and --reject exclude each other: audit rules block nothing");
    }
  }
}
