package dev.egret.policy;

import dev.egret.baseline.Baseline;
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
 * Chooses where one role may go on one (protocol, port). Past {@code broadDestinations} external
 * destinations (a name counts once however many addresses it had, an address without a name counts
 * alone) the external ones become "any destination"; otherwise each name keeps every address seen
 * for it, unnamed internal addresses stay exact (infrastructure only to the servers used), and
 * unnamed external addresses are aggregated within the over-permission bound, never over an address
 * that must stay blocked.
 */
final class DestinationChooser {
  /** Names kept (as evidence) on a broad rule. */
  static final int BROAD_NAMES = 20;

  /**
   * One destination: a name with its addresses, one unnamed prefix ({@code addresses} outside,
   * {@code internal} inside) or any destination, with the entries it covers.
   */
  record Part(String label, Destination destination, List<Entry> entries) {
    boolean unnamed() {
      return label.equals("addresses") || label.equals("internal");
    }
  }

  private final Thresholds t;
  private final Baseline.NameIndex names;

  DestinationChooser(Thresholds t, Baseline.NameIndex names) {
    this.t = t;
    this.names = names;
  }

  List<Part> choose(List<Entry> service, Set<IpAddress> withheld) {
    List<Part> out = new ArrayList<>();
    Set<String> external = new TreeSet<>();
    for (Entry e : service) {
      if (!e.internalDestination()) {
        List<String> n = names.nameStrings(e.host(), e.destination());
        external.add(n.isEmpty() ? "address " + e.destination() : "name " + n.get(0));
      }
    }
    List<Entry> rest = new ArrayList<>();
    if (external.size() > t.broadDestinations()) {
      List<Entry> ext = new ArrayList<>();
      TreeSet<String> ns = new TreeSet<>();
      for (Entry e : service) {
        if (e.internalDestination()) {
          rest.add(e);
        } else {
          ext.add(e);
          ns.addAll(names.nameStrings(e.host(), e.destination()));
        }
      }
      out.add(new Part("any", Destination.anywhere(first(ns, BROAD_NAMES)), ext));
    } else {
      rest.addAll(service);
    }
    Map<String, List<Entry>> byName = new TreeMap<>();
    List<Entry> unnamedExternal = new ArrayList<>();
    List<Entry> unnamedInternal = new ArrayList<>();
    for (Entry e : rest) {
      List<String> n = names.nameStrings(e.host(), e.destination());
      if (!n.isEmpty()) {
        byName.computeIfAbsent(n.get(0), k -> new ArrayList<>()).add(e);
      } else if (e.internalDestination()) {
        unnamedInternal.add(e);
      } else {
        unnamedExternal.add(e);
      }
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
