package dev.egret.baseline;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeSet;

/**
 * What egret learned: per internal host, the destinations, protocols and ports it starts
 * connections to, the names behind those addresses, and where the evidence came from. Lists are
 * sorted by key so that equal baselines serialise to equal bytes.
 *
 * @param schemaVersion {@code major.minor}; a reader refuses a newer major
 * @param egretVersion the egret that last wrote it
 * @param windowStartNs first packet absorbed, or null when nothing was
 * @param windowEndNs last packet absorbed, or null when nothing was
 * @param sources captures absorbed
 * @param counters totals
 * @param entries per (host, destination, protocol, port)
 * @param names per (host, address, name, source)
 * @param queries per (host, name)
 * @param summaries per (host, protocol, port, reason): flows counted but not kept per destination
 */
public record Baseline(
    String schemaVersion,
    String egretVersion,
    Long windowStartNs,
    Long windowEndNs,
    List<SourceRecord> sources,
    Counters counters,
    List<Entry> entries,
    List<NameRecord> names,
    List<QueryRecord> queries,
    List<SummaryRecord> summaries) {
  public static final int SCHEMA_MAJOR = 1;

  /**
   * 1.1 added {@code summaries} and {@code counters.overflowFlows}; 1.0 files read as none. 1.2
   * added an entry's {@code uid} (from audit logs); older files read as no user known. 1.3 added
   * {@code sources[].sensor}, the sensor that wrote a Zeek or Suricata log (left out when unknown);
   * older files read as unknown.
   */
  public static final String SCHEMA = SCHEMA_MAJOR + ".3";

  public Baseline {
    sources = sorted(sources, Comparator.comparing(SourceRecord::key));
    entries = sorted(entries, KeyOrder.ENTRIES);
    names = sorted(names, KeyOrder.NAMES);
    queries = sorted(queries, KeyOrder.QUERIES);
    summaries = sorted(summaries, Comparator.comparing(SummaryRecord::key));
    counters = counters == null ? Counters.ZERO : counters;
    if ((windowStartNs == null) != (windowEndNs == null)) {
      throw new BaselineException("baseline window needs both a start and an end");
    }
  }

  /** A baseline with nothing summarised. */
  public Baseline(
      String schemaVersion,
      String egretVersion,
      Long windowStartNs,
      Long windowEndNs,
      List<SourceRecord> sources,
      Counters counters,
      List<Entry> entries,
      List<NameRecord> names,
      List<QueryRecord> queries) {
    this(
        schemaVersion,
        egretVersion,
        windowStartNs,
        windowEndNs,
        sources,
        counters,
        entries,
        names,
        queries,
        null);
  }

  private static <T> List<T> sorted(List<T> l, Comparator<T> c) {
    if (l == null) {
      return List.of();
    }
    if (l instanceof InOrder<?> in && in.order == c) {
      // Another baseline's list, sorted by this order already: a learn's new baseline merged with
      // an empty one, or returned by a merge whose other side is empty. Sorting 77,180 entries in
      // order again cost 0.02-0.03 s of CPU each time, twice per learn.
      return l;
    }
    List<T> copy = new ArrayList<>(l);
    copy.sort(c);
    return new InOrder<>(copy.toArray(), c);
  }

  /**
   * {@code l} as a baseline's list in {@code order}, which it is in already (not checked): for
   * {@link EntrySnapshot}, which puts a learner's entries in key order host by host.
   */
  static <T> List<T> inOrder(List<T> l, Comparator<T> order) {
    return new InOrder<>(l.toArray(), order);
  }

  /** A baseline's list: unmodifiable, without nulls, in the order it was sorted by. */
  private static final class InOrder<T> extends AbstractList<T> implements RandomAccess {
    private final Object[] items;
    private final Comparator<?> order;

    InOrder(Object[] items, Comparator<?> order) {
      for (Object o : items) {
        Objects.requireNonNull(o); // as List.copyOf
      }
      this.items = items;
      this.order = order;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int i) {
      return (T) items[i];
    }

    @Override
    public int size() {
      return items.length;
    }
  }

  public static Baseline empty(String egretVersion) {
    return new Baseline(SCHEMA, egretVersion, null, null, null, Counters.ZERO, null, null, null);
  }

  /** Distinct internal hosts with learned egress. */
  public Set<String> hosts() {
    Set<String> s = new HashSet<>();
    for (Entry e : entries) {
      s.add(e.host());
    }
    return new TreeSet<>(s);
  }

  /**
   * Names for a destination as a host knows them: those the host itself resolved or sent (DNS, SNI,
   * Host), else, as a fallback, those any host saw for that address.
   */
  public List<NameRecord> namesFor(String host, String address) {
    return nameIndex().namesFor(host, address);
  }

  /** An index for many {@link #namesFor} look-ups. */
  public NameIndex nameIndex() {
    return new NameIndex(names);
  }

  /** Name look-ups by (host, address) and by address. */
  public static final class NameIndex {
    private final Map<String, List<NameRecord>> byHostAddress = new LinkedHashMap<>();
    private final Map<String, List<NameRecord>> byAddress = new LinkedHashMap<>();

    NameIndex(List<NameRecord> names) {
      for (NameRecord n : names) {
        byHostAddress.computeIfAbsent(n.host() + " " + n.address(), k -> new ArrayList<>()).add(n);
        byAddress.computeIfAbsent(n.address(), k -> new ArrayList<>()).add(n);
      }
    }

    /** True when some host has a name for the address: without one, no look-up finds any. */
    public boolean named(String address) {
      return byAddress.containsKey(address);
    }

    public List<NameRecord> namesFor(String host, String address) {
      List<NameRecord> own = byHostAddress.get(host + " " + address);
      if (own != null) {
        return own;
      }
      return byAddress.getOrDefault(address, List.of());
    }

    /**
     * The DNS answers that gave the address to this host, or where it has none, to any host: a
     * sensor at the site's edge sees the resolver's questions upstream, not the hosts' questions to
     * it, while the hosts' own TLS server names are seen.
     */
    public List<NameRecord> answersFor(String host, String address) {
      List<NameRecord> own = answers(byHostAddress.get(host + " " + address));
      return own.isEmpty() ? answers(byAddress.get(address)) : own;
    }

    private static List<NameRecord> answers(List<NameRecord> rs) {
      if (rs == null) {
        return List.of();
      }
      List<NameRecord> out = new ArrayList<>(rs.size());
      for (NameRecord r : rs) {
        if ("dns".equals(r.source())) {
          out.add(r);
        }
      }
      return out;
    }

    /** Distinct name strings for a destination as {@link #namesFor}, most seen first. */
    public List<String> nameStrings(String host, String address) {
      List<NameRecord> rs = new ArrayList<>(namesFor(host, address));
      rs.sort(
          Comparator.comparingLong(NameRecord::count).reversed().thenComparing(NameRecord::name));
      Set<String> out = new LinkedHashSet<>();
      for (NameRecord r : rs) {
        out.add(r.name());
      }
      return List.copyOf(out);
    }
  }
}
