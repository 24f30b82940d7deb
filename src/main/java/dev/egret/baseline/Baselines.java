package dev.egret.baseline;

import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * Combines baselines, from days of learning or from several sensors. {@link #merge} is associative
 * and commutative: counts add, first-seen takes the minimum, last-seen the maximum, day and hour
 * sets unite. A capture that two baselines both absorbed would be counted twice, so such a merge is
 * refused.
 */
public final class Baselines {
  private Baselines() {}

  public static Baseline merge(Baseline a, Baseline b, String egretVersion) {
    for (SourceRecord s : a.sources()) {
      for (SourceRecord t : b.sources()) {
        if (!s.fingerprint().isEmpty() && s.fingerprint().equals(t.fingerprint())) {
          throw new BaselineException(
              "both baselines absorbed capture "
                  + s.name()
                  + " (fingerprint "
                  + s.fingerprint().substring(0, Math.min(12, s.fingerprint().length()))
                  + "); merging would count it twice");
        }
      }
    }
    return new Baseline(
        Baseline.SCHEMA,
        egretVersion,
        minOrNull(a.windowStartNs(), b.windowStartNs()),
        maxOrNull(a.windowEndNs(), b.windowEndNs()),
        union(a.sources(), b.sources(), SourceRecord::key, (x, y) -> x),
        a.counters().plus(b.counters()),
        union(a.entries(), b.entries(), KeyOrder.ENTRIES, Baselines::mergeEntry),
        union(a.names(), b.names(), KeyOrder.NAMES, Baselines::mergeName),
        union(a.queries(), b.queries(), KeyOrder.QUERIES, Baselines::mergeQuery),
        union(a.summaries(), b.summaries(), SummaryRecord::key, Baselines::mergeSummary));
  }

  /**
   * {@code b} with at most {@code maxEntries} entries: those with the most flows stay (ties in key
   * order), each other one is summarised ({@link SummaryRecord#ENTRY_LIMIT}) with the others of its
   * host, protocol and port, its flows counted there. A merge of baselines each within the limit
   * can exceed it; this keeps the result as bounded as learning keeps one baseline.
   */
  public static Capped cap(Baseline b, int maxEntries) {
    List<Entry> all = b.entries();
    if (all.size() <= maxEntries) {
      return new Capped(b, 0, 0);
    }
    Integer[] order = new Integer[all.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Stable: among equal flows, the key order the list is in.
    java.util.Arrays.sort(order, (x, y) -> Long.compare(all.get(y).flows(), all.get(x).flows()));
    boolean[] keep = new boolean[all.size()];
    for (int i = 0; i < maxEntries; i++) {
      keep[order[i]] = true;
    }
    List<Entry> kept = new ArrayList<>(maxEntries);
    List<SummaryRecord> summarised = new ArrayList<>();
    long flows = 0;
    for (int i = 0; i < all.size(); i++) {
      Entry e = all.get(i);
      if (keep[i]) {
        kept.add(e);
        continue;
      }
      flows += e.flows();
      summarised.add(
          new SummaryRecord(
              e.host(),
              e.protocol(),
              e.port(),
              SummaryRecord.ENTRY_LIMIT,
              e.flows(),
              e.answered(),
              e.unanswered(),
              e.rejected(),
              e.firstSeenNs(),
              e.lastSeenNs(),
              e.destination(),
              e.destination(),
              List.of(e.destination())));
    }
    List<SummaryRecord> summaries =
        union(b.summaries(), summarised, SummaryRecord::key, Baselines::mergeSummary);
    Baseline capped =
        new Baseline(
            b.schemaVersion(),
            b.egretVersion(),
            b.windowStartNs(),
            b.windowEndNs(),
            b.sources(),
            b.counters(),
            kept,
            b.names(),
            b.queries(),
            summaries);
    return new Capped(capped, all.size() - maxEntries, flows);
  }

  /**
   * A baseline within its entry limit, and what was summarised to keep it there.
   *
   * @param entries entries summarised
   * @param flows the flows they held
   */
  public record Capped(Baseline baseline, int entries, long flows) {}

  static Long minOrNull(Long x, Long y) {
    return x == null ? y : y == null ? x : Long.valueOf(Math.min(x, y));
  }

  static Long maxOrNull(Long x, Long y) {
    return x == null ? y : y == null ? x : Long.valueOf(Math.max(x, y));
  }

  static <T> List<T> union(
      List<T> a, List<T> b, Function<T, String> key, BinaryOperator<T> combine) {
    Map<String, T> m = new TreeMap<>();
    for (T t : a) {
      m.merge(key.apply(t), t, combine);
    }
    for (T t : b) {
      m.merge(key.apply(t), t, combine);
    }
    return new ArrayList<>(m.values());
  }

  /**
   * {@link #union(List, List, Function, BinaryOperator)} of two lists sorted by their keys (a
   * baseline's always are), walked side by side: records of equal keys are combined in the same
   * order, a's before b's. A baseline's records have distinct keys (the learner's tables are keyed
   * by them, the reader refuses a duplicate), so with one list empty the other is the union:
   * learning into a new baseline walks nothing.
   */
  static <T> List<T> union(List<T> a, List<T> b, Comparator<T> order, BinaryOperator<T> combine) {
    if (a.isEmpty() || b.isEmpty()) {
      return a.isEmpty() ? b : a;
    }
    List<T> out = new ArrayList<>(a.size() + b.size());
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      T next =
          j >= b.size() || (i < a.size() && order.compare(a.get(i), b.get(j)) <= 0)
              ? a.get(i++)
              : b.get(j++);
      int last = out.size() - 1;
      if (last >= 0 && order.compare(out.get(last), next) == 0) {
        out.set(last, combine.apply(out.get(last), next));
      } else {
        out.add(next);
      }
    }
    return out;
  }

  static Entry mergeEntry(Entry x, Entry y) {
    TreeSet<String> days = new TreeSet<>(x.days());
    days.addAll(y.days());
    TreeSet<Integer> hours = new TreeSet<>(x.hours());
    hours.addAll(y.hours());
    return new Entry(
        x.host(),
        x.destination(),
        x.protocol(),
        x.port(),
        x.internalDestination() || y.internalDestination(),
        x.flows() + y.flows(),
        x.answered() + y.answered(),
        x.unanswered() + y.unanswered(),
        x.rejected() + y.rejected(),
        x.packetsOut() + y.packetsOut(),
        x.bytesOut() + y.bytesOut(),
        x.packetsIn() + y.packetsIn(),
        x.bytesIn() + y.bytesIn(),
        Math.min(x.firstSeenNs(), y.firstSeenNs()),
        Math.max(x.lastSeenNs(), y.lastSeenNs()),
        List.copyOf(days),
        List.copyOf(hours),
        x.gaps() + y.gaps(),
        Entry.saturatingAdd(x.gapSumMs(), y.gapSumMs()),
        Entry.saturatingAdd(x.gapSumSqMs(), y.gapSumSqMs()),
        x.uid());
  }

  static NameRecord mergeName(NameRecord x, NameRecord y) {
    return new NameRecord(
        x.host(),
        x.address(),
        x.name(),
        x.source(),
        x.count() + y.count(),
        Math.min(x.firstSeenNs(), y.firstSeenNs()),
        Math.max(x.lastSeenNs(), y.lastSeenNs()),
        Math.max(x.maxTtl(), y.maxTtl()));
  }

  static SummaryRecord mergeSummary(SummaryRecord x, SummaryRecord y) {
    TreeSet<String> sample = new TreeSet<>(x.sample());
    sample.addAll(y.sample());
    List<String> kept = new ArrayList<>(sample).subList(0, Math.min(sample.size(), 8));
    return new SummaryRecord(
        x.host(),
        x.protocol(),
        x.port(),
        x.reason(),
        x.flows() + y.flows(),
        x.answered() + y.answered(),
        x.unanswered() + y.unanswered(),
        x.rejected() + y.rejected(),
        Math.min(x.firstSeenNs(), y.firstSeenNs()),
        Math.max(x.lastSeenNs(), y.lastSeenNs()),
        address(x.lowest()).compareTo(address(y.lowest())) <= 0 ? x.lowest() : y.lowest(),
        address(x.highest()).compareTo(address(y.highest())) >= 0 ? x.highest() : y.highest(),
        kept);
  }

  /** An address for ordering; text that is not one (an edited file) sorts first. */
  private static IpAddress address(String s) {
    try {
      return IpAddress.parse(s);
    } catch (RuntimeException e) {
      return IpAddress.of(0, 0);
    }
  }

  static QueryRecord mergeQuery(QueryRecord x, QueryRecord y) {
    return new QueryRecord(
        x.host(),
        x.name(),
        x.count() + y.count(),
        x.failed() + y.failed(),
        Math.min(x.firstSeenNs(), y.firstSeenNs()),
        Math.max(x.lastSeenNs(), y.lastSeenNs()));
  }
}
