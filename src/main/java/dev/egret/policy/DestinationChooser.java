package dev.egret.policy;

import dev.egret.baseline.Entry;
import dev.egret.baseline.Thresholds;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Chooses where one role may go on one (protocol, port). When the role's destinations there spread
 * wide ({@link Spread}), the external ones become "any destination", and the one-offs below the
 * thresholds on that port are covered by it rather than left for review. Otherwise each name keeps
 * every address seen for it, names under one registered domain with at least {@link
 * Spread#WILDCARD_NAMES} allowed names become one wildcard name ({@code *.example.com}, covering
 * that domain's one-offs too), unnamed internal addresses stay exact (infrastructure only to the
 * servers used), and unnamed external addresses are aggregated within the over-permission bound,
 * never over an address that must stay blocked.
 */
final class DestinationChooser {
  /** Names kept (as evidence) on a broad rule. */
  static final int BROAD_NAMES = 20;

  /**
   * One destination: a name with its addresses, a wildcard name, one unnamed prefix ({@code
   * addresses} outside, {@code internal} inside) or any destination, with the entries it rests on
   * ({@code entries}) and, among them, those below the thresholds it covers ({@code covered}).
   */
  record Part(String label, Destination destination, List<Entry> entries, List<Entry> covered) {
    Part(String label, Destination destination, List<Entry> entries) {
      this(label, destination, entries, List.of());
    }

    boolean unnamed() {
      return label.equals("addresses") || label.equals("internal");
    }

    boolean any() {
      return label.equals("any");
    }

    boolean wildcard() {
      return label.startsWith("*.");
    }
  }

  private final Thresholds t;
  private final Names names;

  DestinationChooser(Thresholds t, Names names) {
    this.t = t;
    this.names = names;
  }

  /**
   * @param service the role's allowed entries on this protocol and port
   * @param oneOffs the role's entries there below the thresholds (answered, not anomalies): covered
   *     by a wide or wildcard destination, never allowed otherwise
   * @param withheld addresses aggregates must not hold
   * @param wide whether the role's destinations here spread wide
   */
  List<Part> choose(
      List<Entry> service, List<Entry> oneOffs, Set<IpAddress> withheld, boolean wide) {
    List<Part> out = new ArrayList<>();
    List<Entry> rest = new ArrayList<>();
    if (wide) {
      List<Entry> ext = new ArrayList<>();
      List<Entry> covered = new ArrayList<>();
      TreeSet<String> ns = new TreeSet<>();
      for (Entry e : service) {
        if (e.internalDestination()) {
          rest.add(e);
        } else {
          ext.add(e);
          ns.addAll(names.of(e.host(), e.destination()));
        }
      }
      for (Entry e : oneOffs) {
        if (!e.internalDestination()) {
          ext.add(e);
          covered.add(e);
          ns.addAll(names.of(e.host(), e.destination()));
        }
      }
      out.add(new Part("any", Destination.anywhere(first(ns, BROAD_NAMES)), ext, covered));
    } else {
      rest.addAll(service);
    }
    Map<String, List<Entry>> byName = new TreeMap<>();
    List<Entry> unnamedExternal = new ArrayList<>();
    List<Entry> unnamedInternal = new ArrayList<>();
    for (Entry e : rest) {
      // Only a DNS answer names a rule's destination: a name rule follows the name's answers, and
      // a TLS server name or HTTP Host is whatever the client chose to send.
      String n = names.answered(e.host(), e.destination());
      if (!n.isEmpty()) {
        byName.computeIfAbsent(n, k -> new ArrayList<>()).add(e);
      } else if (e.internalDestination()) {
        unnamedInternal.add(e);
      } else {
        unnamedExternal.add(e);
      }
    }
    if (!wide) {
      out.addAll(wildcards(byName, oneOffs));
    }
    for (Map.Entry<String, List<Entry>> n : byName.entrySet()) {
      out.add(
          new Part(
              n.getKey(),
              new Destination(false, List.of(n.getKey()), hostRoutes(n.getValue())),
              n.getValue()));
    }
    Map<IpAddress, List<Entry>> internal = byAddress(unnamedInternal);
    for (Map.Entry<IpAddress, List<Entry>> a : internal.entrySet()) {
      out.add(part("internal", Cidr.host(a.getKey()), a.getValue()));
    }
    Map<IpAddress, List<Entry>> ext = byAddress(unnamedExternal);
    if (!ext.isEmpty()) {
      Aggregator agg =
          new Aggregator(t.maxPrefixV4(), t.maxPrefixV6(), t.minCoverage(), t.maxExposure());
      for (Aggregator.Covered c : agg.aggregate(new ArrayList<>(ext.keySet()), withheld)) {
        List<Entry> in = new ArrayList<>();
        for (Map.Entry<IpAddress, List<Entry>> a : ext.entrySet()) {
          if (c.prefix().contains(a.getKey())) {
            in.addAll(a.getValue());
          }
        }
        out.add(part("addresses", c.prefix(), in));
      }
    }
    return out;
  }

  /**
   * Names under one registered domain with at least {@link Spread#WILDCARD_NAMES} allowed names
   * become one wildcard part; they leave {@code byName}. The domain's one-offs (external, named
   * under it) are covered by it. The part lists the wildcard first, then up to {@link #BROAD_NAMES}
   * of the names seen, and every address seen, so that it still works by address where names are
   * not followed.
   */
  private List<Part> wildcards(Map<String, List<Entry>> byName, List<Entry> oneOffs) {
    Map<String, List<String>> byDomain = new TreeMap<>();
    for (String n : byName.keySet()) {
      String reg = names.registered(n);
      if (reg != null && byName.get(n).stream().noneMatch(Entry::internalDestination)) {
        byDomain.computeIfAbsent(reg, k -> new ArrayList<>()).add(n);
      }
    }
    List<Part> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> d : byDomain.entrySet()) {
      if (d.getValue().size() < Spread.WILDCARD_NAMES) {
        continue;
      }
      List<Entry> es = new ArrayList<>();
      TreeSet<String> seen = new TreeSet<>(d.getValue());
      for (String n : d.getValue()) {
        es.addAll(byName.remove(n));
      }
      List<Entry> covered = new ArrayList<>();
      for (Entry e : oneOffs) {
        String n = names.answered(e.host(), e.destination());
        if (!e.internalDestination() && !n.isEmpty() && d.getKey().equals(names.registered(n))) {
          covered.add(e);
          es.add(e);
          seen.add(n);
        }
      }
      String wildcard = Domains.wildcard(d.getKey());
      List<String> listed = new ArrayList<>();
      listed.add(wildcard);
      listed.addAll(first(seen, BROAD_NAMES));
      out.add(new Part(wildcard, new Destination(false, listed, hostRoutes(es)), es, covered));
    }
    return out;
  }

  private static Part part(String label, Cidr prefix, List<Entry> es) {
    return new Part(label, new Destination(false, List.of(), List.of(prefix)), es);
  }

  private static Map<IpAddress, List<Entry>> byAddress(List<Entry> es) {
    Map<IpAddress, List<Entry>> out = new TreeMap<>();
    for (Entry e : es) {
      out.computeIfAbsent(IpAddress.parse(e.destination()), k -> new ArrayList<>()).add(e);
    }
    return out;
  }

  static List<Cidr> hostRoutes(List<Entry> es) {
    TreeSet<Cidr> out = new TreeSet<>();
    for (Entry e : es) {
      out.add(Cidr.host(IpAddress.parse(e.destination())));
    }
    return List.copyOf(out);
  }

  static List<String> first(Set<String> s, int n) {
    List<String> out = new ArrayList<>();
    for (String x : s) {
      if (out.size() == n) {
        break;
      }
      out.add(x);
    }
    return out;
  }
}
