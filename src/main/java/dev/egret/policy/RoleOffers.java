package dev.egret.policy;

import dev.egret.baseline.Entry;
import dev.egret.net.Protocols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which roles have a rule on a protocol and port, whatever its destinations: an upper bound of what
 * a role's rules can allow of a host's connections, found without a rule check per role. Ports and
 * ICMP types of one are indexed; ranges and rules on every port are matched one by one (few).
 */
final class RoleOffers {
  /** Protocol number, then port or ICMP type, to the roles with a rule on it. */
  private final Map<Integer, Map<Integer, List<String>>> single = new HashMap<>();

  /** Protocol number to the rules on a range of ports or on every port. */
  private final Map<Integer, List<Rule>> spread = new HashMap<>();

  RoleOffers(List<Rule> rules, Set<String> roles) {
    for (Rule r : rules) {
      if (!roles.contains(r.role())) {
        continue;
      }
      int proto = r.protocolNumber();
      if (!r.icmpTypes().isEmpty()) {
        r.icmpTypes().forEach(type -> add(proto, type, r.role()));
      } else if (r.ports().isEmpty()) {
        spread.computeIfAbsent(proto, k -> new ArrayList<>()).add(r);
      } else {
        for (PortRange p : r.ports()) {
          if (p.from() == p.to()) {
            add(proto, p.from(), r.role());
          } else {
            spread.computeIfAbsent(proto, k -> new ArrayList<>()).add(r);
          }
        }
      }
    }
  }

  private void add(int proto, int port, String role) {
    single
        .computeIfAbsent(proto, k -> new HashMap<>())
        .computeIfAbsent(port, k -> new ArrayList<>())
        .add(role);
  }

  /**
   * Per role, the connections of {@code es} on a protocol and port it has a rule on: what its rules
   * could allow at most.
   */
  Map<String, Long> bounds(List<Entry> es) {
    Map<String, Long> out = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (Entry e : es) {
      int proto = Protocols.parse(e.protocol());
      seen.clear();
      for (String role : single.getOrDefault(proto, Map.of()).getOrDefault(e.port(), List.of())) {
        if (seen.add(role)) {
          out.merge(role, e.flows(), Long::sum);
        }
      }
      for (Rule r : spread.getOrDefault(proto, List.of())) {
        if (covers(r, e.port()) && seen.add(r.role())) {
          out.merge(r.role(), e.flows(), Long::sum);
        }
      }
    }
    return out;
  }

  private static boolean covers(Rule r, int port) {
    if (r.ports().isEmpty()) {
      return true;
    }
    for (PortRange p : r.ports()) {
      if (p.contains(port)) {
        return true;
      }
    }
    return false;
  }
}
