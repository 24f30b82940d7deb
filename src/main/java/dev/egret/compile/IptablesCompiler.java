package dev.egret.compile;

import dev.egret.compile.EgressPlan.Entry;
import dev.egret.compile.EgressPlan.Family;
import dev.egret.compile.EgressPlan.Keep;
import dev.egret.net.Cidr;
import dev.egret.net.Protocols;
import dev.egret.policy.PortRange;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * iptables-restore and ip6tables-restore files ({@code rules.v4}, {@code rules.v6}) and, when a
 * rule has more addresses on one side than the set threshold, an {@code ipset restore} file ({@code
 * ipset.conf}) to load first.
 *
 * <p>By default the files hold one chain, {@value #CHAIN}, and the jump into it from OUTPUT (host)
 * or FORWARD (gateway), to be loaded with {@code --noflush} beside an existing ruleset; declaring
 * the chain flushes it, so a reload replaces the rules. With {@code standalone} they hold the whole
 * filter table with chain policies. In gateway mode (not audit) they also hold a raw table section:
 * {@value #RPF_CHAIN} and its jump from PREROUTING, the reverse path check (the whole raw table
 * with {@code standalone}).
 */
public final class IptablesCompiler implements RuleCompiler {
  public static final String CHAIN = "EGRET-EGRESS";

  /** Gateway mode: the chain that judges what the site's hosts start. */
  public static final String SITE_CHAIN = "EGRET-SITE";

  /**
   * Gateway mode: the raw table's chain, jumped to from PREROUTING, that drops a forwarded packet
   * whose source is not routed back through the interface it came in on (a host of the site that
   * forges its source). iptables' reverse path match is valid only in raw and mangle PREROUTING.
   */
  public static final String RPF_CHAIN = "EGRET-RPF";

  /** The comment of the reverse path drop, the same as the nftables target's. */
  static final String FORGED = "egret: forged source, not routed back where it came from";

  /** ICMPv6 router solicitation, neighbour solicitation and advertisement (hop limit 255). */
  static final List<String> NEIGHBOUR_DISCOVERY = List.of("133", "135", "136");

  /** ICMPv6 multicast listener report, done and version 2 report (hop limit 1). */
  static final List<String> LISTENER_REPORTS = List.of("131", "132", "143");

  /** The state match of a keep-access reply rule: never a new connection. */
  private static final String REPLIES = " -m conntrack --ctstate ESTABLISHED";

  /** iptables multiport matches at most 15 ports, a range counting as two (xt_multiport.h). */
  static final int MULTIPORT_MAX = 15;

  @Override
  public String target() {
    return "iptables";
  }

  @Override
  public CompiledRules compile(dev.egret.policy.Policy policy, CompileOptions options) {
    EgressPlan plan = EgressPlan.of(policy, options);
    Unsupported u = new Unsupported(target());
    for (Rule r : NftablesCompiler.concat(plan.rules, plan.denied)) {
      if (r.protocolNumber() == 0) {
        u.add(r.name(), "protocol 0 (iptables reads -p 0 as every protocol)");
      }
    }
    u.check();
    IpsetFile sets = new IpsetFile(options.setThreshold());
    Map<String, String> files = new TreeMap<>();
    files.put("rules.v4", table(plan, Family.V4, sets));
    files.put("rules.v6", table(plan, Family.V6, sets));
    if (!sets.isEmpty()) {
      files.put("ipset.conf", sets.text());
    }
    return CompiledRules.of(target(), files).withWarnings(plan.warnings);
  }

  private static String table(EgressPlan plan, Family f, IpsetFile sets) {
    boolean v4 = f == Family.V4;
    String hook = plan.gateway() ? "FORWARD" : "OUTPUT";
    StringBuilder sb = new StringBuilder();
    sb.append("# egret egress policy for ")
        .append(v4 ? "iptables-restore (IPv4), " : "ip6tables-restore (IPv6), ")
        .append(plan.gateway() ? "gateway mode (FORWARD)" : "host mode (OUTPUT)")
        .append('\n');
    if (plan.options.audit()) {
      sb.append(
          "# AUDIT MODE: nothing is dropped; what the policy would drop is logged and accepted.\n");
    }
    String tool = v4 ? "iptables-restore" : "ip6tables-restore";
    boolean rpf = plan.gateway() && !plan.options.audit();
    if (plan.options.standalone()) {
      sb.append(
              rpf
                  ? "# Replaces the whole raw and filter tables: "
                  : "# Replaces the whole filter table: ")
          .append(tool)
          .append(" < this file\n");
    } else {
      sb.append("# Sits beside an existing ruleset: ")
          .append(tool)
          .append(" --noflush < this file\n");
    }
    sb.append("# Needs the sets in ipset.conf first when it uses -m set: ipset restore -exist\n");
    if (rpf) {
      reversePath(sb, plan.options.standalone());
    }
    sb.append("*filter\n");
    if (plan.options.standalone()) {
      sb.append(":INPUT ACCEPT [0:0]\n");
      // Gateway mode: what egret's chain hands back (connections from outside) is accepted.
      sb.append(":FORWARD ACCEPT [0:0]\n");
      sb.append(":OUTPUT ").append(plan.gateway() ? "ACCEPT" : "DROP").append(" [0:0]\n");
    }
    sb.append(':').append(CHAIN).append(" - [0:0]\n");
    String a = "-A " + CHAIN;
    if (plan.gateway()) {
      // The router judges what the site's hosts start (and anything else it forwards), in
      // SITE_CHAIN, which ends with a verdict. A connection from outside towards the site is not
      // egress: RETURN hands it back to the rest of FORWARD, the router's own rules.
      sb.append(':').append(SITE_CHAIN).append(" - [0:0]\n");
      sb.append("-A ").append(hook).append(" -j ").append(CHAIN).append('\n');
      List<Cidr> inside = plan.inside(f);
      String set = "egret-inside" + (v4 ? "4" : "6");
      String judge = " -j " + SITE_CHAIN + "\n";
      sb.append(a).append(addr("-s", "src", inside, set, f, sets)).append(judge);
      sb.append(a).append(addr("-d", "dst", inside, set, f, sets));
      sb.append(comment("egret: from outside, not egress")).append(" -j RETURN\n");
      sb.append(a).append(judge);
      a = "-A " + SITE_CHAIN;
    } else {
      sb.append("-A ").append(hook).append(" -j ").append(CHAIN).append('\n');
    }
    if (!plan.gateway() && plan.defaults.allowLoopback()) {
      sb.append(a).append(" -o lo -j ACCEPT\n");
    }
    if (!plan.gateway() && !v4) {
      // The host's own IPv6 link: without neighbour discovery it cannot reach its router or answer
      // a neighbour, so nothing works, keep-access included. Link-local by their hop limits.
      String nd = comment("egret: IPv6 neighbour discovery, link-local, RFC 4861");
      for (String type : NEIGHBOUR_DISCOVERY) {
        sb.append(a).append(" -p ipv6-icmp -m icmp6 --icmpv6-type ").append(type);
        sb.append(" -m hl --hl-eq 255").append(nd).append(" -j ACCEPT\n");
      }
      String mld = comment("egret: IPv6 multicast listener reports, link-local, RFC 3810");
      for (String type : LISTENER_REPORTS) {
        sb.append(a).append(" -p ipv6-icmp -m icmp6 --icmpv6-type ").append(type);
        sb.append(" -m hl --hl-eq 1").append(mld).append(" -j ACCEPT\n");
      }
    }
    // Keep-access: from the listed ports, only the replies of connections already established (a
    // client socket bound to port 22 is no way out). The new connections in are inbound.
    for (Keep k : plan.keep) {
      String c = comment("egret keep-access " + k);
      String from =
          plan.gateway()
              ? addr("-s", "src", plan.inside(f), "egret-inside" + (v4 ? "4" : "6"), f, sets)
              : "";
      keepRule(sb, a, from, k, "--sport", REPLIES, c);
    }
    if (plan.defaults.allowEstablished()) {
      sb.append(a).append(" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
    }
    // A person's deny decisions come before every accepting rule, so no broad rule lets them by.
    // In audit mode they log and accept, as everything else the policy would drop.
    NameSets.Index names = new NameSets.Index(plan);
    for (Entry e : plan.denyEntries(f)) {
      for (String dst : destinations(e, f, sets, names)) {
        if (plan.options.audit()) {
          rule(sb, a, e, f, sets, dst, " -m conntrack --ctstate NEW" + auditTarget(plan) + "\n");
        }
        rule(sb, a, e, f, sets, dst, plan.options.audit() ? " -j ACCEPT\n" : " -j DROP\n");
      }
    }
    for (Entry e : plan.entries(f)) {
      for (String dst : destinations(e, f, sets, names)) {
        rule(sb, a, e, f, sets, dst, " -j ACCEPT\n");
      }
    }
    if (plan.options.audit()) {
      audit(sb, a, plan);
    } else {
      if (plan.defaults.logRate() > 0) {
        sb.append(a).append(logTarget(plan)).append('\n');
      }
      if (plan.reject()) {
        sb.append(a).append(" -p tcp -j REJECT --reject-with tcp-reset\n");
        sb.append(a)
            .append(" -j REJECT --reject-with ")
            .append(v4 ? "icmp-port-unreachable" : "icmp6-port-unreachable")
            .append('\n');
      } else {
        sb.append(a).append(" -j DROP\n");
      }
    }
    sb.append("COMMIT\n");
    return sb.toString();
  }

  /**
   * Gateway mode's reverse path check, in the raw table: a packet to be forwarded (not one to the
   * router itself) whose source the router would not route back through the interface it came in on
   * is dropped before anything else judges it, so that a host of the site can neither borrow
   * another host's rules nor have an answer sent to a forged outside address as the reply of a
   * connection from outside. Standalone, the raw table is the file's too, with accept policies.
   */
  private static void reversePath(StringBuilder sb, boolean standalone) {
    sb.append("*raw\n");
    if (standalone) {
      sb.append(":PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n");
    }
    sb.append(':').append(RPF_CHAIN).append(" - [0:0]\n");
    sb.append("-A PREROUTING -j ").append(RPF_CHAIN).append('\n');
    sb.append("-A ")
        .append(RPF_CHAIN)
        .append(" -m addrtype ! --dst-type LOCAL -m rpfilter --invert");
    sb.append(comment(FORGED)).append(" -j DROP\n");
    sb.append("COMMIT\n");
  }

  /**
   * Audit mode's end of the chain: every new connection that no rule allowed is logged, without a
   * rate limit (each is evidence for the next policy), with its user, then accepted; its later
   * packets are established and accepted above, so each connection is logged once.
   */
  private static void audit(StringBuilder sb, String chain, EgressPlan plan) {
    sb.append(chain).append(" -m conntrack --ctstate NEW").append(auditTarget(plan)).append('\n');
    sb.append(chain)
        .append(comment("egret audit: the policy would drop this"))
        .append(" -j ACCEPT\n");
  }

  /** Audit mode's log target: no rate limit, the user in host mode or the NFLOG group. */
  private static String auditTarget(EgressPlan plan) {
    if (plan.options.nflog()) {
      return " -j NFLOG --nflog-group "
          + plan.options.logGroup()
          + " --nflog-prefix \""
          + plan.defaults.logPrefix()
          + '"';
    }
    return " -j LOG --log-prefix \""
        + plan.defaults.logPrefix()
        + '"'
        + (plan.gateway() ? "" : " --log-uid");
  }

  /**
   * The rate-limited log of what is about to be dropped: the LOG target with the sending user
   * ({@code --log-uid}, host mode), or NFLOG to a group, whose records carry the user when the
   * listener asks for it (libpcap's {@code nflog} device does).
   */
  static String logTarget(EgressPlan plan) {
    StringBuilder sb = new StringBuilder(" -m limit --limit ");
    sb.append(plan.defaults.logRate()).append("/min --limit-burst ");
    sb.append(Math.max(1, plan.defaults.logBurst()));
    if (plan.options.nflog()) {
      sb.append(" -j NFLOG --nflog-group ").append(plan.options.logGroup());
      sb.append(" --nflog-prefix \"").append(plan.defaults.logPrefix()).append('"');
    } else {
      sb.append(" -j LOG --log-prefix \"").append(plan.defaults.logPrefix()).append('"');
      sb.append(plan.gateway() ? "" : " --log-uid");
    }
    return sb.toString();
  }

  private static void rule(
      StringBuilder sb, String a, Entry e, Family f, IpsetFile sets, String dst, String jump) {
    String src = addr("-s", "src", e.sources(), IpsetFile.name('s', f, e.rule().role()), f, sets);
    // The sending socket's owner: valid in OUTPUT only (EgressPlan keeps it out of gateway mode).
    String owner = e.rule().uid() == null ? "" : " -m owner --uid-owner " + e.rule().uid();
    String c = comment(e.comment());
    for (String match : protocolMatches(e.rule(), f)) {
      sb.append(a).append(src).append(dst).append(owner).append(match).append(c).append(jump);
    }
  }

  /**
   * The destination matches of an entry, one rule each: its addresses (a name rule's learned ones),
   * and for a name rule the ipset of each of its names ({@link NameSets}), created with timeout
   * support ({@code timeout 0}) for the site resolver or {@code egret resolve} to add to.
   */
  private static List<String> destinations(
      Entry e, Family f, IpsetFile sets, NameSets.Index names) {
    List<String> out = new ArrayList<>();
    if (!e.destinations().isEmpty() || !e.named()) {
      String d = IpsetFile.name('d', f, e.rule().name());
      out.add(addr("-d", "dst", e.destinations(), d, f, sets, e.named()));
    }
    if (e.named()) {
      for (NameSets.NameSet set : names.sets(e)) {
        sets.addNameSet(set);
        out.add(" -m set --match-set " + set.ipset() + " dst");
      }
    }
    return out;
  }

  private static String comment(String raw) {
    return " -m comment --comment \"" + IptablesText.comment(raw) + "\"";
  }

  /** An address match: nothing for any, a comma list, or an ipset past the threshold. */
  private static String addr(
      String flag, String dir, List<Cidr> cidrs, String setName, Family f, IpsetFile sets) {
    return addr(flag, dir, cidrs, setName, f, sets, false);
  }

  private static String addr(
      String flag,
      String dir,
      List<Cidr> cidrs,
      String setName,
      Family f,
      IpsetFile sets,
      boolean timeout) {
    if (cidrs.isEmpty()) {
      return "";
    }
    if (cidrs.size() > sets.threshold) {
      sets.add(setName, f, cidrs, timeout);
      return " -m set --match-set " + setName + " " + dir;
    }
    StringBuilder sb = new StringBuilder(" ").append(flag).append(' ');
    for (int i = 0; i < cidrs.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(cidrs.get(i));
    }
    return sb.toString();
  }

  /** The protocol part of each line the rule needs: one per ICMP type or multiport chunk. */
  static List<String> protocolMatches(Rule r, Family f) {
    int proto = r.protocolNumber();
    List<String> out = new ArrayList<>();
    if (proto == Protocols.TCP || proto == Protocols.UDP) {
      String p = Protocols.name(proto);
      if (r.ports().isEmpty()) {
        out.add(" -p " + p);
        return out;
      }
      if (r.ports().size() == 1) {
        out.add(" -p " + p + " -m " + p + " --dport " + ports(r.ports()));
        return out;
      }
      List<PortRange> chunk = new ArrayList<>();
      int weight = 0;
      for (PortRange pr : r.ports()) {
        int w = pr.single() ? 1 : 2;
        if (weight + w > MULTIPORT_MAX) {
          out.add(" -p " + p + " -m multiport --dports " + ports(chunk));
          chunk.clear();
          weight = 0;
        }
        chunk.add(pr);
        weight += w;
      }
      out.add(" -p " + p + " -m multiport --dports " + ports(chunk));
      return out;
    }
    if (proto == Protocols.ICMP || proto == Protocols.ICMPV6) {
      boolean v4 = proto == Protocols.ICMP;
      String p = v4 ? " -p icmp" : " -p ipv6-icmp";
      if (r.icmpTypes().isEmpty()) {
        out.add(p);
      }
      for (int t : r.icmpTypes()) {
        out.add(p + (v4 ? " -m icmp --icmp-type " : " -m icmp6 --icmpv6-type ") + t);
      }
      return out;
    }
    out.add(" -p " + proto);
    return out;
  }

  private static String ports(List<PortRange> ps) {
    StringBuilder sb = new StringBuilder();
    for (PortRange p : ps) {
      sb.append(sb.length() == 0 ? "" : ",").append(p.from());
      if (!p.single()) {
        sb.append(':').append(p.to());
      }
    }
    return sb.toString();
  }

  /**
   * {@code -A CHAIN <addr> -p P -m P --sport|--dport N [state] <comment> -j ACCEPT}: the operator's
   * way in.
   */
  private static void keepRule(
      StringBuilder sb,
      String chain,
      String addr,
      Keep k,
      String portFlag,
      String state,
      String comment) {
    sb.append(chain)
        .append(addr)
        .append(" -p ")
        .append(k.protocol())
        .append(" -m ")
        .append(k.protocol())
        .append(' ')
        .append(portFlag)
        .append(' ')
        .append(k.port())
        .append(state)
        .append(comment)
        .append(" -j ACCEPT\n");
  }
}
