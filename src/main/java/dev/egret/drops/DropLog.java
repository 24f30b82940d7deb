package dev.egret.drops;

import dev.egret.baseline.Baseline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Blocked attempts grouped by host, destination, protocol, port and user. Times are kept per group
 * (sorted when read, so lines need not come in order) to measure the interval between attempts in
 * time order: a box retrying port 25 every 30 seconds has intervals that barely vary. Each group
 * keeps at most {@value #MAX_TIMES} times; its count goes on.
 *
 * <p>A dropped SYN is retransmitted by its sender (after 1, 3, 7, 15, 31 and 63 s on Linux) and
 * logged each time: those are one attempt, folded by {@link Attempts} (same host, source port,
 * destination, port and user within {@value Attempts#WINDOW_SECONDS} s), or a retry loop every 30 s
 * would read as seven irregular attempts per try. UDP and ICMP are not folded: a beacon on a fixed
 * source port must keep every one of its datagrams.
 */
public final class DropLog {
  static final int MAX_TIMES = 100_000;

  private static final class Times {
    long count;
    long[] times = new long[8];
    int n;
    boolean uptime;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
  }

  private final Map<String, DropEvent> keys = new LinkedHashMap<>();
  private final Map<String, Times> groups = new LinkedHashMap<>();
  private final Attempts tcp = new Attempts();

  /**
   * Counts {@code e}; false (and nothing counted) when it is a TCP retransmission of an attempt
   * already counted.
   */
  public boolean add(DropEvent e) {
    if ("tcp".equals(e.protocol()) && !tcp.starts(e)) {
      return false;
    }
    String key =
        e.host() + " " + e.destination() + " " + e.protocol() + " " + e.port() + " " + e.uid();
    keys.putIfAbsent(key, e);
    Times t = groups.computeIfAbsent(key, k -> new Times());
    t.count++;
    t.uptime = e.uptime();
    t.first = Math.min(t.first, e.timeNs());
    t.last = Math.max(t.last, e.timeNs());
    if (t.n < MAX_TIMES) {
      if (t.n == t.times.length) {
        t.times = Arrays.copyOf(t.times, t.n * 2);
      }
      t.times[t.n++] = e.timeNs();
    }
    return true;
  }

  /** TCP packets folded into an attempt already counted (retransmitted SYNs). */
  public long retransmissions() {
    return tcp.repeats();
  }

  /** Attempts read so far. */
  public long attempts() {
    return groups.values().stream().mapToLong(t -> t.count).sum();
  }

  /** The groups, most attempts first; names from {@code baseline} when given (may be null). */
  public List<DropGroup> groups(Baseline baseline) {
    Baseline.NameIndex names = baseline == null ? null : baseline.nameIndex();
    List<DropGroup> out = new ArrayList<>();
    for (Map.Entry<String, Times> g : groups.entrySet()) {
      DropEvent e = keys.get(g.getKey());
      Times t = g.getValue();
      long[] ts = Arrays.copyOf(t.times, t.n);
      Arrays.sort(ts);
      double mean = 0;
      double variation = Double.NaN;
      if (ts.length >= 2) {
        double sum = 0;
        double sumSq = 0;
        for (int i = 1; i < ts.length; i++) {
          double gap = (ts[i] - ts[i - 1]) / 1e9;
          sum += gap;
          sumSq += gap * gap;
        }
        int k = ts.length - 1;
        mean = sum / k;
        if (k >= 2 && mean > 0) {
          variation = Math.sqrt(Math.max(0, sumSq / k - mean * mean)) / mean;
        }
      }
      out.add(
          new DropGroup(
              e.host(),
              e.destination(),
              e.protocol(),
              e.port(),
              e.uid(),
              t.count,
              t.first,
              t.last,
              t.uptime,
              mean,
              variation,
              names == null ? List.of() : names.nameStrings(e.host(), e.destination())));
    }
    out.sort(
        Comparator.comparingLong((DropGroup g) -> -g.count())
            .thenComparing(DropGroup::host)
            .thenComparing(DropGroup::destination)
            .thenComparing(DropGroup::protocol)
            .thenComparingInt(DropGroup::port)
            .thenComparingInt(DropGroup::uid));
    return out;
  }
}
