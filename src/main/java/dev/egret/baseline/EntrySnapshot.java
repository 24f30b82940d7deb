package dev.egret.baseline;

import dev.egret.baseline.LearnKeys.Key;
import dev.egret.net.Ip;
import dev.egret.net.Protocols;
import java.nio.IntBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The learner's entry table as baseline entries, in key order. It runs once per learn over every
 * entry, cold (interpreted, then compiled while it runs), so the work per entry is a few array
 * reads: each address becomes text once (a million entries of a few thousand hosts and a few
 * hundred destinations make a few thousand strings, shared by the entries), and each set of days or
 * hours becomes a list once. On the 77,180 entries learned from a 2 M-row conn.log the snapshot
 * (with the baseline's construction) took 0.32-0.34 s of CPU with a HashMap keyed by a host record
 * and a stream per entry, 0.19-0.21 s like this.
 */
final class EntrySnapshot {
  private final Addresses hosts = new Addresses();
  private final Addresses destinations = new Addresses();
  private final Map<IntBuffer, List<String>> dayLists = new HashMap<>();
  private final Map<Integer, List<Integer>> hourLists = new HashMap<>();
  private int[] lastDays;
  private List<String> lastDayList;

  private EntrySnapshot() {}

  /** Every entry of {@code entries}, host by host in key order. */
  static List<Entry> of(EntryTable entries) {
    return new EntrySnapshot().all(entries);
  }

  private List<Entry> all(EntryTable entries) {
    int n = entries.size();
    Entry[] made = new Entry[n];
    int[] hostOf = new int[n];
    int[] destinationOf = new int[n];
    int i = 0;
    for (int e = entries.next(-1); e >= 0; e = entries.next(e)) {
      Key k = entries.key(e);
      hostOf[i] = hosts.id(k.hHi, k.hLo);
      destinationOf[i] = destinations.id(k.dHi, k.dLo);
      made[i] =
          entry(k, entries.value(e), hosts.text(hostOf[i]), destinations.text(destinationOf[i]));
      i++;
    }
    // In key order, host by host: each host's entries sorted among themselves (in cache), where one
    // sort of all of them spent seconds on cache misses. The texts of addresses, protocols and
    // ports hold no space, so this is the order of the keys.
    int hostCount = hosts.size();
    int[] firstOf = new int[hostCount + 1];
    for (int j = 0; j < n; j++) {
      firstOf[hostOf[j] + 1]++;
    }
    for (int h = 0; h < hostCount; h++) {
      firstOf[h + 1] += firstOf[h];
    }
    // Within a host, by the destination's place among the destinations' texts (sorted once), then
    // where it is the same destination by the rest of the key: comparing entries' texts within
    // each host took 0.03 s of CPU for the 77,180 entries of the 2 M-row bench conn.log.
    int[] destinationRank = destinations.ranks();
    Entry[] byHost = new Entry[n];
    long[] order = new long[n];
    int[] fill = Arrays.copyOf(firstOf, hostCount);
    for (int j = 0; j < n; j++) {
      int at = fill[hostOf[j]]++;
      byHost[at] = made[j];
      order[at] = (long) destinationRank[destinationOf[j]] << 32 | at;
    }
    List<Entry> es = new ArrayList<>(n);
    for (int h : hosts.ranked()) {
      int to = firstOf[h + 1];
      Arrays.sort(order, firstOf[h], to);
      for (int a = firstOf[h]; a < to; ) {
        int b = a + 1;
        while (b < to && order[b] >>> 32 == order[a] >>> 32) {
          b++;
        }
        if (b - a == 1) {
          es.add(byHost[(int) order[a]]);
        } else {
          Entry[] same = new Entry[b - a];
          for (int j = a; j < b; j++) {
            same[j - a] = byHost[(int) order[j]];
          }
          Arrays.sort(same, KeyOrder.ENTRIES);
          es.addAll(Arrays.asList(same));
        }
        a = b;
      }
    }
    return Baseline.inOrder(es, KeyOrder.ENTRIES);
  }

  /**
   * One entry. A method of its own, not the loop's body: the JIT compiles a method after a few
   * hundred calls, but a loop only after tens of thousands of turns, and a snapshot runs once.
   */
  private Entry entry(Key k, EntryAcc a, String host, String destination) {
    if (lastDays == null || !Arrays.equals(lastDays, a.days)) {
      lastDays = a.days;
      lastDayList = dayLists.computeIfAbsent(IntBuffer.wrap(a.days), EntrySnapshot::dayTexts);
    }
    // An odd multiplier is a bijection of ints that spreads the bits of a mask of hours, which
    // HashMap would otherwise fold into a few buckets.
    int mask = a.hours;
    List<Integer> hours = hourLists.computeIfAbsent(mask * 0x9E3779B9, m -> hourList(mask));
    long[] gap = a.gapTotals();
    return new Entry(
        host,
        destination,
        Protocols.name(k.proto),
        k.port,
        a.internal,
        a.flows,
        a.answered,
        a.unanswered,
        a.rejected,
        a.packetsOut,
        a.bytesOut,
        a.packetsIn,
        a.bytesIn,
        a.first,
        a.last,
        lastDayList,
        hours,
        gap[0],
        gap[1],
        gap[2],
        k.uid < 0 ? null : k.uid);
  }

  private static List<String> dayTexts(IntBuffer days) {
    String[] out = new String[days.remaining()];
    for (int j = 0; j < out.length; j++) {
      out[j] = LocalDate.ofEpochDay(days.get(j)).toString().intern();
    }
    return List.of(out);
  }

  private static List<Integer> hourList(int mask) {
    List<Integer> hs = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      if ((mask & (1 << h)) != 0) {
        hs.add(h);
      }
    }
    return List.copyOf(hs);
  }

  /**
   * Addresses numbered in the order met, each with its text made once: open addressing over the
   * address words, so that a look-up is a hash and a compare of two longs.
   */
  private static final class Addresses {
    private long[] words = new long[2 * 256];
    private int[] ids = new int[256]; // id + 1; 0 marks a free slot
    private final List<String> texts = new ArrayList<>();

    int size() {
      return texts.size();
    }

    String text(int id) {
      return texts.get(id);
    }

    /**
     * The ids in the order of their texts: as the keys order them, since an address's text holds no
     * space and every character of it sorts after one (see {@link KeyOrder#field}).
     */
    int[] ranked() {
      Integer[] ids = new Integer[texts.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = i;
      }
      Arrays.sort(ids, (x, y) -> texts.get(x).compareTo(texts.get(y)));
      int[] out = new int[ids.length];
      for (int i = 0; i < ids.length; i++) {
        out[i] = ids[i];
      }
      return out;
    }

    /** Each id's place in {@link #ranked}. */
    int[] ranks() {
      int[] ranked = ranked();
      int[] rank = new int[ranked.length];
      for (int i = 0; i < ranked.length; i++) {
        rank[ranked[i]] = i;
      }
      return rank;
    }

    int id(long hi, long lo) {
      if ((texts.size() + 1) * 2 > ids.length) {
        grow();
      }
      int mask = ids.length - 1;
      for (int s = slot(hi, lo) & mask; ; s = (s + 1) & mask) {
        int v = ids[s];
        if (v == 0) {
          words[2 * s] = hi;
          words[2 * s + 1] = lo;
          texts.add(Ip.toString(hi, lo));
          ids[s] = texts.size();
          return texts.size() - 1;
        }
        if (words[2 * s + 1] == lo && words[2 * s] == hi) {
          return v - 1;
        }
      }
    }

    private void grow() {
      long[] oldWords = words;
      int[] oldIds = ids;
      words = new long[oldWords.length * 2];
      ids = new int[oldIds.length * 2];
      int mask = ids.length - 1;
      for (int o = 0; o < oldIds.length; o++) {
        if (oldIds[o] != 0) {
          long hi = oldWords[2 * o];
          long lo = oldWords[2 * o + 1];
          int s = slot(hi, lo) & mask;
          while (ids[s] != 0) {
            s = (s + 1) & mask;
          }
          words[2 * s] = hi;
          words[2 * s + 1] = lo;
          ids[s] = oldIds[o];
        }
      }
    }

    private static int slot(long hi, long lo) {
      long h = (hi * 0x9E3779B97F4A7C15L ^ lo) * 0xC2B2AE3D27D4EB4FL;
      return (int) (h >>> 32);
    }
  }
}
