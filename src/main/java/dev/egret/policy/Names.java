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
    return memo.computeIfAbsent(host + " " + address, k -> index.nameStrings(host, address));
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

  /** The name a destination is known by (the most seen), or null. */
  String first(String host, String address) {
    List<String> n = of(host, address);
    return n.isEmpty() ? null : n.get(0);
  }
}
