package dev.egret.compile;

import dev.egret.net.HostName;
import dev.egret.net.Protocols;
import dev.egret.policy.Domains;
import dev.egret.policy.NameTtl;
import dev.egret.policy.Policy;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A dnsmasq configuration for the site resolver, {@code egret-dnsmasq.conf}: for every name of the
 * name rules ({@link NameSets}), an {@code nftset=} line (target {@code dnsmasq}, for the nftables
 * rules) or an {@code ipset=} line (target {@code dnsmasq-ipset}, for the iptables rules) so that
 * each address dnsmasq answers for the name goes into the name's set, which every rule with the
 * name matches, and TTL bounds so that dnsmasq asks again, and adds the new addresses, at least
 * every {@link NameTtl#maxTtl} seconds. Each line lists one set per family: at most {@value
 * #LINE_MAX} characters however many rules share the name.
 *
 * <p>Names are wire text: only RFC 1123 host names and wildcards ({@link HostName}) are written;
 * anything else is left out with a warning (dnsmasq gives {@code /}, {@code #} and {@code ,} a
 * meaning). dnsmasq matches {@code /name/} for the name and every name under it, and {@code
 * /*.name/} for the names under it only; it uses the most specific line that matches, so a wildcard
 * rule also matches the sets of the names under it that have a line of their own.
 *
 * <p>When a resolved-only rule applies ({@link NameSets#isResolvedOnly}: any address the site
 * resolver answered), a {@code /#/} line (every name) sends every answer to the sets of {@link
 * NameSets#ANY_ANSWER}, and every other line lists those sets too: dnsmasq puts an answer only into
 * the sets of the most specific line, so the answer for a name of its own would miss them. And
 * {@code use-application-dns.net}, Firefox's canary for DNS over HTTPS, gets NXDOMAIN, so that
 * Firefox keeps asking this resolver, whose answers alone reach the sets.
 */
public final class DnsmasqCompiler implements RuleCompiler {
  public static final String FILE = "egret-dnsmasq.conf";

  /**
   * The longest line written: {@code nftset=/} (8), a name (253), {@code /}, and up to six sets of
   * {@code 4#inet#egret#n4_} and 16 hex digits (32 each: a name's, its wildcard's and every
   * answer's, per family) with commas. dnsmasq reads lines of up to 1,024 characters.
   */
  static final int LINE_MAX = 8 + 253 + 1 + 6 * 32 + 5;

  /** Firefox's canary domain: NXDOMAIN for it turns Firefox's default DNS over HTTPS off. */
  static final String DOH_CANARY = "use-application-dns.net";

  /**
   * Public services that answer any address spelled in the name ({@code 203.0.113.7.nip.io}, {@code
   * 203-0-113-7.sslip.io}) or rebind a name between two addresses: through them anyone could have
   * the site resolver answer, and so open to a resolved-only rule, any address without owning a
   * zone. They get NXDOMAIN where a resolved-only rule applies, but for one the policy's own names
   * are under.
   */
  static final List<String> ADDRESS_IN_NAME =
      List.of("1u.ms", "backname.io", "nip.io", "rbndr.us", "sslip.io", "traefik.me", "xip.io");

  private final boolean ipset;

  private DnsmasqCompiler(boolean ipset) {
    this.ipset = ipset;
  }

  /** {@code nftset=} lines for the nftables target's sets. */
  public static DnsmasqCompiler nftables() {
    return new DnsmasqCompiler(false);
  }

  /** {@code ipset=} lines for the iptables target's ipsets. */
  public static DnsmasqCompiler ipsets() {
    return new DnsmasqCompiler(true);
  }

  @Override
  public String target() {
    return ipset ? "dnsmasq-ipset" : "dnsmasq";
  }

  @Override
  public CompiledRules compile(Policy policy, CompileOptions options) {
    NameTtl ttl = NameTtl.DEFAULT;
    EgressPlan plan = EgressPlan.of(policy, options);
    List<String> warnings = new ArrayList<>();
    NameSets.Index index = new NameSets.Index(plan);
    for (Rule r : plan.rules) {
      if (r.destination().any()) {
        continue;
      }
      for (String bad : NameSets.invalidNames(r)) {
        String why = "\" is not an RFC 1123 host name, left out";
        warnings.add("rule " + r.name() + ": name \"" + bad + why);
      }
    }
    warnings.addAll(unpinned(plan));
    Map<String, List<NameSets.NameSet>> domains = domains(index);
    for (String d : List.copyOf(domains.keySet())) {
      if (!d.equals(NameSets.ANY_ANSWER) && Domains.isPublicSuffix(d)) {
        domains.remove(d);
        warnings.add(
            "name "
                + d
                + " is a public suffix: dnsmasq would follow every name registered under it, so"
                + " it gets no line (its rules keep their learned addresses; egret resolve follows"
                + " the name itself)");
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("# egret egress policy: dnsmasq configuration for the site resolver, for the ")
        .append(ipset ? "ipsets of the iptables rules" : "nftables rules' sets")
        .append(".\n");
    sb.append("# Every address dnsmasq answers for a name below goes into the name's set, which\n");
    sb.append("# every rule with the name (or a wildcard over it) matches.\n");
    sb.append("# Install as /etc/dnsmasq.d/egret.conf after loading the rules (the sets must\n");
    sb.append("# exist), then restart dnsmasq; restart it after every reload of the rules too.\n");
    sb.append("# Hosts must resolve through this dnsmasq: answers from elsewhere add nothing.\n");
    sb.append("# TTLs bounded so that dnsmasq asks again at least every max-cache-ttl seconds.\n");
    sb.append("min-cache-ttl=").append(ttl.minTtl()).append('\n');
    sb.append("max-cache-ttl=").append(ttl.maxTtl()).append('\n');
    sb.append("max-ttl=").append(ttl.maxTtl()).append('\n');
    if (!index.anyAnswer().isEmpty()) {
      sb.append("# Resolved-only rules allow every address this dnsmasq answers, for any name:\n");
      sb.append(
          "# /#/ sends every answer to their sets, and as dnsmasq puts an answer only into\n");
      sb.append("# the sets of the most specific line for its name, every line lists them too.\n");
      sb.append(
          "# Firefox's DNS-over-HTTPS canary: NXDOMAIN here keeps Firefox on this resolver,\n");
      sb.append("# whose answers alone reach the sets.\n");
      sb.append("server=/").append(DOH_CANARY).append("/\n");
      List<String> refused = new ArrayList<>();
      for (String d : ADDRESS_IN_NAME) {
        if (domains.keySet().stream().noneMatch(n -> n.equals(d) || n.endsWith("." + d))) {
          refused.add(d);
        }
      }
      if (!refused.isEmpty()) {
        sb.append("# Services that answer any address spelled in the name (or rebind it) get\n");
        sb.append("# NXDOMAIN: through them anyone could open any address to those rules.\n");
        sb.append("server=/").append(String.join("/", refused)).append("/\n");
      }
    }
    // One line per domain, listing its one set per family (two when a name and the wildcard over
    // it share the domain): dnsmasq uses only the most specific line that matches a name, and
    // refuses lines over about 1,024 characters.
    domains.forEach(
        (domain, sets) -> {
          sb.append(ipset ? "ipset=/" : "nftset=/").append(domain).append('/');
          sb.append(String.join(",", sets.stream().map(this::spec).toList())).append('\n');
        });
    for (String c : warnings) {
      sb.append("# warning: ").append(SafeText.of(c, 200)).append('\n');
    }
    return CompiledRules.of(target(), Map.of(FILE, sb.toString())).withWarnings(warnings);
  }

  /**
   * The sets by the domain of their dnsmasq line. dnsmasq matches {@code ipset=} and {@code
   * nftset=} domains by suffix, on whole labels, and has no wildcard there ({@code /*.d/} would
   * match no name at all): {@code /d/} takes {@code d} and every name under it. So a wildcard
   * {@code *.d} is written as {@code /d/}, sharing the line of the name {@code d} when a rule has
   * it; {@code check} counts the answers for names under a rule's name as dnsmasq does.
   */
  static Map<String, List<NameSets.NameSet>> domains(NameSets.Index index) {
    Map<String, List<NameSets.NameSet>> out = new TreeMap<>();
    index
        .lines()
        .forEach(
            (pattern, sets) ->
                out.computeIfAbsent(
                        HostName.isWildcard(pattern) ? pattern.substring(2) : pattern,
                        k -> new ArrayList<>())
                    .addAll(sets));
    // Every answer's sets on every line, as dnsmasq uses the most specific line alone.
    List<NameSets.NameSet> any = index.anyAnswer();
    out.forEach(
        (domain, sets) -> {
          if (!domain.equals(NameSets.ANY_ANSWER)) {
            sets.addAll(any);
          }
        });
    return out;
  }

  /** {@code 4#inet#egret#d4_rule} or the ipset's name. */
  private String spec(NameSets.NameSet s) {
    if (ipset) {
      return s.ipset();
    }
    return (s.v4() ? "4" : "6") + "#inet#" + NameSets.NFT_TABLE + "#" + s.nftSet();
  }

  /** True when wildcard {@code w} (not {@code p} itself) matches every name pattern {@code p}. */
  static boolean covers(String w, String p) {
    if (!HostName.isWildcard(w) || w.equals(p)) {
      return false;
    }
    String under = HostName.isWildcard(p) ? p.substring(2) : p;
    return HostName.matches(w, under);
  }

  /**
   * A role that follows names (or every answer) but may send DNS to any destination is not pinned
   * to the site resolver: answers it gets elsewhere never reach the sets, and DNS to anywhere is a
   * way out.
   */
  private static List<String> unpinned(EgressPlan plan) {
    List<String> out = new ArrayList<>();
    Set<String> named = new TreeSet<>();
    for (Rule r : plan.rules) {
      if (NameSets.isNameRule(r) || NameSets.isResolvedOnly(r)) {
        named.add(r.role());
      }
    }
    for (Rule r : plan.rules) {
      boolean dns =
          (r.protocolNumber() == Protocols.UDP || r.protocolNumber() == Protocols.TCP)
              && (r.ports().isEmpty() || r.ports().stream().anyMatch(p -> p.contains(53)));
      if (dns && r.destination().any() && named.contains(r.role())) {
        out.add(
            "rule "
                + r.name()
                + " lets role "
                + r.role()
                + " send DNS to any destination: pin it to the site resolver's address");
      }
    }
    return out;
  }
}
