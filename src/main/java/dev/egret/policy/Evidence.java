package dev.egret.policy;

import dev.egret.baseline.Entry;
import dev.egret.io.Times;
import dev.egret.net.IpAddress;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * What a rule or review item rests on.
 *
 * @param flows connections seen
 * @param days distinct days they were seen on
 * @param firstSeen first connection (ISO-8601 UTC)
 * @param lastSeen last connection (ISO-8601 UTC)
 * @param hosts source hosts seen making them
 * @param names names seen for the destinations
 * @param addresses destination addresses seen
 * @param ports the destination ports seen, listed only when the rule's port ranges also hold ports
 *     never seen ({@code thresholds.portRanges}); null otherwise
 * @param hostCount when {@code hosts} lists only the first few ({@link #EXAMPLES}), how many there
 *     are; null when it lists them all
 * @param nameCount the same for {@code names}
 * @param addressCount the same for {@code addresses}
 * @param owners when a list was shortened, the distinct owners of the destinations: registered
 *     domains of the names, /24s (IPv6: /48s) of unnamed addresses ({@link Spread}); null otherwise
 * @param decided when a person's decision made or shaped the rule, which one, in words ({@code
 *     allowed by the user on 2026-11-29 (ID): note}); null otherwise
 * @param sharedAddresses on a name rule, when DNS answers gave its addresses for many other names
 *     (a CDN front, shared hosting): how many, with examples ({@link SharedAddresses}); null
 *     otherwise
 */
public record Evidence(
    long flows,
    int days,
    String firstSeen,
    String lastSeen,
    List<String> hosts,
    List<String> names,
    List<String> addresses,
    List<Integer> ports,
    Integer hostCount,
    Integer nameCount,
    Integer addressCount,
    Integer owners,
    String decided,
    Shared sharedAddresses) {
  /** Examples a summarised list keeps: the first in its order. */
  public static final int EXAMPLES = 10;

  public Evidence {
    hosts = List.copyOf(hosts == null ? List.of() : hosts);
    names = List.copyOf(names == null ? List.of() : names);
    addresses = List.copyOf(addresses == null ? List.of() : addresses);
    ports = ports == null ? null : List.copyOf(ports);
  }

  public Evidence(
      long flows,
      int days,
      String firstSeen,
      String lastSeen,
      List<String> hosts,
      List<String> names,
      List<String> addresses,
      List<Integer> ports) {
    this(
        flows, days, firstSeen, lastSeen, hosts, names, addresses, ports, null, null, null, null,
        null, null);
  }

  /**
   * Other names that DNS answers gave for a name rule's addresses: an address-level firewall cannot
   * tell them apart, so allowing the rule's name allows them too.
   *
   * @param names how many distinct other names
   * @param examples a few of them, valid host names only
   */
  public record Shared(int names, List<String> examples) {
    public Shared {
      examples = List.copyOf(examples == null ? List.of() : examples);
    }

    /** In words, for review texts and reports. */
    public String describe() {
      return "addresses shared with "
          + names
          + " other names"
          + (examples.isEmpty() ? "" : " (e.g. " + String.join(", ", examples) + ")")
          + ": allowing this name allows them too";
    }
  }

  /** The same evidence with the ports seen listed. */
  Evidence withPorts(List<Integer> seen) {
    return new Evidence(
        flows,
        days,
        firstSeen,
        lastSeen,
        hosts,
        names,
        addresses,
        seen,
        hostCount,
        nameCount,
        addressCount,
        owners,
        decided,
        sharedAddresses);
  }

  /** The same evidence with the decision that shaped it. */
  Evidence withDecided(String d) {
    return new Evidence(
        flows,
        days,
        firstSeen,
        lastSeen,
        hosts,
        names,
        addresses,
        ports,
        hostCount,
        nameCount,
        addressCount,
        owners,
        d,
        sharedAddresses);
  }

  /** The same evidence saying which other names share the rule's addresses. */
  Evidence withShared(Shared s) {
    return new Evidence(
        flows,
        days,
        firstSeen,
        lastSeen,
        hosts,
        names,
        addresses,
        ports,
        hostCount,
        nameCount,
        addressCount,
        owners,
        decided,
        s);
  }

  /**
   * The same evidence with each list cut to its first {@link #EXAMPLES} and its length stated, and
   * the owners counted, when any list is longer; unchanged otherwise. A rule of many hosts or a
   * broad rule would otherwise list every address it was seen going to: thousands of lines.
   */
  Evidence summarised(List<Entry> entries, Names names) {
    if (hosts.size() <= EXAMPLES && this.names.size() <= EXAMPLES && addresses.size() <= EXAMPLES) {
      return this;
    }
    java.util.Set<Object> own = new java.util.HashSet<>();
    for (Entry e : entries) {
      own.add(Spread.owner(e, names));
    }
    return new Evidence(
        flows,
        days,
        firstSeen,
        lastSeen,
        cut(hosts),
        cut(this.names),
        cut(addresses),
        ports,
        hosts.size() > EXAMPLES ? hosts.size() : null,
        this.names.size() > EXAMPLES ? this.names.size() : null,
        addresses.size() > EXAMPLES ? addresses.size() : null,
        own.size(),
        decided,
        sharedAddresses);
  }

  private static List<String> cut(List<String> l) {
    return l.size() <= EXAMPLES ? l : l.subList(0, EXAMPLES);
  }

  static final Comparator<String> BY_ADDRESS =
      Comparator.comparing(IpAddress::parse).thenComparing(Comparator.naturalOrder());

  /**
   * An address with its text, parsed once: sorting by {@link #BY_ADDRESS} parses per comparison.
   */
  record Address(IpAddress ip, String text) implements Comparable<Address> {
    static Address of(String text) {
      return new Address(IpAddress.parse(text), text);
    }

    @Override
    public int compareTo(Address o) {
      int c = ip.compareTo(o.ip);
      return c != 0 ? c : text.compareTo(o.text);
    }

    static List<String> texts(java.util.Collection<Address> as) {
      List<String> out = new java.util.ArrayList<>(as.size());
      as.forEach(a -> out.add(a.text));
      return out;
    }
  }

  /**
   * The evidence of one entry (every review item's): what {@link #of(List, Names)} gives for it,
   * without the sets and parsing that only several entries need.
   */
  static Evidence of(Entry e, Names names) {
    List<String> days = e.days();
    int distinctDays = days.size() <= 1 ? days.size() : new TreeSet<>(days).size();
    List<String> ns = names.of(e.host(), e.destination());
    return new Evidence(
        e.flows(),
        distinctDays,
        Times.format(e.firstSeenNs()),
        Times.format(e.lastSeenNs()),
        List.of(e.host()),
        ns.size() <= 1 ? ns : List.copyOf(new TreeSet<>(ns)),
        List.of(e.destination()),
        null);
  }

  /**
   * {@code of(entries, names).summarised(entries, names)}, without holding every host, name and
   * address in sorted sets: distinct ones are counted and only the first {@link #EXAMPLES} of each
   * kept (a broad rule over a million entries sorted 670,000 addresses to list ten).
   */
  static Evidence summary(List<Entry> entries, Names names) {
    if (entries.size() <= 1) {
      return of(entries, names).summarised(entries, names);
    }
    long flows = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    TreeSet<String> days = new TreeSet<>();
    java.util.Set<String> hostSeen = new java.util.HashSet<>();
    java.util.Set<String> addressSeen = new java.util.HashSet<>();
    java.util.Set<String> nameSeen = new java.util.HashSet<>();
    First<Address> hosts = new First<>();
    First<Address> addresses = new First<>();
    First<String> nameList = new First<>();
    List<String> lastDays = null;
    for (Entry e : entries) {
      flows += e.flows();
      first = Math.min(first, e.firstSeenNs());
      last = Math.max(last, e.lastSeenNs());
      if (e.days() != lastDays) { // entries share their lists of days
        days.addAll(e.days());
        lastDays = e.days();
      }
      if (hostSeen.add(e.host())) {
        hosts.offer(Address.of(e.host()));
      }
      if (addressSeen.add(e.destination())) {
        addresses.offer(Address.of(e.destination()));
      }
      for (String n : names.of(e.host(), e.destination())) {
        if (nameSeen.add(n)) {
          nameList.offer(n);
        }
      }
    }
    Evidence all =
        new Evidence(
            flows,
            days.size(),
            Times.format(first),
            Times.format(last),
            Address.texts(hosts.sorted()),
            nameList.sorted(),
            Address.texts(addresses.sorted()),
            null);
    if (hostSeen.size() <= EXAMPLES
        && nameSeen.size() <= EXAMPLES
        && addressSeen.size() <= EXAMPLES) {
      return all;
    }
    java.util.Set<Object> own = new java.util.HashSet<>();
    for (Entry e : entries) {
      own.add(Spread.owner(e, names));
    }
    return new Evidence(
        flows,
        all.days,
        all.firstSeen,
        all.lastSeen,
        all.hosts,
        all.names,
        all.addresses,
        null,
        hostSeen.size() > EXAMPLES ? hostSeen.size() : null,
        nameSeen.size() > EXAMPLES ? nameSeen.size() : null,
        addressSeen.size() > EXAMPLES ? addressSeen.size() : null,
        own.size(),
        null,
        null);
  }

  /** The first {@link #EXAMPLES} of the values offered, in their natural order. */
  private static final class First<T extends Comparable<T>> {
    private final java.util.PriorityQueue<T> largestFirst =
        new java.util.PriorityQueue<>(Comparator.reverseOrder());

    void offer(T t) {
      if (largestFirst.size() < EXAMPLES) {
        largestFirst.add(t);
      } else if (t.compareTo(largestFirst.peek()) < 0) {
        largestFirst.poll();
        largestFirst.add(t);
      }
    }

    List<T> sorted() {
      List<T> out = new java.util.ArrayList<>(largestFirst);
      out.sort(null);
      return out;
    }
  }

  /** The evidence of a set of baseline entries. */
  static Evidence of(List<Entry> entries, Names names) {
    if (entries.size() == 1) {
      return of(entries.get(0), names);
    }
    long flows = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    TreeSet<String> days = new TreeSet<>();
    // Addresses in numeric order (10.0.0.9 before 10.0.0.10), as a reader scans them.
    java.util.Set<String> hostSeen = new java.util.HashSet<>();
    java.util.Set<String> addressSeen = new java.util.HashSet<>();
    TreeSet<Address> hosts = new TreeSet<>();
    TreeSet<String> nameSet = new TreeSet<>();
    TreeSet<Address> addresses = new TreeSet<>();
    for (Entry e : entries) {
      flows += e.flows();
      first = Math.min(first, e.firstSeenNs());
      last = Math.max(last, e.lastSeenNs());
      days.addAll(e.days());
      if (hostSeen.add(e.host())) {
        hosts.add(Address.of(e.host()));
      }
      if (addressSeen.add(e.destination())) {
        addresses.add(Address.of(e.destination()));
      }
      nameSet.addAll(names.of(e.host(), e.destination()));
    }
    return new Evidence(
        flows,
        days.size(),
        entries.isEmpty() ? null : Times.format(first),
        entries.isEmpty() ? null : Times.format(last),
        Address.texts(hosts),
        List.copyOf(nameSet),
        Address.texts(addresses),
        null);
  }
}
