package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Audits egress against a policy: which (host, destination, protocol, port) the policy would block.
 * The same check serves {@code egret check} on captures or baselines and drift alerts during live
 * capture.
 */
public final class PolicyChecker {
  /** Hosts whose rules are remembered; past this the memory starts over (live capture). */
  private static final int CACHED_HOSTS = 65_536;

  private final Policy policy;
  private final Map<String, Role> roles = new HashMap<>();

  /**
   * Per source host, the rules of its roles in policy order: a check looks at those only, not at
   * every rule and every role's prefixes (which made {@code policy} quadratic in review items).
   */
  private final Map<IpAddress, List<Rule>> rulesByHost = new ConcurrentHashMap<>();

  public PolicyChecker(Policy policy) {
    this.policy = policy;
    for (Role r : policy.roles()) {
      roles.put(r.name(), r);
    }
  }

  /** A blocked (host, destination, protocol, port) with what was seen of it. */
  public record Blocked(
      String host,
      String destination,
      String protocol,
      int port,
      long flows,
      long firstSeenNs,
      List<String> names) {}

  /** True when some rule lets {@code host} open this connection. */
  public boolean allows(IpAddress host, IpAddress dest, int proto, int port) {
    return allowingRule(host, dest, proto, port) != null;
  }

  /** The first rule (in policy order) that lets {@code host} open this connection, or null. */
  public Rule allowingRule(IpAddress host, IpAddress dest, int proto, int port) {
    for (Rule r : rulesOf(host)) {
      // By number, so that a hand-written "ipv6-icmp" matches what the baseline calls icmp6.
      if (r.protocolNumber() != proto) {
        continue;
      }
      if (!portMatches(r, port)) {
        continue;
      }
      if (r.destination().any()) {
        return r;
      }
      for (Cidr c : r.destination().addresses()) {
        if (c.contains(dest)) {
          return r;
        }
      }
    }
    return null;
  }

  private static boolean portMatches(Rule r, int port) {
    if (!r.icmpTypes().isEmpty()) {
      return r.icmpTypes().contains(port);
    }
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

  private List<Rule> rulesOf(IpAddress host) {
    List<Rule> cached = rulesByHost.get(host);
    if (cached != null) {
      return cached;
    }
    List<Rule> out = new ArrayList<>();
    Map<String, Boolean> member = new HashMap<>();
    for (Rule r : policy.rules()) {
      if (member.computeIfAbsent(r.role(), role -> inRole(role, host))) {
        out.add(r);
      }
    }
    if (rulesByHost.size() >= CACHED_HOSTS) {
      rulesByHost.clear();
    }
    rulesByHost.put(host, List.copyOf(out));
    return out;
  }

  private boolean inRole(String role, IpAddress host) {
    Role r = roles.get(role);
    if (r == null) {
      throw new PolicyException("no role \"" + role + "\"");
    }
    for (Cidr c : r.hosts()) {
      if (c.contains(host)) {
        return true;
      }
    }
    return false;
  }

  /** Every baseline entry the policy would block, in the baseline's order. */
  public List<Blocked> check(Baseline b) {
    Baseline.NameIndex names = b.nameIndex();
    List<Blocked> out = new ArrayList<>();
    for (Entry e : b.entries()) {
      if (!allows(
          IpAddress.parse(e.host()),
          IpAddress.parse(e.destination()),
          Protocols.parse(e.protocol()),
          e.port())) {
        out.add(
            new Blocked(
                e.host(),
                e.destination(),
                e.protocol(),
                e.port(),
                e.flows(),
                e.firstSeenNs(),
                names.nameStrings(e.host(), e.destination())));
      }
    }
    return out;
  }
}
