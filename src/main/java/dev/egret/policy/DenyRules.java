package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.net.Cidr;
import dev.egret.net.HostName;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The deny rules of a person's deny decisions. A denied entry gets no rule of its own, but a broad
 * rule (any destination on a port, a wildcard name, a name whose resolver set may take any address)
 * or an aggregate could still let it through; so for each role with a rule that may overlap the
 * decision, one deny rule per protocol says what to refuse, and every target puts deny rules before
 * the accepting ones. A role is the unit of rules, so a deny about one host applies to its role.
 *
 * <p>The destination of a deny rule is the decision's: a prefix, any, or a name with every address
 * the baseline saw under it (any host's, any source: for a deny, a claimed name is enough); a name
 * rule also matches the name's set, which the resolver feeds, so the name's future addresses are
 * refused too.
 */
final class DenyRules {
  private DenyRules() {}

  static List<Rule> of(
      Decisions ds,
      Decided decided,
      List<Role> roles,
      List<Rule> rules,
      Baseline b,
      Names names,
      Set<String> used) {
    List<Rule> out = new ArrayList<>();
    Map<String, Set<Cidr>> nameAddresses = null;
    for (Decision d : ds.list()) {
      if (d.action() != Decision.Action.DENY) {
        continue;
      }
      DecisionId id = d.id();
      if (id.name() != null && nameAddresses == null) {
        nameAddresses = nameAddresses(ds, b, names);
      }
      Set<Cidr> known =
          id.name() != null
              ? nameAddresses.getOrDefault(id.name(), Set.of())
              : id.prefix() != null ? Set.of(id.prefix()) : Set.of();
      for (Role role : roles) {
        if (id.host() != null && role.hosts().stream().noneMatch(c -> c.contains(id.host()))) {
          continue;
        }
        TreeSet<String> protocols = new TreeSet<>();
        for (Rule r : rules) {
          if (r.role().equals(role.name()) && overlaps(id, known, r)) {
            protocols.add(r.protocol());
          }
        }
        for (String proto : protocols) {
          out.add(rule(d, role, proto, known, decided, names, used));
        }
      }
    }
    out.sort(Comparator.comparing(Rule::role).thenComparing(Rule::name));
    return out;
  }

  /** True when the rule may allow something the decision denies. */
  private static boolean overlaps(DecisionId id, Set<Cidr> known, Rule r) {
    if (id.protocol() != null && !id.protocol().equals(r.protocol())) {
      return false;
    }
    if (id.port() >= 0 && !ports(r, id.port())) {
      return false;
    }
    Destination dst = r.destination();
    if (dst.any() || id.anyDestination() || !dst.hostNames().isEmpty()) {
      return true;
    }
    for (Cidr c : dst.addresses()) {
      for (Cidr k : known) {
        if (c.contains(k) || k.contains(c)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean ports(Rule r, int port) {
    if (!r.icmpTypes().isEmpty()) {
      return r.icmpTypes().contains(port);
    }
    return r.ports().isEmpty() || r.ports().stream().anyMatch(p -> p.contains(port));
  }

  private static Rule rule(
      Decision d,
      Role role,
      String proto,
      Set<Cidr> known,
      Decided decided,
      Names names,
      Set<String> used) {
    DecisionId id = d.id();
    boolean portProto = proto.equals("tcp") || proto.equals("udp");
    boolean icmp = proto.startsWith("icmp");
    List<PortRange> ports =
        portProto && id.port() >= 0 ? List.of(PortRange.of(id.port(), id.port())) : List.of();
    List<Integer> types = icmp && id.port() >= 0 ? List.of(id.port()) : List.of();
    Destination dst;
    String label;
    if (id.anyDestination()) {
      dst = Destination.anywhere(List.of());
      label = "any";
    } else if (id.name() != null) {
      dst = new Destination(false, List.of(id.name()), List.copyOf(known));
      label = Naming.label(id.name());
    } else {
      dst = new Destination(false, List.of(), List.of(id.prefix()));
      label = "addresses";
    }
    String service =
        proto
            + (ports.isEmpty() && types.isEmpty()
                ? ""
                : (icmp ? "-type" : "") + (id.port() >= 0 ? id.port() : ""));
    String name =
        Naming.unique(Naming.identifier(role.name() + "-deny-" + service + "-" + label), used);
    List<Entry> seen = new ArrayList<>();
    for (Entry e : decided.denied.getOrDefault(d, List.of())) {
      if (e.protocol().equals(proto)
          && role.hosts().stream().anyMatch(c -> c.contains(IpAddress.parse(e.host())))) {
        seen.add(e);
      }
    }
    Evidence ev = Evidence.of(seen, names).summarised(seen, names).withDecided(d.describe());
    return new Rule(name, role.name(), proto, ports, types, dst, false, 0, ev);
  }

  /** For each name or wildcard a deny decision names, the addresses seen under it. */
  private static Map<String, Set<Cidr>> nameAddresses(Decisions ds, Baseline b, Names names) {
    Map<String, Set<Cidr>> out = new TreeMap<>();
    List<String> patterns = new ArrayList<>();
    for (Decision d : ds.list()) {
      if (d.action() == Decision.Action.DENY && d.id().name() != null) {
        patterns.add(d.id().name());
        out.put(d.id().name(), new TreeSet<>());
      }
    }
    for (Entry e : b.entries()) {
      for (String n : names.of(e.host(), e.destination())) {
        for (String p : patterns) {
          if (HostName.matches(p, n)) {
            out.get(p).add(Cidr.host(IpAddress.parse(e.destination())));
          }
        }
      }
    }
    return out;
  }
}
