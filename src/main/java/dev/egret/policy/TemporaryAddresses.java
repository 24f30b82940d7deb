package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * IPv6 hosts whose addresses rotate: temporary ("privacy") addresses (RFC 8981), which desktops and
 * phones make anew every day or so, with a random interface identifier. Each address of such a host
 * is a host of its own in the baseline, seen on one day; tomorrow's address is new, in no role, and
 * everything it sends is blocked. Roles are never widened to a prefix on that evidence alone (any
 * host on the link could then take an address in it and the role's rules with it), so the policy
 * says so instead, with what to do: a config role for the prefix, or temporary addresses off.
 */
final class TemporaryAddresses {
  /** Addresses of one /64, each seen on one day only, that make the warning. */
  static final int MIN_ADDRESSES = 3;

  private TemporaryAddresses() {}

  /** One warning per /64 with rotating addresses, in prefix order; none on a one-day window. */
  static List<String> warnings(Baseline b, int windowDays) {
    List<String> out = new ArrayList<>();
    if (windowDays < 2) {
      return out;
    }
    Map<String, Set<String>> daysByHost = new HashMap<>();
    for (Entry e : b.entries()) {
      daysByHost.computeIfAbsent(e.host(), k -> new HashSet<>()).addAll(e.days());
    }
    Map<Cidr, Integer> oneDay = new TreeMap<>();
    Map<Cidr, Set<String>> daysByPrefix = new HashMap<>();
    for (Map.Entry<String, Set<String>> h : daysByHost.entrySet()) {
      IpAddress a = IpAddress.parse(h.getKey());
      if (!temporary(a, h.getValue().size())) {
        continue;
      }
      Cidr prefix = Cidr.covering(a.hi(), a.lo(), 64);
      oneDay.merge(prefix, 1, Integer::sum);
      daysByPrefix.computeIfAbsent(prefix, k -> new HashSet<>()).addAll(h.getValue());
    }
    for (Map.Entry<Cidr, Integer> p : oneDay.entrySet()) {
      if (p.getValue() < MIN_ADDRESSES || daysByPrefix.get(p.getKey()).size() < 2) {
        continue;
      }
      out.add(
          p.getValue()
              + " IPv6 addresses in "
              + p.getKey()
              + " were each seen on one day only, like temporary addresses that change daily"
              + " (RFC 8981): the next day's are new, in no role, and everything they send is"
              + " blocked; give the prefix a role in the config (roles: {NAME: ["
              + p.getKey()
              + "]}) or turn temporary addresses off on those hosts");
    }
    return out;
  }

  /**
   * Whether an address seen on {@code days} days looks like a temporary IPv6 address (RFC 8981): a
   * random interface identifier, seen on one day only.
   */
  static boolean temporary(IpAddress a, int days) {
    return !a.isV4() && randomIdentifier(a.lo()) && days == 1;
  }

  /**
   * Whether an interface identifier looks random: not a modified EUI-64 (ff:fe in its middle), not
   * a small number set by hand ({@code ::10}), not an embedded IPv4 address ({@code ::a.b.c.d}).
   */
  static boolean randomIdentifier(long iid) {
    boolean eui64 = (iid >>> 24 & 0xFFFF) == 0xFFFE;
    boolean small = iid >>> 32 == 0;
    return !eui64 && !small;
  }
}
