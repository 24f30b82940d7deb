package dev.egret.compile;

import dev.egret.net.Cidr;
import dev.egret.net.Protocols;
import dev.egret.policy.Policy;
import dev.egret.policy.PortRange;
import dev.egret.policy.Role;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Capirca policy ({@code policies/pol/egret.pol}) with its definitions ({@code def/NETWORK.net},
 * {@code def/SERVICES.svc}), for {@code aclgen --base_directory=policies
 * --definitions_directory=def}. Roles and destinations become networks, ports become services,
 * rules become accept terms and the defaults a final deny term. Three header blocks: address-based
 * devices (Juniper, Cisco, Arista, Palo Alto, pf, Windows), GCE (sources as instance tags, named
 * after the role) and Kubernetes (the NetworkPolicy's pods; the deny is implicit).
 */
public final class CapircaCompiler implements RuleCompiler {
  /** The platforms the policy can open, in header order. */
  public static final List<String> PLATFORMS =
      List.of(
          "juniper",
          "cisco",
          "arista",
          "paloalto",
          "packetfilter",
          "windows_advfirewall",
          "gce",
          "k8s");

  private static final Map<String, String> TARGETS =
      Map.of(
          "juniper", "juniper egret-egress mixed",
          "cisco", "cisco egret-egress mixed",
          "arista", "arista egret-egress mixed",
          "paloalto", "paloalto from-zone internal to-zone external mixed",
          "packetfilter", "packetfilter egret-egress mixed",
          "windows_advfirewall", "windows_advfirewall out inet");

  /** Capirca's protocol names (aclgenerator.PROTO_MAP) for the numbers a rule may carry. */
  private static final Map<Integer, String> PROTOCOLS =
      Map.of(
          1, "icmp", 2, "igmp", 6, "tcp", 17, "udp", 47, "gre", 50, "esp", 51, "ah", 58, "icmpv6",
          132, "sctp", 112, "vrrp");

  /** Capirca's ICMP type names (policy.Term.ICMP_TYPE) for the types egret sees most. */
  private static final Map<Integer, String> ICMP4 =
      Map.of(
          0,
          "echo-reply",
          3,
          "unreachable",
          8,
          "echo-request",
          11,
          "time-exceeded",
          12,
          "parameter-problem",
          13,
          "timestamp-request",
          14,
          "timestamp-reply");

  private static final Map<Integer, String> ICMP6 =
      Map.of(
          1,
          "destination-unreachable",
          2,
          "packet-too-big",
          3,
          "time-exceeded",
          4,
          "parameter-problem",
          128,
          "echo-request",
          129,
          "echo-reply");

  @Override
  public String target() {
    return "capirca";
  }

  @Override
  public CompiledRules compile(Policy policy, CompileOptions options) {
    EgressPlan plan = EgressPlan.of(policy, options);
    List<String> platforms = options.capircaPlatforms();
    Unsupported u = new Unsupported(target());
    check(plan, platforms, u);
    for (Rule r : plan.denied) {
      u.add(r.name(), "deny rule (a person's deny decision; compile nftables, iptables or ufw)");
    }
    u.check();

    Map<String, List<String>> networks = new TreeMap<>();
    Map<String, List<String>> services = new TreeMap<>();
    Map<String, String> networkNotes = new TreeMap<>();
    List<String> device = new ArrayList<>();
    List<String> gce = new ArrayList<>();
    List<String> k8s = new ArrayList<>();
    boolean gateway = plan.gateway();
    for (Rule r : plan.rules) {
      String term = r.name();
      String comment = CapircaText.comment(EgressPlan.comment(r));
      String dst = null;
      if (!r.destination().any()) {
        dst = token("EGRET_DST_", r.name());
        networks.put(dst, cidrs(r.destination().addresses()));
        networkNotes.put(dst, comment);
      }
      String svc = null;
      if (!r.ports().isEmpty()) {
        svc = token("EGRET_SVC_", r.name());
        List<String> ports = new ArrayList<>();
        for (PortRange p : r.ports()) {
          ports.add((p.single() ? "" + p.from() : p.from() + "-" + p.to()) + "/" + r.protocol());
        }
        services.put(svc, ports);
      }
      StringBuilder body = new StringBuilder();
      body.append("  comment:: \"").append(comment).append("\"\n");
      body.append("  protocol:: ").append(PROTOCOLS.get(r.protocolNumber())).append('\n');
      if (svc != null) {
        body.append("  destination-port:: ").append(svc).append('\n');
      }
      if (!r.icmpTypes().isEmpty()) {
        Map<Integer, String> names = r.protocolNumber() == Protocols.ICMP ? ICMP4 : ICMP6;
        List<String> ts = r.icmpTypes().stream().map(names::get).toList();
        body.append("  icmp-type:: ").append(String.join(" ", ts)).append('\n');
      }
      body.append("  action:: accept\n}\n");
      String dstLine = "  destination-address:: " + (dst == null ? "EGRET_ANY" : dst) + "\n";
      String role = token("EGRET_ROLE_", r.role());
      String srcLine = gateway ? "  source-address:: " + role + "\n" : "";
      if (gateway) {
        networks.put(role, cidrs(plan.policy.role(r.role()).hosts()));
      }
      device.add("term " + term + " {\n" + srcLine + (dst == null ? "" : dstLine) + body);
      gce.add(
          "term "
              + term
              + " {\n  source-tag:: "
              + r.role().replace('_', '-')
              + "\n"
              + dstLine
              + body);
      k8s.add("term " + term + " {\n" + dstLine + body);
    }
    networks.put("EGRET_ANY", List.of("0.0.0.0/0", "::/0"));
    networkNotes.put("EGRET_ANY", "any destination");
    for (Role role : plan.roles) {
      networkNotes.put(token("EGRET_ROLE_", role.name()), CapircaText.comment(role.description()));
    }

    StringBuilder pol = new StringBuilder();
    pol.append("# egret egress policy for Capirca: aclgen --base_directory=policies")
        .append(" --definitions_directory=def\n");
    String logging = plan.defaults.logRate() > 0 ? "  logging:: true\n" : "";
    List<String> deviceTargets = new ArrayList<>();
    for (String p : platforms) {
      if (TARGETS.containsKey(p)) {
        deviceTargets.add(TARGETS.get(p));
      }
    }
    String deny = plan.reject() ? "reject" : "deny";
    if (!deviceTargets.isEmpty()) {
      header(pol, "egret egress: " + (gateway ? "gateway" : "host") + " mode", deviceTargets);
      device.forEach(pol::append);
      pol.append("term default-deny {\n  comment:: \"egret: everything not allowed\"\n")
          .append(logging)
          .append("  action:: ")
          .append(deny)
          .append("\n}\n\n");
    }
    if (platforms.contains("gce")) {
      header(pol, "egret egress: GCE, sources by instance tag", List.of("gce egret EGRESS mixed"));
      gce.forEach(pol::append);
      pol.append("term default-deny {\n  comment:: \"egret: everything not allowed\"\n")
          .append("  destination-address:: EGRET_ANY\n  action:: deny\n}\n\n");
    }
    if (platforms.contains("k8s") && !k8s.isEmpty()) {
      header(pol, "egret egress: Kubernetes, deny implicit", List.of("k8s EGRESS"));
      k8s.forEach(pol::append);
    }

    Map<String, String> files = new LinkedHashMap<>();
    files.put("policies/pol/egret.pol", pol.toString());
    files.put("def/NETWORK.net", definitions(networks, networkNotes));
    files.put("def/SERVICES.svc", definitions(services, Map.of()));
    return CompiledRules.of(target(), files).withWarnings(plan.warnings);
  }

  private static void check(EgressPlan plan, List<String> platforms, Unsupported u) {
    for (Rule r : plan.rules) {
      int proto = r.protocolNumber();
      if (!PROTOCOLS.containsKey(proto)) {
        u.add(r.name(), "protocol " + r.protocol());
      }
      Map<Integer, String> names = proto == Protocols.ICMP ? ICMP4 : ICMP6;
      for (int t : r.icmpTypes()) {
        if (!names.containsKey(t)) {
          u.add(r.name(), "icmp-type " + t);
        }
      }
    }
    // What a platform cannot express (aclgenerator's supported tokens per platform).
    if (plan.reject() && platforms.contains("windows_advfirewall")) {
      u.add("defaults", "action reject for platform windows_advfirewall");
    }
    for (String p : platforms) {
      for (Rule r : plan.rules) {
        int proto = r.protocolNumber();
        if ((p.equals("gce") || p.equals("k8s")) && !r.icmpTypes().isEmpty()) {
          u.add(r.name(), "icmp-type for platform " + p);
        }
        if (p.equals("k8s")
            && proto != Protocols.TCP
            && proto != Protocols.UDP
            && proto != Protocols.SCTP) {
          u.add(r.name(), "protocol " + r.protocol() + " for platform k8s");
        }
        if (p.equals("k8s") && plan.roles.size() > 1) {
          u.add(
              r.name(),
              "per-role sources for platform k8s (one NetworkPolicy selects all pods;"
                  + " compile with --host for one role)");
        }
      }
    }
    Map<String, String> tokens = new TreeMap<>();
    for (Rule r : plan.rules) {
      String other = tokens.put(token("", r.name()), r.name());
      if (other != null) {
        u.add(r.name(), "a name that Capirca's tokens cannot tell from rule " + other);
      }
    }
  }

  private static void header(StringBuilder pol, String comment, List<String> targets) {
    pol.append("header {\n  comment:: \"").append(comment).append("\"\n");
    for (String t : targets) {
      pol.append("  target:: ").append(t).append('\n');
    }
    pol.append("}\n\n");
  }

  private static String definitions(Map<String, List<String>> defs, Map<String, String> notes) {
    StringBuilder sb = new StringBuilder("# egret egress policy: Capirca definitions\n");
    defs.forEach(
        (name, values) -> {
          String note = notes.get(name);
          sb.append('\n');
          if (note != null && !note.isEmpty()) {
            sb.append("# ").append(note).append('\n');
          }
          String indent = " ".repeat(name.length() + 3);
          for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? name + " = " : indent).append(values.get(i)).append('\n');
          }
        });
    return sb.toString();
  }

  private static List<String> cidrs(List<Cidr> cs) {
    return cs.stream().map(Cidr::toString).toList();
  }

  /** A Capirca name token from a role or rule name: upper case, {@code -} as {@code _}. */
  static String token(String prefix, String name) {
    return prefix + SafeText.identifier(name, 64).toUpperCase(Locale.ROOT);
  }
}
