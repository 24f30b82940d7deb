package dev.egret.cli;

import dev.egret.compile.CompileOptions;
import dev.egret.compile.NameSets;
import dev.egret.io.Escape;
import dev.egret.net.IpAddress;
import dev.egret.policy.NameTtl;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyYaml;
import dev.egret.resolve.DnsClient;
import dev.egret.resolve.NameResolver;
import dev.egret.resolve.SetLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code egret resolve POLICY}: keeps the name rules' sets current without dnsmasq. */
@Command(
    name = "resolve",
    header = "Keep the address sets of name rules current by DNS look-ups.",
    description = {
      "For sites whose resolver cannot add answers to the firewall's sets (compile --target"
          + " dnsmasq): looks up every name of the policy's name rules (A and AAAA) at the site"
          + " resolver and adds the addresses to the names' sets (loaded by compile --target"
          + " nftables or iptables) for their TTL, bounded by --min-ttl and --max-ttl, plus"
          + " --grace; an address no longer given leaves when that runs out. Each update is one"
          + " nft transaction (or ipset restore). Loops on the TTLs (backoff and jitter; when a"
          + " look-up fails, the name's last good addresses stay) unless --once. Wildcard names"
          + " cannot be looked up: only dnsmasq follows them. The sets of resolved-only rules"
          + " (any address the site resolver answered) get the answers of the policy's names"
          + " alone: only dnsmasq sees every name the hosts look up.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every name resolved and the sets were updated (--once), or stopped by a signal",
      "1:a look-up failed (--once; the rest was still loaded), or the sets could not be loaded",
      "2:usage error or unreadable policy"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret resolve --target nftables /etc/egret/policy.yaml",
      "  egret resolve --target iptables --once --server 10.0.0.53 policy.yaml   # from cron",
      "  egret resolve --target nftables --print --once policy.yaml",
    })
final class ResolveCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "POLICY", description = "The policy file (policy.yaml).")
  Path policyFile;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "<target>",
      completionCandidates = Candidates.PacketFilters.class,
      description = "${COMPLETION-CANDIDATES}: whose sets to update (as loaded by compile).")
  String target;

  @Option(
      names = "--server",
      paramLabel = "ADDR",
      description = "The resolver's address. Default: the first nameserver of /etc/resolv.conf.")
  String server;

  @Option(
      names = "--once",
      description = "One round, then exit (for cron); otherwise loop on the TTLs.")
  boolean once;

  @Option(
      names = "--print",
      description = "Print each update's script to standard output instead of loading it.")
  boolean print;

  @Mixin NameTtlOptions ttlOptions;

  @Option(
      names = "--max-addresses",
      paramLabel = "N",
      defaultValue = "16",
      description = "At most N addresses per name and family. Default: ${DEFAULT-VALUE}.")
  int maxAddresses;

  @Option(
      names = "--mode",
      paramLabel = "<mode>",
      completionCandidates = Candidates.Modes.class,
      defaultValue = "host",
      description = "${COMPLETION-CANDIDATES}, as given to compile. Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description = "Host mode: the roles this address belongs to, as given to compile.")
  List<String> hosts = new ArrayList<>();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  private volatile boolean stopped;

  @Override
  public Integer call() throws Exception {
    SetLoader.Kind kind =
        switch (target) {
          case "nftables" -> SetLoader.Kind.NFTABLES;
          case "iptables" -> SetLoader.Kind.IPTABLES;
          default ->
              throw new UserError(
                  "--target must be nftables or iptables, not \""
                      + Escape.forTerminal(target)
                      + "\"");
        };
    NameTtl ttl = ttlOptions.ttl();
    CompileOptions options;
    IpAddress resolver;
    try {
      options = CompileScope.of(mode, hosts).build();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    try {
      resolver = server != null ? IpAddress.parse(server) : systemResolver();
    } catch (IllegalArgumentException e) {
      throw new UserError((server != null ? "--server: " : "") + e.getMessage());
    }
    if (maxAddresses < 1) {
      throw new UserError("--max-addresses must be at least 1, not " + maxAddresses);
    }
    Policy policy = PolicyYaml.read(policyFile);
    List<NameSets.NameSet> sets = NameSets.of(policy, options);
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    NameResolver nr = new NameResolver(sets, ttl, maxAddresses, new SecureRandom());
    for (String w : nr.wildcards()) {
      err.println("egret: resolve: " + w + " is a wildcard: only dnsmasq can follow it");
    }
    List<String> resolvedOnly = NameSets.resolvedOnlyRules(policy, options);
    if (!resolvedOnly.isEmpty()) {
      err.println("egret: resolve: " + Escape.forTerminal(everyAnswer(resolvedOnly)));
    }
    if (nr.lookups() == 0) {
      err.println("egret: resolve: no name to look up in " + policyFile);
      return ExitCodes.OK;
    }
    DnsClient client = new DnsClient(resolver, 53, 3000);
    SetLoader loader = new SetLoader(kind, NameSets.NFT_TABLE);
    Thread main = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              stopped = true;
              main.interrupt();
            });
    if (!once) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    while (true) {
      NameResolver.Round r = nr.round(client::query);
      for (String f : r.failures()) {
        err.println("egret: resolve: " + Escape.forTerminal(f));
      }
      boolean loaded = true;
      if (print) {
        out.print(loader.script(r.update()));
        out.flush();
      } else {
        try {
          loader.load(r.update());
        } catch (IOException e) {
          loaded = false;
          err.println("egret: resolve: " + Escape.forTerminal(e.getMessage()));
        }
      }
      err.println(
          "egret: resolve: "
              + r.update().size()
              + " addresses in "
              + r.update().summary().size()
              + " sets"
              + (r.failures().isEmpty() ? "" : ", " + r.failures().size() + " look-ups failed")
              + (once ? "" : "; next round in " + r.nextDelaySeconds() + " s"));
      err.flush();
      if (once) {
        return r.failures().isEmpty() && loaded ? ExitCodes.OK : ExitCodes.FAILURE;
      }
      try {
        Thread.sleep(r.nextDelaySeconds() * 1000);
      } catch (InterruptedException e) {
        if (stopped) {
          return ExitCodes.OK;
        }
        Thread.currentThread().interrupt();
        return ExitCodes.FAILURE;
      }
    }
  }

  /**
   * The warning for resolved-only rules: they allow what the site resolver answers for any name,
   * and resolve sees only the policy's names.
   */
  static String everyAnswer(List<String> rules) {
    return (rules.size() == 1 ? "rule " : "rules ")
        + String.join(", ", rules)
        + (rules.size() == 1 ? " allows" : " allow")
        + " every address the site resolver answers, but resolve looks up the policy's names"
        + " only: to follow the other names the hosts look up, use compile --target dnsmasq"
        + " (or dnsmasq-ipset) at the site resolver";
  }

  /** The first {@code nameserver} of /etc/resolv.conf that is an address. */
  static IpAddress systemResolver() {
    Path conf = Path.of("/etc/resolv.conf");
    try {
      for (String line : Files.readAllLines(conf)) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 2 && f[0].equals("nameserver")) {
          String a = f[1];
          int pct = a.indexOf('%');
          return IpAddress.parse(pct < 0 ? a : a.substring(0, pct));
        }
      }
    } catch (IOException e) {
      throw new UserError(conf + ": " + e.getMessage() + "; give --server");
    }
    throw new UserError(conf + ": no nameserver line; give --server");
  }
}
