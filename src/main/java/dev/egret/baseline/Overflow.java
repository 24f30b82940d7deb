package dev.egret.baseline;

import dev.egret.baseline.LearnKeys.Key;
import dev.egret.net.Ip;
import dev.egret.net.Protocols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the learner's entry table bounded by design. A host that starts flows to more than {@code
 * fanout} destinations on one protocol and port (a scan, a crawler, a resolver) gets its further
 * destinations there summarised as they come: counts, the spread of addresses and a sample, never
 * one entry per destination. Once the table holds {@code maxEntries}, every new (host, destination,
 * protocol, port) is summarised the same way. Summaries are bounded too ({@value #MAX_SUMMARIES});
 * flows past that are only counted.
 */
final class Overflow {
  static final int MAX_SUMMARIES = 65_536;

  private static final class Acc {
    long flows;
    long answered;
    long unanswered;
    long rejected;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long lowHi = -1;
    long lowLo = -1;
    long highHi;
    long highLo;
    final long[] sample = new long[2 * SummaryRecord.SAMPLE];
    int sampled;

    void add(long dHi, long dLo, int outcome, long start, long end) {
      flows++;
      switch (outcome) {
        case Learner.ANSWERED -> answered++;
        case Learner.REJECTED -> rejected++;
        case Learner.UNKNOWN -> {} // an audit log's attempt: counted in flows only
        default -> unanswered++;
      }
      first = Math.min(first, start);
      last = Math.max(last, end);
      if (Long.compareUnsigned(dHi, lowHi) < 0
          || (dHi == lowHi && Long.compareUnsigned(dLo, lowLo) < 0)) {
        lowHi = dHi;
        lowLo = dLo;
      }
      if (Long.compareUnsigned(dHi, highHi) > 0
          || (dHi == highHi && Long.compareUnsigned(dLo, highLo) > 0)) {
        highHi = dHi;
        highLo = dLo;
      }
      if (sampled < SummaryRecord.SAMPLE) {
        for (int i = 0; i < sampled; i++) {
          if (sample[2 * i] == dHi && sample[2 * i + 1] == dLo) {
            return;
          }
        }
        sample[2 * sampled] = dHi;
        sample[2 * sampled + 1] = dLo;
        sampled++;
      }
    }
  }

  private final int maxEntries;
  private final int fanout;
  private final Key probe = new Key();

  /** Entries kept per (host, protocol, port), keyed with a zero destination. */
  private final Map<Key, int[]> perPort = new HashMap<>();

  /** Summaries by (host, protocol, port), the reason in the destination's low half. */
  private final Map<Key, Acc> summaries = new HashMap<>();

  private long overflowFlows;
  private boolean limitHit;

  Overflow(int maxEntries, int fanout) {
    this.maxEntries = maxEntries;
    this.fanout = fanout;
  }

  /**
   * Whether a flow to a destination not yet in the table may get an entry ({@code entries} of them
   * so far); if not, it has been summarised or counted.
   */
  boolean admit(Key k, int entries, int outcome, long start, long end) {
    int reason;
    if (entries >= maxEntries) {
      reason = 1;
      limitHit = true;
    } else {
      Key port = probe.set(k.hHi, k.hLo, 0, 0, k.proto, k.port, -1);
      int[] n = perPort.get(port);
      if (n == null) {
        perPort.put(port.copy(), new int[] {1});
        return true;
      }
      if (n[0] < fanout) {
        n[0]++;
        return true;
      }
      reason = 0;
    }
    Key s = probe.set(k.hHi, k.hLo, 0, reason, k.proto, k.port, -1);
    Acc a = summaries.get(s);
    if (a == null) {
      if (summaries.size() >= MAX_SUMMARIES) {
        overflowFlows++;
        return false;
      }
      a = new Acc();
      summaries.put(s.copy(), a);
    }
    a.add(k.dHi, k.dLo, outcome, start, end);
    return false;
  }

  boolean limitHit() {
    return limitHit;
  }

  /** Flows neither kept nor summarised: the summary table was full. */
  long overflowFlows() {
    return overflowFlows;
  }

  int summaryCount() {
    return summaries.size();
  }

  List<SummaryRecord> records() {
    List<SummaryRecord> out = new ArrayList<>(summaries.size());
    summaries.forEach(
        (k, a) -> {
          List<String> sample = new ArrayList<>(a.sampled);
          for (int i = 0; i < a.sampled; i++) {
            sample.add(Ip.toString(a.sample[2 * i], a.sample[2 * i + 1]));
          }
          sample.sort(null);
          out.add(
              new SummaryRecord(
                  Ip.toString(k.hHi, k.hLo),
                  Protocols.name(k.proto),
                  k.port,
                  k.dLo == 0 ? SummaryRecord.FANOUT : SummaryRecord.ENTRY_LIMIT,
                  a.flows,
                  a.answered,
                  a.unanswered,
                  a.rejected,
                  a.first,
                  a.last,
                  Ip.toString(a.lowHi, a.lowLo),
                  Ip.toString(a.highHi, a.highLo),
                  sample));
        });
    return out;
  }
}
