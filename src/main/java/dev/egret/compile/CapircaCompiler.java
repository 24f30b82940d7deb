package dev.egret.compile;

import dev.egret.net.Cidr;
import dev.egret.net.Protocols;
import dev.egret.policy.Policy;
import dev.egret.policy.PortRange;
import dev.egret.policy.Role;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Capirca policy ({@code policies/pol/egret.pol}) with its definitions ({@code def/NETWORK.net},
 * {@code def/SERVICES.svc}), for {@code aclgen --base_directory=policies
 * --definitions_directory=def}. Roles and destinations become networks, ports become services,
 * rules become accept terms and the defaults a final deny term. One header block per kind of
 * platform ({@link CapircaPlatform.Block}), each with term names its platforms take: address-based
 * devices (Juniper, Cisco, Arista, pf), Palo Alto (31-character names), Windows (no deny term: its
 * block rules would override every allow rule), GCE (sources as instance tags, named after the
 * role) and Kubernetes (the NetworkPolicy's pods; the deny is implicit). Which platforms open is
 * {@link CapircaSelection}'s choice.
 */
public final class CapircaCompiler implements RuleCompiler {
  /** The platforms the policy can open, in header order. */
  public static final List<String> PLATFORMS = CapircaPlatform.names();

  /** Longest network or service token: packetfilter cuts table names at 31 characters. */
  static final int TOKEN_MAX = 31;

  private static final String ANY = "EGRET_ANY";
  private static final String DST = "EGRET_DST_";
  private static final String SVC = "EGRET_SVC_";
  private static final String ROLE = "EGRET_ROLE_";
  private static final String DENY_TERM = "default-deny";
  private static final CapircaNames.Style TOKEN = CapircaNames.Style.TOKEN;

  /** Capirca's protocol names (aclgenerator.PROTO_MAP) for the numbers a rule may carry. */
  private static final Map<Integer, String> PROTOCOLS =
      Map.of(
          Protocols.ICMP, "icmp",
          Protocols.IGMP, "igmp",
          Protocols.TCP, "tcp",
          Protocols.UDP, "udp",
          Protocols.GRE, "gre",
          Protocols.ESP, "esp",
          Protocols.AH, "ah",
          Protocols.ICMPV6, "icmpv6",
          Protocols.SCTP, "sctp",
          Protocols.VRRP, "vrrp");

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
    Unsupported u = new Unsupported(target());
    check(plan, u);
    List<String> warnings = new ArrayList<>(plan.warnings);
    for (Rule r : plan.denied) {
      if (CapircaSelection.namesOnly(r)) {
        warnings.add(
            "capirca: deny rule "
                + r.name()
                + " left out: it names no address, and Capirca cannot follow names");
      }
    }
    List<CapircaPlatform> open =
        CapircaSelection.open(plan, options.capircaPlatforms(), u, warnings);
    u.check();
    // Capirca cannot match the sets the site resolver fills: a resolved-only rule is any address.
    warnings.addAll(AnswerFallback.warnings(target(), plan.rules));

    // Tokens: pf cuts table names at 31 characters, so every token fits in 31.
    List<String> networkKeys = new ArrayList<>();
    List<String> serviceKeys = new ArrayList<>();
    for (Rule r : CapircaSelection.terms(plan)) {
      if (!r.destination().any()) {
        networkKeys.add(DST + r.name());
      }
      if (!r.ports().isEmpty()) {
        serviceKeys.add(SVC + r.name());
      }
    }
    plan.roles.forEach(role -> networkKeys.add(ROLE + role.name()));
    Map<String, String> tokens =
        new HashMap<>(CapircaNames.assign(networkKeys, TOKEN, TOKEN_MAX, Set.of(ANY)));
    tokens.putAll(CapircaNames.assign(serviceKeys, TOKEN, TOKEN_MAX, Set.of()));
    Map<String, String> tags =
        CapircaNames.assign(
            plan.roles.stream().map(Role::name).toList(), CapircaNames.Style.STRICT, 63, Set.of());

    Map<String, List<String>> networks = new TreeMap<>();
    Map<String, List<String>> services = new TreeMap<>();
    Map<String, String> networkNotes = new TreeMap<>();
    networks.put(ANY, List.of("0.0.0.0/0", "::/0"));
    networkNotes.put(ANY, "any destination");
    for (Rule r : CapircaSelection.terms(plan)) {
      if (!r.destination().any()) {
        String dst = tokens.get(DST + r.name());
        networks.put(dst, cidrs(r.destination().addresses()));
        networkNotes.put(dst, CapircaText.comment(EgressPlan.comment(r)));
      }
      if (!r.ports().isEmpty()) {
        List<String> ports = new ArrayList<>();
        for (PortRange p : r.ports()) {
          ports.add((p.single() ? "" + p.from() : p.from() + "-" + p.to()) + "/" + r.protocol());
        }
        services.put(tokens.get(SVC + r.name()), ports);
      }
    }
    for (Role role : plan.roles) {
      String t = tokens.get(ROLE + role.name());
      if (plan.gateway()) {
        networks.put(t, cidrs(role.hosts()));
      }
      String note = "role " + role.name() + ", GCE instance tag " + tags.get(role.name());
      String d = role.description().isEmpty() ? note : note + ": " + role.description();
      networkNotes.put(t, CapircaText.comment(d));
    }

    StringBuilder pol = new StringBuilder();
    pol.append("# egret egress policy for Capirca: aclgen --base_directory=policies")
        .append(" --definitions_directory=def\n");
    for (CapircaPlatform.Block b : CapircaPlatform.Block.values()) {
      List<CapircaPlatform> ps = open.stream().filter(p -> p.block() == b).toList();
      if (!ps.isEmpty()) {
        block(pol, plan, b, ps, tokens, tags);
      }
    }

    Map<String, String> files = new LinkedHashMap<>();
    files.put("policies/pol/egret.pol", pol.toString().replaceAll("\n+$", "\n"));
    files.put("def/NETWORK.net", definitions(networks, networkNotes));
    files.put("def/SERVICES.svc", definitions(services, Map.of()));
    return CompiledRules.of(target(), files).withWarnings(warnings);
  }

  /** One block: its headers, a term per rule named within its platforms' limits, the deny. */
  private static void block(
      StringBuilder pol,
      EgressPlan plan,
      CapircaPlatform.Block b,
      List<CapircaPlatform> platforms,
      Map<String, String> tokens,
      Map<String, String> tags) {
    int max = platforms.stream().mapToInt(CapircaPlatform::termMax).min().orElseThrow();
    // A person's deny decisions first: every platform opened with them matches in order (pf
    // with quick), or lets a deny win over an allow (Windows, GCE at equal priority).
    List<Rule> all = CapircaSelection.terms(plan);
    Map<String, String> terms =
        CapircaNames.assign(
            all.stream().map(Rule::name).toList(),
            platforms.get(0).alphabet(),
            max,
            Set.of(DENY_TERM));
    String mode = plan.gateway() ? "gateway" : "host";
    String deny = plan.reject() ? "reject" : "deny";
    String logging = plan.defaults.logRate() > 0 ? "  logging:: true\n" : "";
    switch (b) {
      case DEVICE, PALOALTO -> {
        header(pol, "egret egress: " + mode + " mode", targets(platforms));
        all.forEach(
            r -> term(pol, r, action(plan, r), terms, tokens, false, sources(plan, tokens, r)));
        pol.append("term " + DENY_TERM + " {\n  comment:: \"egret: everything not allowed\"\n")
            .append(logging)
            .append("  action:: ")
            .append(deny)
            .append("\n}\n\n");
      }
      case WINDOWS -> {
        String note =
            "egret egress: "
                + mode
                + " mode. Windows Firewall block rules override allow rules, so the final deny is"
                + " not a rule here: set the outbound default to block with netsh advfirewall set"
                + " allprofiles firewallpolicy blockinbound,blockoutbound";
        List<String> ts = targets(platforms);
        header(pol, note, List.of(ts.get(0)));
        all.stream()
            .filter(r -> r.protocolNumber() != Protocols.ICMPV6)
            .forEach(
                r -> term(pol, r, action(plan, r), terms, tokens, false, sources(plan, tokens, r)));
        List<Rule> icmp6 =
            all.stream().filter(r -> r.protocolNumber() == Protocols.ICMPV6).toList();
        if (!icmp6.isEmpty()) {
          header(
              pol, "egret egress: ICMPv6 (Capirca writes it for inet6 only)", List.of(ts.get(1)));
          icmp6.forEach(
              r -> term(pol, r, action(plan, r), terms, tokens, false, sources(plan, tokens, r)));
        }
        pol.append('\n');
      }
      case GCE -> {
        header(pol, "egret egress: GCE, sources by instance tag", targets(platforms));
        all.forEach(
            r ->
                term(
                    pol,
                    r,
                    action(plan, r),
                    terms,
                    tokens,
                    true,
                    "  source-tag:: " + tags.get(r.role()) + "\n"));
        pol.append("term " + DENY_TERM + " {\n  comment:: \"egret: everything not allowed\"\n")
            .append("  destination-address:: ")
            .append(ANY)
            .append('\n')
            .append(logging)
            .append("  action:: deny\n}\n\n");
      }
      case K8S -> {
        header(pol, "egret egress: Kubernetes, deny implicit", targets(platforms));
        all.forEach(r -> term(pol, r, action(plan, r), terms, tokens, true, ""));
        pol.append('\n');
      }
    }
  }

  /** The source line of a rule's term on an address-based device: the role, in gateway mode. */
  private static String sources(EgressPlan plan, Map<String, String> tokens, Rule r) {
    return plan.gateway() ? "  source-address:: " + tokens.get(ROLE + r.role()) + "\n" : "";
  }

  /** A person's deny decision denies; every other rule accepts. */
  private static String action(EgressPlan plan, Rule r) {
    return plan.denied.contains(r) ? "deny" : "accept";
  }

  private static void term(
      StringBuilder pol,
      Rule r,
      String action,
      Map<String, String> terms,
      Map<String, String> tokens,
      boolean anyByAddress,
      String sourceLine) {
    pol.append("term ").append(terms.get(r.name())).append(" {\n").append(sourceLine);
    if (!r.destination().any()) {
      pol.append("  destination-address:: ").append(tokens.get(DST + r.name())).append('\n');
    } else if (anyByAddress) {
      pol.append("  destination-address:: ").append(ANY).append('\n');
    }
    pol.append("  comment:: \"").append(CapircaText.comment(EgressPlan.comment(r))).append("\"\n");
    pol.append("  protocol:: ").append(PROTOCOLS.get(r.protocolNumber())).append('\n');
    if (!r.ports().isEmpty()) {
      pol.append("  destination-port:: ").append(tokens.get(SVC + r.name())).append('\n');
    }
    if (!r.icmpTypes().isEmpty()) {
      Map<Integer, String> names = r.protocolNumber() == Protocols.ICMP ? ICMP4 : ICMP6;
      List<String> ts = r.icmpTypes().stream().map(names::get).toList();
      pol.append("  icmp-type:: ").append(String.join(" ", ts)).append('\n');
    }
    pol.append("  action:: ").append(action).append("\n}\n");
  }

  private static List<String> targets(List<CapircaPlatform> ps) {
    List<String> out = new ArrayList<>();
    ps.forEach(p -> out.addAll(p.targets()));
    return out;
  }

  /** What no platform can express: protocols and ICMP types Capirca cannot name, users. */
  private static void check(EgressPlan plan, Unsupported u) {
    for (Rule r : CapircaSelection.terms(plan)) {
      int proto = r.protocolNumber();
      if (!PROTOCOLS.containsKey(proto)) {
        u.add(r.name(), "protocol " + r.protocol());
      }
      if (r.uid() != null) {
        u.add(r.name(), "uid " + r.uid() + ", as Capirca cannot match the sending user");
      }
      Map<Integer, String> names = proto == Protocols.ICMP ? ICMP4 : ICMP6;
      for (int t : r.icmpTypes()) {
        if (!names.containsKey(t)) {
          u.add(r.name(), "icmp-type " + t);
        }
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
}
