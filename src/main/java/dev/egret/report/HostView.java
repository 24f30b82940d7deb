package dev.egret.report;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.net.IpAddress;
import dev.egret.policy.Anomaly;
import dev.egret.policy.Policy;
import dev.egret.policy.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One internal host as the report shows it: its egress entries, most telling first (periodic, then
 * never answered, then by connections), the hours of the day it was active, its role and anomalies.
 *
 * @param host the host's address
 * @param role the policy role holding it, or {@code -} without a policy or role
 * @param entries its baseline entries, most telling first
 * @param flows connections it started
 * @param destinations distinct destination addresses
 * @param hourFlows per hour of the day (UTC), how many of its entries were active then
 * @param anomalies the policy's anomalies for this host
 */
record HostView(
    String host,
    String role,
    List<Entry> entries,
    long flows,
    int destinations,
    List<Integer> hourFlows,
    List<Anomaly> anomalies) {

  /** A run of at least this many intervals with this little spread is periodic. */
  static final int PERIODIC_MIN_GAPS = 8;

  static final double PERIODIC_MAX_VARIATION = 0.1;

  /** Active in at least this many hours of the day, at least once an hour on average: steady. */
  static final int STEADY_MIN_HOURS = 20;

  /** Regular intervals between connection starts, by the baseline's interval statistics. */
  static boolean regular(Entry e) {
    double v = e.gapVariation();
    return e.gaps() >= PERIODIC_MIN_GAPS && !Double.isNaN(v) && v <= PERIODIC_MAX_VARIATION;
  }

  /**
   * Around the clock: active in nearly every hour of the day, on every day it was seen, at least
   * once an hour. The interval statistics alone miss a beacon whose attempts time out out of order;
   * its hours do not.
   */
  static boolean steady(Entry e) {
    return e.hours().size() >= STEADY_MIN_HOURS && e.flows() >= 24L * Math.max(1, e.days().size());
  }

  /** Regular or steady: what the report marks as periodic. */
  static boolean periodic(Entry e) {
    return regular(e) || steady(e);
  }

  /** A periodic entry that was never answered: a beacon, or a retry loop. */
  static boolean beacon(Entry e) {
    return periodic(e) && e.answered() == 0;
  }

  /** The mean interval between connection starts, seconds. */
  static double intervalSeconds(Entry e) {
    if (regular(e)) {
      return e.meanGapSeconds();
    }
    return e.flows() < 2 ? 0 : (e.lastSeenNs() - e.firstSeenNs()) / 1e9 / (e.flows() - 1);
  }

  /**
   * Most telling first: beacons, periodic, then never answered, then more connections, then by key.
   */
  static final Comparator<Entry> TELLING =
      Comparator.comparing((Entry e) -> !beacon(e))
          .thenComparing(e -> !periodic(e))
          .thenComparing(e -> e.answered() > 0)
          .thenComparing(Comparator.comparingLong(Entry::flows).reversed())
          .thenComparing(Entry::key);

  /**
   * Hosts with beacons first, then with anomalies (most first), then by connections, then by
   * address.
   */
  static final Comparator<HostView> INTEREST =
      Comparator.comparing((HostView h) -> -h.beaconCount())
          .thenComparing(h -> -h.anomalies.size())
          .thenComparing(h -> -h.periodicCount())
          .thenComparing(h -> -h.flows)
          .thenComparing(HostView::addressKey);

  /** Sorts addresses numerically; a host that is not an address (an edited file) after them. */
  private static String addressKey(HostView h) {
    try {
      IpAddress a = IpAddress.parse(h.host);
      return String.format("0%016x%016x", a.hi(), a.lo());
    } catch (RuntimeException e) {
      return "1" + h.host;
    }
  }

  long beaconCount() {
    return entries.stream().filter(HostView::beacon).count();
  }

  long periodicCount() {
    return entries.stream().filter(HostView::periodic).count();
  }

  /** Every host of the baseline, in {@link #INTEREST} order. */
  static List<HostView> of(Baseline b, Policy policy) {
    Map<String, List<Entry>> byHost = new TreeMap<>();
    for (Entry e : b.entries()) {
      byHost.computeIfAbsent(e.host(), k -> new ArrayList<>()).add(e);
    }
    Map<String, List<Anomaly>> anomalies = new HashMap<>();
    if (policy != null) {
      for (Anomaly a : policy.anomalies()) {
        anomalies.computeIfAbsent(a.host(), k -> new ArrayList<>()).add(a);
      }
    }
    List<HostView> out = new ArrayList<>();
    for (Map.Entry<String, List<Entry>> h : byHost.entrySet()) {
      List<Entry> es = new ArrayList<>(h.getValue());
      es.sort(TELLING);
      long flows = 0;
      int[] hours = new int[24];
      java.util.Set<String> dests = new java.util.HashSet<>();
      for (Entry e : es) {
        flows += e.flows();
        dests.add(e.destination());
        for (int hour : e.hours()) {
          if (hour >= 0 && hour < 24) {
            hours[hour]++;
          }
        }
      }
      out.add(
          new HostView(
              h.getKey(),
              roleOf(policy, h.getKey()),
              List.copyOf(es),
              flows,
              dests.size(),
              java.util.Arrays.stream(hours).boxed().toList(),
              List.copyOf(anomalies.getOrDefault(h.getKey(), List.of()))));
    }
    out.sort(INTEREST);
    return out;
  }

  static String roleOf(Policy policy, String host) {
    if (policy == null) {
      return "-";
    }
    IpAddress a;
    try {
      a = IpAddress.parse(host);
    } catch (RuntimeException e) {
      return "-";
    }
    for (Role r : policy.roles()) {
      for (var c : r.hosts()) {
        if (c.contains(a)) {
          return r.name();
        }
      }
    }
    return "-";
  }
}
