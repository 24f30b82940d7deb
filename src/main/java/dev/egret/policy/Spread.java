package dev.egret.policy;

import dev.egret.baseline.Entry;
import dev.egret.baseline.Thresholds;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How widely a set of hosts spreads its connections on one protocol and port, counted over every
 * answered destination seen in the window, one-offs below the thresholds included: a workstation
 * that reaches 130 web sites once each spreads wide even though no single site is allowed.
 *
 * <p>The measure is the number of <em>owners</em> reached: registered domains ({@link Domains}) of
 * the named destinations (a name without one counts alone) plus the /24s (IPv6: /48s) of the
 * unnamed ones. Forty names under one CDN's domain, or forty addresses of one /24, are one owner:
 * they make a wildcard name or an aggregate, not "any destination". Internal destinations never
 * count (infrastructure stays exact).
 *
 * <p>Wide means more owners than {@code broadDestinations}, new ones on at least {@code minDays}
 * (as applied) distinct days: the set keeps growing, so tomorrow brings owners nobody has seen. A
 * server that calls the same 25 APIs every day is not wide (nothing new after the first day); a
 * mail relay delivering to new MX hosts every day is.
 */
final class Spread {
  /** Distinct names under one registered domain that make a wildcard name rule. */
  static final int WILDCARD_NAMES = 3;

  /**
   * The numbers behind a decision.
   *
   * @param destinations distinct destinations: names, or addresses without one
   * @param owners registered domains of the names plus /24s (/48s) of the unnamed addresses
   * @param newDays distinct days on which a destination was first seen
   * @param hosts distinct source hosts
   */
  record Measure(int destinations, int owners, int newDays, int hosts) {
    boolean wide(Thresholds t, int neededDays) {
      return owners > t.broadDestinations() && growing(neededDays);
    }

    /** New destinations on at least {@code neededDays} days: tomorrow brings more. */
    boolean growing(int neededDays) {
      return newDays >= neededDays;
    }

    /** In words, for a rule's or a review item's text. */
    String describe() {
      return destinations
          + " destinations of "
          + owners
          + " owners, new ones on "
          + newDays
          + (newDays == 1 ? " day" : " days")
          + ", from "
          + hosts
          + (hosts == 1 ? " host" : " hosts");
    }
  }

  private Spread() {}

  /**
   * Who owns an entry's destination, as {@link #of} counts owners: the registered domain of its
   * name (the name itself when it has none), or the /24 (IPv6: /48) of an unnamed address.
   */
  static Object owner(Entry e, Names names) {
    String name = names.first(e.host(), e.destination());
    if (name != null) {
      String reg = names.registered(name);
      return reg == null ? name : reg;
    }
    IpAddress a = IpAddress.parse(e.destination());
    return Cidr.covering(a.hi(), a.lo(), a.isV4() ? 96 + 24 : 48);
  }

  /** The spread of the external destinations among {@code es} (one protocol and port). */
  static Measure of(List<Entry> es, Names names) {
    // Keys are names (text) and addresses or prefixes (values), never mixed up: a name that reads
    // like an address is still a name.
    Map<Object, String> firstDay = new HashMap<>();
    Set<Object> owners = new HashSet<>();
    Set<String> hosts = new HashSet<>();
    for (Entry e : es) {
      if (e.internalDestination() || e.answered() == 0) {
        continue;
      }
      String name = names.first(e.host(), e.destination());
      Object dest;
      if (name != null) {
        dest = name;
        String reg = names.registered(name);
        owners.add(reg == null ? name : reg);
      } else {
        IpAddress a = IpAddress.parse(e.destination());
        dest = a;
        owners.add(Cidr.covering(a.hi(), a.lo(), a.isV4() ? 96 + 24 : 48));
      }
      hosts.add(e.host());
      if (!e.days().isEmpty()) {
        String d = e.days().get(0);
        firstDay.merge(dest, d, (x, y) -> x.compareTo(y) <= 0 ? x : y);
      } else {
        firstDay.putIfAbsent(dest, "");
      }
    }
    Set<String> newDays = new HashSet<>(firstDay.values());
    newDays.remove("");
    return new Measure(firstDay.size(), owners.size(), newDays.size(), hosts.size());
  }
}
