package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.util.ArrayList;
import java.util.List;

/**
 * Audits egress against a policy: which (host, destination, protocol, port) the policy would block.
 * The same check serves {@code egret check} on captures or baselines and drift alerts during live
 * capture.
 */
public final class PolicyChecker {
  private final Policy policy;

  public PolicyChecker(Policy policy) {
    this.policy = policy;
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
    for (Rule r : policy.rules()) {
      // By number, so that a hand-written "ipv6-icmp" matches what the baseline calls icmp6.
      if (r.protocolNumber() != proto || !inRole(r.role(), host)) {
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

  private boolean inRole(String role, IpAddress host) {
    for (Cidr c : policy.role(role).hosts()) {
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
