package dev.egret.compile;

import dev.egret.compile.EgressPlan.Entry;
import dev.egret.compile.EgressPlan.Family;
import dev.egret.compile.EgressPlan.Keep;
import dev.egret.net.Cidr;
import dev.egret.net.Protocols;
import dev.egret.policy.Policy;
import dev.egret.policy.PortRange;
import dev.egret.policy.Rule;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One nft script, {@code egret.nft}: {@code table inet egret} with interval sets for roles and
 * destinations and one base chain on the output (host) or forward (gateway) hook with policy drop.
 * {@code nft -f} applies a file as one transaction, so loading it replaces the table atomically:
 * the script first declares the table (creating it when missing), then deletes it, then defines it
 * anew, which {@code nft -c -f} accepts whether or not the table exists.
 */
public final class NftablesCompiler implements RuleCompiler {
  public static final String TABLE = "egret";
  public static final String CHAIN = "egress";

  @Override
  public String target() {
    return "nftables";
  }

  @Override
  public CompiledRules compile(Policy policy, CompileOptions options) {
    EgressPlan plan = EgressPlan.of(policy, options);
    Unsupported u = new Unsupported(target());
    for (Rule r : concat(plan.rules, plan.denied)) {
      if (r.protocolNumber() == 0) {
        u.add(r.name(), "protocol 0");
      }
    }
    u.check();
    Map<String, List<Cidr>> sets = new TreeMap<>();
    Map<String, NameSets.NameSet> nameSets = new TreeMap<>();
    NameSets.Index names = new NameSets.Index(plan);
    StringBuilder chain = new StringBuilder();
    String in = "\t\t";
    chain.append("\tchain ").append(CHAIN).append(" {\n");
    chain
        .append(in)
        .append("type filter hook ")
        .append(plan.gateway() ? "forward" : "output")
        .append(" priority filter; policy drop;\n");
    if (!plan.gateway() && plan.defaults.allowLoopback()) {
      chain.append(in).append("oifname \"lo\" accept\n");
    }
    if (!plan.gateway()) {
      // The host's own IPv6 link: without neighbour discovery it cannot reach its router or answer
      // a neighbour, so nothing works, keep-access included. Link-local by their hop limits.
      chain.append(in).append("icmpv6 type { nd-router-solicit, nd-neighbor-solicit,");
      chain.append(" nd-neighbor-advert } ip6 hoplimit 255 counter accept");
      chain.append(" comment \"egret: IPv6 neighbour discovery, link-local, RFC 4861\"\n");
      chain.append(in).append("icmpv6 type { mld-listener-report, mld-listener-done,");
      chain.append(" mld2-listener-report } ip6 hoplimit 1 counter accept");
      chain.append(" comment \"egret: IPv6 multicast listener reports, link-local, RFC 3810\"\n");
    }
    if (plan.gateway()) {
      // The router judges what the site's hosts start. A connection from outside towards them is
      // not egress (the operators' way in among them): this table lets it be, and the router's
      // own rules decide. Only the site's side is trusted as a source: a host inside that forges
      // an outside address reaches nothing outside with it.
      // But a source the router would not route back through the interface the packet came in on
      // is forged: from an outside address, its echo from another host of the site would go out
      // as the reply of a connection from outside; from another host's, it would have that host's
      // rules. Dropped (a reverse path check, RFC 3704), but in audit mode, which drops nothing.
      if (!plan.options.audit()) {
        chain.append(in).append("fib saddr . iif oif missing counter drop");
        chain.append(" comment \"egret: forged source, not routed back where it came from\"\n");
      }
      for (Family f : Family.values()) {
        String set = "inside" + (f == Family.V4 ? "4" : "6");
        sets.put(set, plan.inside(f));
        String ip = f == Family.V4 ? "ip" : "ip6";
        chain.append(in).append(ip).append(" saddr != @").append(set);
        chain.append(' ').append(ip).append(" daddr @").append(set);
        chain.append(" counter accept comment \"egret: from outside, not egress\"\n");
      }
    }
    // Keep-access: from the listed ports, only the replies of connections already established, so
    // that no packet from source port 22 starts a new connection outwards (a client socket bound
    // to port 22 is no way out). The new connections in are inbound, which egret leaves alone.
    for (Keep k : plan.keep) {
      String c = " comment \"" + NftText.comment("egret keep-access " + k) + "\"";
      if (!plan.gateway()) {
        chain.append(in).append(k.protocol()).append(" sport ").append(k.port());
        chain.append(" ct state established counter accept").append(c).append('\n');
        continue;
      }
      for (Family f : Family.values()) {
        String ip = f == Family.V4 ? "ip" : "ip6";
        chain.append(in).append(ip).append(" saddr @inside").append(f == Family.V4 ? "4" : "6");
        chain.append(' ').append(k.protocol()).append(" sport ").append(k.port());
        chain.append(" ct state established counter accept").append(c).append('\n');
      }
    }
    if (plan.defaults.allowEstablished()) {
      chain.append(in).append("ct state established,related counter accept\n");
    }
    // A person's deny decisions come before every accepting rule, so no broad rule lets them by.
    // In audit mode they log and accept, as everything else the policy would drop.
    for (Entry e : plan.denyEntries) {
      for (String m : matches(e, sets, names, nameSets)) {
        if (plan.options.audit()) {
          chain.append(in).append(m).append(" ct state new").append(auditLog(plan)).append('\n');
        }
        chain.append(in).append(m);
        chain.append(plan.options.audit() ? " counter accept" : " counter drop");
        chain.append(" comment \"").append(NftText.comment(e.comment())).append("\"\n");
      }
    }
    for (Entry e : plan.entries) {
      for (String m : matches(e, sets, names, nameSets)) {
        chain.append(in).append(m);
        chain.append(" counter accept comment \"").append(NftText.comment(e.comment()));
        chain.append("\"\n");
      }
    }
    if (plan.options.audit()) {
      audit(chain, in, plan);
    } else {
      if (plan.defaults.logRate() > 0) {
        chain.append(in).append(logStatement(plan)).append('\n');
      }
      if (plan.reject()) {
        chain.append(in).append("meta l4proto tcp counter reject with tcp reset\n");
        chain.append(in).append("counter reject with icmpx admin-prohibited\n");
      } else {
        chain.append(in).append("counter drop\n");
      }
    }
    chain.append("\t}\n");

    StringBuilder sb = new StringBuilder();
    sb.append("#!/usr/sbin/nft -f\n");
    sb.append("# egret egress policy, ")
        .append(plan.gateway() ? "gateway mode (forward hook)" : "host mode (output hook)")
        .append('\n');
    if (plan.options.audit()) {
      sb.append(
          "# AUDIT MODE: nothing is dropped; what the policy would drop is logged and accepted.\n");
    }
    sb.append("# Load with nft -f; the table is replaced in one transaction.\n");
    sb.append("table inet ").append(TABLE).append('\n');
    sb.append("delete table inet ").append(TABLE).append("\n\n");
    sb.append("table inet ").append(TABLE).append(" {\n");
    sets.forEach(
        (name, cidrs) -> {
          boolean v4 = cidrs.get(0).isV4();
          sb.append("\tset ").append(name).append(" {\n");
          sb.append("\t\ttype ").append(v4 ? "ipv4_addr" : "ipv6_addr").append('\n');
          sb.append("\t\tflags interval\n");
          sb.append("\t\telements = {");
          for (int i = 0; i < cidrs.size(); i++) {
            sb.append(i == 0 ? " " : ",\n\t\t\t     ").append(cidrs.get(i));
          }
          sb.append(" }\n\t}\n\n");
        });
    nameSets.forEach((name, set) -> nameSet(sb, set));
    sb.append(chain).append("}\n");
    return CompiledRules.of(target(), Map.of("egret.nft", sb.toString()))
        .withWarnings(plan.warnings);
  }

  /**
   * Audit mode's end of the chain: every new connection that no rule allowed is logged, without a
   * rate limit (each is evidence for the next policy), with its user, then accepted; its later
   * packets are established and accepted above, so each connection is logged once.
   */
  private static void audit(StringBuilder chain, String in, EgressPlan plan) {
    chain.append(in).append("ct state new").append(auditLog(plan)).append('\n');
    chain.append(in).append("counter accept comment \"egret audit: the policy would drop this\"\n");
  }

  /** Audit mode's log statement: no rate limit, the user in host mode or the NFLOG group. */
  private static String auditLog(EgressPlan plan) {
    StringBuilder sb = new StringBuilder(" log prefix \"").append(plan.defaults.logPrefix());
    sb.append('"');
    if (plan.options.nflog()) {
      sb.append(" group ").append(plan.options.logGroup());
    } else if (!plan.gateway()) {
      sb.append(" flags skuid");
    }
    return sb.toString();
  }

  /**
   * The rate-limited log of what is about to be dropped: to the kernel log with the sending user
   * ({@code flags skuid}, host mode: a forwarded packet has no local socket), or to an NFLOG group,
   * where nft refuses flags; the group's listener asks for the user (libpcap's {@code nflog} device
   * does), so the record carries it all the same.
   */
  static String logStatement(EgressPlan plan) {
    StringBuilder sb = new StringBuilder("limit rate ");
    sb.append(plan.defaults.logRate()).append("/minute burst ");
    sb.append(Math.max(1, plan.defaults.logBurst())).append(" packets log prefix \"");
    sb.append(plan.defaults.logPrefix()).append('"');
    if (plan.options.nflog()) {
      sb.append(" group ").append(plan.options.logGroup());
    } else if (!plan.gateway()) {
      sb.append(" flags skuid");
    }
    return sb.toString();
  }

  /**
   * A name's set, which the site resolver or {@code egret resolve} adds to: {@code flags timeout}
   * so that an address added with a timeout leaves on its own; empty when loaded. The set of {@link
   * NameSets#ANY_ANSWER} is the same, for every answer of the site resolver.
   */
  private static void nameSet(StringBuilder sb, NameSets.NameSet set) {
    sb.append("\tset ").append(set.nftSet()).append(" {\n");
    sb.append("\t\ttype ").append(set.v4() ? "ipv4_addr" : "ipv6_addr").append('\n');
    sb.append("\t\tflags timeout\n");
    String what =
        set.anyAnswer() ? "egret every answer of the site resolver" : "egret name " + set.pattern();
    sb.append("\t\tcomment \"").append(NftText.comment(what));
    sb.append("\"\n\t}\n\n");
  }

  /**
   * The matches of one entry, each the start of a rule: one for its addresses (a name rule's
   * learned ones), and for a name rule one per set of its names ({@link NameSets}).
   */
  private static List<String> matches(
      Entry e,
      Map<String, List<Cidr>> sets,
      NameSets.Index names,
      Map<String, NameSets.NameSet> nameSets) {
    boolean v4 = e.family() == Family.V4;
    String ip = v4 ? "ip" : "ip6";
    String fam = v4 ? "4" : "6";
    String src = "";
    if (!e.sources().isEmpty()) {
      String set = NftText.name("s" + fam + "_", e.rule().role());
      sets.put(set, e.sources());
      src = ip + " saddr @" + set + " ";
    }
    String service = service(e.rule());
    List<String> out = new java.util.ArrayList<>();
    if (!e.destinations().isEmpty()) {
      String set = NftText.name("d" + fam + "_", e.rule().name());
      sets.put(set, e.destinations());
      out.add(src + ip + " daddr @" + set + " " + service);
    }
    if (e.named()) {
      for (NameSets.NameSet set : names.sets(e)) {
        nameSets.put(set.nftSet(), set);
        out.add(src + ip + " daddr @" + set.nftSet() + " " + service);
      }
    } else if (e.destinations().isEmpty()) {
      out.add(src.isEmpty() ? "meta nfproto " + (v4 ? "ipv4 " : "ipv6 ") + service : src + service);
    }
    return out;
  }

  /** The protocol part of a rule's match: the user (host mode), ports, ICMP types or protocol. */
  private static String service(Rule r) {
    StringBuilder sb = new StringBuilder();
    if (r.uid() != null) {
      // The sending socket's owner: known in the output hook only (EgressPlan keeps the user out
      // of gateway mode).
      sb.append("meta skuid ").append(r.uid()).append(' ');
    }
    int proto = r.protocolNumber();
    if ((proto == Protocols.TCP || proto == Protocols.UDP) && !r.ports().isEmpty()) {
      sb.append(Protocols.name(proto)).append(" dport ").append(ports(r.ports()));
    } else if ((proto == Protocols.ICMP || proto == Protocols.ICMPV6) && !r.icmpTypes().isEmpty()) {
      sb.append(proto == Protocols.ICMP ? "icmp type " : "icmpv6 type ");
      sb.append(list(r.icmpTypes().stream().map(String::valueOf).toList()));
    } else {
      sb.append("meta l4proto ").append(nftProtocol(proto));
    }
    return sb.toString();
  }

  static List<Rule> concat(List<Rule> a, List<Rule> b) {
    List<Rule> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static String nftProtocol(int proto) {
    return switch (proto) {
      case Protocols.TCP -> "tcp";
      case Protocols.UDP -> "udp";
      case Protocols.ICMP -> "icmp";
      case Protocols.ICMPV6 -> "ipv6-icmp";
      default -> Integer.toString(proto);
    };
  }

  private static String ports(List<PortRange> ps) {
    return list(
        ps.stream().map(p -> p.single() ? "" + p.from() : p.from() + "-" + p.to()).toList());
  }

  private static String list(List<String> items) {
    return items.size() == 1 ? items.get(0) : "{ " + String.join(", ", items) + " }";
  }
}
