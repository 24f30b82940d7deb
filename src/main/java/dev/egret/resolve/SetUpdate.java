package dev.egret.resolve;

import dev.egret.compile.NameSets.NameSet;
import dev.egret.net.Cidr;
import dev.egret.net.Ip;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The addresses one resolving round puts into the name sets, each with the seconds it stays, and
 * the script that loads them in one go.
 *
 * <p>nftables: one {@code nft -f} file, applied as one transaction. An address already in a set
 * keeps its old timeout when added again (nft 1.0), so each is added (a no-op when present),
 * deleted and added with its new timeout, all in the same transaction: the set never lacks it.
 * ipset: {@code ipset restore -exist}, where adding an existing entry sets its timeout. The sets
 * are the names' ({@link dev.egret.compile.NameSets}): a rule's learned addresses are in a set of
 * their own, which nothing here touches.
 */
public final class SetUpdate {
  private final Map<NameSet, Map<Cidr, Long>> bySet =
      new TreeMap<>(java.util.Comparator.comparing(NameSet::nftSet));

  /** Adds {@code address} to {@code set} for {@code seconds}, the longest asked for winning. */
  public void add(NameSet set, Cidr address, long seconds) {
    if (address.isV4() != set.v4()) {
      return;
    }
    bySet.computeIfAbsent(set, k -> new TreeMap<>()).merge(address, seconds, Math::max);
  }

  public boolean isEmpty() {
    return bySet.isEmpty();
  }

  /** Addresses written, over all sets. */
  public int size() {
    return bySet.values().stream().mapToInt(Map::size).sum();
  }

  /** The {@code nft -f} script. */
  public String nftables(String table) {
    StringBuilder sb = new StringBuilder();
    bySet.forEach(
        (set, addrs) -> {
          String el = "element inet " + table + " " + set.nftSet() + " { ";
          addrs.forEach(
              (a, secs) -> {
                String t = text(a);
                sb.append("add ").append(el).append(t).append(" }\n");
                sb.append("delete ").append(el).append(t).append(" }\n");
                sb.append("add ").append(el).append(t).append(" timeout ");
                sb.append(secs).append("s }\n");
              });
        });
    return sb.toString();
  }

  /** The {@code ipset restore -exist} script. */
  public String ipset() {
    StringBuilder sb = new StringBuilder();
    bySet.forEach(
        (set, addrs) ->
            addrs.forEach(
                (a, secs) ->
                    sb.append("add ")
                        .append(set.ipset())
                        .append(' ')
                        .append(text(a))
                        .append(" timeout ")
                        .append(secs)
                        .append('\n')));
    return sb.toString();
  }

  /** What each set gets, for a summary line. */
  public List<String> summary() {
    return bySet.entrySet().stream()
        .map(e -> e.getKey().nftSet() + ": " + e.getValue().size())
        .toList();
  }

  private static String text(Cidr c) {
    return c.bits() == 128 ? Ip.toString(c.hi(), c.lo()) : c.toString();
  }
}
