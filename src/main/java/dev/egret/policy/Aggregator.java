package dev.egret.policy;

import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Covers a set of seen addresses with as few prefixes as the over-permission bound allows. A prefix
 * is used only when at least {@code minCoverage} of its addresses were seen and it adds at most
 * {@code maxExposure} never-seen ones, never broader than the configured prefix length, and never
 * over an address that must stay blocked; everything else stays a host route. Broadest acceptable
 * prefixes are chosen first.
 */
final class Aggregator {
  private final int maxPrefixV4;
  private final int maxPrefixV6;
  private final double minCoverage;
  private final long maxExposure;

  Aggregator(int maxPrefixV4, int maxPrefixV6, double minCoverage, long maxExposure) {
    this.maxPrefixV4 = maxPrefixV4;
    this.maxPrefixV6 = maxPrefixV6;
    this.minCoverage = minCoverage;
    this.maxExposure = maxExposure;
  }

  /** Prefixes with the number of seen addresses in each, sorted. */
  record Covered(Cidr prefix, long seen) {
    long exposure() {
      return prefix.size() - seen;
    }
  }

  List<Covered> aggregate(List<IpAddress> addresses) {
    return aggregate(addresses, List.of());
  }

  /**
   * As {@link #aggregate(List)}, but no prefix holds one of {@code withheld}: addresses the same
   * hosts were seen using below the thresholds or in an anomaly, which must stay blocked.
   */
  List<Covered> aggregate(List<IpAddress> addresses, java.util.Collection<IpAddress> withheld) {
    TreeSet<IpAddress> left = new TreeSet<>(addresses);
    List<Covered> out = new ArrayList<>();
    for (boolean v4 : new boolean[] {true, false}) {
      int broadest = v4 ? 96 + maxPrefixV4 : maxPrefixV6;
      for (int bits = broadest; bits < 128; bits++) {
        long size = 1L << Math.min(62, 128 - bits);
        if (size - maxExposure > left.size()) {
          continue; // not enough addresses left to fill a prefix this large
        }
        Map<Cidr, List<IpAddress>> groups = new LinkedHashMap<>();
        for (IpAddress a : left) {
          if (a.isV4() == v4) {
            groups
                .computeIfAbsent(Cidr.covering(a.hi(), a.lo(), bits), k -> new ArrayList<>())
                .add(a);
          }
        }
        for (Map.Entry<Cidr, List<IpAddress>> g : groups.entrySet()) {
          long seen = g.getValue().size();
          if (seen < 2) {
            continue;
          }
          long exposure = size - seen;
          if (seen >= size * minCoverage
              && exposure <= maxExposure
              && !holdsAny(g.getKey(), withheld)) {
            out.add(new Covered(g.getKey(), seen));
            g.getValue().forEach(left::remove);
          }
        }
      }
    }
    for (IpAddress a : left) {
      out.add(new Covered(Cidr.host(a), 1));
    }
    out.sort((x, y) -> x.prefix().compareTo(y.prefix()));
    return out;
  }

  private static boolean holdsAny(Cidr c, java.util.Collection<IpAddress> addresses) {
    for (IpAddress a : addresses) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }
}
