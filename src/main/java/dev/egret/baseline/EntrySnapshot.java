package dev.egret.baseline;

import dev.egret.baseline.LearnKeys.Key;
import dev.egret.net.Ip;
import dev.egret.net.Protocols;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The learner's entry table as baseline entries, in key order. */
final class EntrySnapshot {
  private record Host(long hi, long lo) {}

  private EntrySnapshot() {}

  /** Every entry of {@code entries}, host by host in key order. */
  static List<Entry> of(EntryTable entries) {
    Map<String, List<Entry>> byHost = new HashMap<>();
    // One string per host and one list per set of days or hours, shared by the host's entries: a
    // million entries of a few thousand hosts hold a few thousand strings, and sorting them
    // compares hosts by identity first.
    Map<Host, String> hostText = new HashMap<>();
    Map<List<Integer>, List<String>> dayLists = new HashMap<>();
    Map<Integer, List<Integer>> hourLists = new HashMap<>();
    for (int slot = entries.next(-1); slot >= 0; slot = entries.next(slot)) {
      Key k = entries.key(slot);
      EntryAcc a = entries.value(slot);
      String host = hostText.computeIfAbsent(new Host(k.hHi, k.hLo), h -> Ip.toString(h.hi, h.lo));
      List<String> days =
          dayLists.computeIfAbsent(
              Arrays.stream(a.days).boxed().toList(),
              ds ->
                  List.copyOf(
                      ds.stream().map(d -> LocalDate.ofEpochDay(d).toString().intern()).toList()));
      long[] gap = a.gapTotals();
      List<Integer> hours =
          hourLists.computeIfAbsent(
              a.hours,
              mask -> {
                List<Integer> hs = new ArrayList<>();
                for (int h = 0; h < 24; h++) {
                  if ((mask & (1 << h)) != 0) {
                    hs.add(h);
                  }
                }
                return List.copyOf(hs);
              });
      byHost
          .computeIfAbsent(host, h -> new ArrayList<>())
          .add(
              new Entry(
                  host,
                  Ip.toString(k.dHi, k.dLo),
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
                  days,
                  hours,
                  gap[0],
                  gap[1],
                  gap[2],
                  k.uid < 0 ? null : k.uid));
    }
    // In key order, host by host: each host's entries sorted among themselves (in cache), where one
    // sort of all of them spent seconds on cache misses. The texts of addresses, protocols and
    // ports hold no space, so this is the order of the keys.
    List<String> hostOrder = new ArrayList<>(byHost.keySet());
    hostOrder.sort(Comparator.naturalOrder());
    List<Entry> es = new ArrayList<>(entries.size());
    for (String h : hostOrder) {
      List<Entry> own = byHost.get(h);
      own.sort(KeyOrder.ENTRIES);
      es.addAll(own);
    }
    return es;
  }
}
