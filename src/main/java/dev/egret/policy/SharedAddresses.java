package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.NameRecord;
import dev.egret.net.Cidr;
import dev.egret.net.HostName;
import dev.egret.net.Ip;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Name rules whose addresses are shared: a CDN front or a shared host answers for many names, and a
 * firewall that matches addresses cannot tell them apart, so allowing one name allows every other
 * name on its addresses. For each name rule this counts the distinct other names that the
 * baseline's DNS answers (any host, the whole window) gave for the rule's addresses: its
 * destination addresses and every address a DNS answer gave for one of its concrete names (the
 * resolver puts those into the name's sets too). A name is "other" when it is none of the rule's
 * names and not under one of its wildcards. From {@link #MIN_NAMES} on, the rule's evidence says
 * so.
 *
 * <p>The answers are indexed by address once; a rule then costs one look-up per address. Names are
 * wire text: the examples are valid host names only ({@link HostName}), so they hold nothing but
 * {@code a-z 0-9 . -}; other names are counted, never shown.
 */
final class SharedAddresses {
  /** Other names on a rule's addresses from which its evidence says they are shared. */
  static final int MIN_NAMES = 5;

  /** Other names the evidence shows as examples. */
  static final int EXAMPLES = 5;

  // address (text, canonical) -> the distinct names (lower case, no trailing dot) DNS answers gave
  // for it; only the addresses of name rules and of answers for their names
  private final Map<String, Set<String>> namesByAddress = new HashMap<>();
  // concrete name of a name rule -> the addresses DNS answers gave for it
  private final Map<String, Set<String>> addressesByName = new HashMap<>();
  private final Names names;

  /**
   * Indexes the baseline's DNS answers for these rules: one pass finds the addresses answered for
   * the rules' names, a second collects the names answered for any address a rule may reach. Only
   * hash look-ups per answer; an address is parsed only when it is IPv6 (to compare its canonical
   * text).
   */
  SharedAddresses(Baseline b, Names names, List<Rule> rules) {
    this.names = names;
    Set<String> interest = new HashSet<>();
    for (Rule r : rules) {
      if (r.destination().any() || r.destination().hostNames().isEmpty()) {
        continue;
      }
      for (Cidr c : r.destination().addresses()) {
        if (c.bits() == 128) {
          interest.add(Ip.toString(c.hi(), c.lo()));
        }
      }
      for (String p : r.destination().hostNames()) {
        if (!HostName.isWildcard(p)) {
          addressesByName.put(p, new HashSet<>());
        }
      }
    }
    if (interest.isEmpty()) {
      return;
    }
    List<NameRecord> dns = new ArrayList<>();
    List<String> dnsAddress = new ArrayList<>();
    for (NameRecord r : b.names()) {
      if (!"dns".equals(r.source())) {
        continue;
      }
      String a = canonical(r.address());
      if (a == null) {
        continue; // not an address: nothing a rule could allow
      }
      dns.add(r);
      dnsAddress.add(a);
      Set<String> as = addressesByName.get(plain(r.name()));
      if (as != null) {
        as.add(a);
        interest.add(a);
      }
    }
    for (int i = 0; i < dns.size(); i++) {
      String a = dnsAddress.get(i);
      if (interest.contains(a)) {
        namesByAddress.computeIfAbsent(a, k -> new HashSet<>()).add(plain(dns.get(i).name()));
      }
    }
  }

  /** IPv4 text as it is; IPv6 in its canonical form; null when not an address. */
  private static String canonical(String address) {
    if (address.indexOf(':') < 0) {
      return address.indexOf('.') > 0 ? address : null;
    }
    try {
      return IpAddress.parse(address).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The rules, each name rule whose addresses are shared with its evidence saying so. */
  List<Rule> annotate(List<Rule> rules) {
    if (namesByAddress.isEmpty()) {
      return rules;
    }
    List<Rule> out = new ArrayList<>(rules.size());
    for (Rule r : rules) {
      Evidence.Shared s = of(r);
      out.add(
          s == null || r.evidence() == null
              ? r
              : new Rule(
                  r.name(),
                  r.role(),
                  r.protocol(),
                  r.ports(),
                  r.icmpTypes(),
                  r.destination(),
                  r.broad(),
                  r.exposure(),
                  r.evidence().withShared(s),
                  r.uid()));
    }
    return out;
  }

  /** The other names on the rule's addresses, or null when fewer than {@link #MIN_NAMES}. */
  Evidence.Shared of(Rule r) {
    List<String> patterns = r.destination().hostNames();
    if (r.destination().any() || patterns.isEmpty()) {
      return null;
    }
    Set<String> own = new HashSet<>();
    r.destination().names().forEach(n -> own.add(plain(n)));
    Set<String> addresses = new HashSet<>();
    for (Cidr c : r.destination().addresses()) {
      if (c.bits() == 128) {
        addresses.add(Ip.toString(c.hi(), c.lo()));
      }
    }
    for (String p : patterns) {
      if (!HostName.isWildcard(p)) {
        addresses.addAll(addressesByName.getOrDefault(p, Set.of()));
      }
    }
    Set<String> others = new HashSet<>();
    for (String a : addresses) {
      for (String n : namesByAddress.getOrDefault(a, Set.of())) {
        if (!own.contains(n) && !others.contains(n) && !covered(patterns, n)) {
          others.add(n);
        }
      }
    }
    if (others.size() < MIN_NAMES) {
      return null;
    }
    return new Evidence.Shared(others.size(), examples(others, own));
  }

  /**
   * Up to {@link #EXAMPLES} valid host names, those of another owner (registered domain) than the
   * rule's names first, each group in name order: the names a reader would not expect.
   */
  private List<String> examples(Set<String> others, Set<String> own) {
    Set<String> owners = new HashSet<>();
    for (String n : own) {
      String d = names.registered(n.startsWith("*.") ? n.substring(2) : n);
      if (d != null) {
        owners.add(d);
      }
    }
    Comparator<String> order =
        Comparator.comparing((String n) -> owners.contains(names.registered(n)))
            .thenComparing(Comparator.naturalOrder());
    java.util.TreeSet<String> best = new java.util.TreeSet<>(order);
    for (String n : others) {
      if (best.size() == EXAMPLES && order.compare(n, best.last()) >= 0) {
        continue;
      }
      String v = HostName.normalize(n);
      if (v != null && !HostName.isWildcard(v)) {
        best.add(v);
        if (best.size() > EXAMPLES) {
          best.pollLast();
        }
      }
    }
    return List.copyOf(best);
  }

  private static boolean covered(List<String> patterns, String name) {
    for (String p : patterns) {
      if (HostName.matches(p, name)) {
        return true;
      }
    }
    return false;
  }

  private static String plain(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return n.toLowerCase(Locale.ROOT);
  }
}
