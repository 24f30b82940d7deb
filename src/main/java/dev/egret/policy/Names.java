package dev.egret.policy;

import dev.egret.baseline.Baseline;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of a destination as a host knows them ({@link Baseline.NameIndex#nameStrings}), looked
 * up once per (host, address): the generator asks for the same pair from every stage.
 */
final class Names {
  private final Baseline.NameIndex index;
  private final Map<String, List<String>> memo = new HashMap<>();
  private final Map<String, String> registered = new HashMap<>();

  Names(Baseline.NameIndex index) {
    this.index = index;
  }

  Names(Baseline b) {
    this(b.nameIndex());
  }

  /** Distinct names, most seen first; empty when none. */
  List<String> of(String host, String address) {
    if (!index.named(address)) {
      return List.of(); // most addresses of a large baseline: no key built, nothing remembered
    }
    return memo.computeIfAbsent(host + " " + address, k -> index.nameStrings(host, address));
  }

  /**
   * The names DNS answers gave this host for the address, or where it has none any host (the
   * resolver asking upstream), sorted; empty when none.
   */
  List<String> dns(String host, String address) {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    for (dev.egret.baseline.NameRecord r : index.answersFor(host, address)) {
      out.add(r.name());
    }
    return List.copyOf(out);
  }

  /** The registered domain of a name ({@link Domains#registered}), or null; looked up once. */
  String registered(String name) {
    if (registered.containsKey(name)) {
      return registered.get(name);
    }
    String r = Domains.registered(name);
    registered.put(name, r);
    return r;
  }

  /**
   * The name a DNS answer gave this host for the address (the most seen), or where it has none, any
   * host (the resolver asking upstream, as a sensor at the site's edge sees it); empty when none.
   * Only DNS answers count: a TLS server name or an HTTP Host header is whatever the client chose
   * to send, so a compromised host could claim any name for any address with them.
   */
  String answered(String host, String address) {
    if (!index.named(address)) {
      return "";
    }
    return dnsMemo.computeIfAbsent(
        host + " " + address,
        k -> {
          dev.egret.baseline.NameRecord best = null;
          for (dev.egret.baseline.NameRecord r : index.answersFor(host, address)) {
            if (best == null
                || r.count() > best.count()
                || (r.count() == best.count() && r.name().compareTo(best.name()) < 0)) {
              best = r;
            }
          }
          return best == null ? "" : best.name();
        });
  }

  private final Map<String, String> dnsMemo = new HashMap<>();

  /** The name a destination is known by (the most seen), or null. */
  String first(String host, String address) {
    List<String> n = of(host, address);
    return n.isEmpty() ? null : n.get(0);
  }
}
