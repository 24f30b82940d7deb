package dev.egret.policy;

import dev.egret.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What changed between two policies, rule by rule (matched by name, then a renamed rule by role,
 * protocol and destination): added, removed, broadened (allows everything it did and more),
 * narrowed (allows a subset) or changed (neither); roles whose hosts changed; and changed defaults.
 */
public final class PolicyDiff {
  private PolicyDiff() {}

  /** One difference, in words. */
  public record Change(String kind, String name, String detail) {}

  public static List<Change> between(Policy a, Policy b) {
    List<Change> out = new ArrayList<>();
    Map<String, Role> ra = new TreeMap<>();
    a.roles().forEach(r -> ra.put(r.name(), r));
    Map<String, Role> rb = new TreeMap<>();
    b.roles().forEach(r -> rb.put(r.name(), r));
    for (String n : union(ra.keySet(), rb.keySet())) {
      Role x = ra.get(n);
      Role y = rb.get(n);
      if (x == null) {
        out.add(new Change("role-added", n, y.hosts().toString()));
      } else if (y == null) {
        out.add(new Change("role-removed", n, x.hosts().toString()));
      } else if (!x.hosts().equals(y.hosts())) {
        out.add(new Change("role-changed", n, x.hosts() + " -> " + y.hosts()));
      }
    }
    Map<String, Rule> ma = new TreeMap<>();
    a.rules().forEach(r -> ma.put(r.name(), r));
    Map<String, Rule> mb = new TreeMap<>();
    b.rules().forEach(r -> mb.put(r.name(), r));
    List<Change> rules = new ArrayList<>();
    List<Rule> removed = new ArrayList<>();
    List<Rule> added = new ArrayList<>();
    for (String n : union(ma.keySet(), mb.keySet())) {
      Rule x = ma.get(n);
      Rule y = mb.get(n);
      if (x == null) {
        added.add(y);
      } else if (y == null) {
        removed.add(x);
      } else if (!same(x, y)) {
        rules.add(new Change(kind(x, y), n, describe(x) + " -> " + describe(y) + decided(y)));
      }
    }
    // A rule's name carries its ports, so a port more renames it: pair such rules by role,
    // protocol and destination, and report them as the one rule they are.
    for (Rule x : removed) {
      Rule y = added.stream().filter(r -> pairable(x, r)).findFirst().orElse(null);
      if (y == null) {
        rules.add(new Change("removed", x.name(), describe(x)));
      } else {
        added.remove(y);
        rules.add(
            new Change(
                kind(x, y),
                y.name(),
                "was " + x.name() + ": " + describe(x) + " -> " + describe(y) + decided(y)));
      }
    }
    for (Rule y : added) {
      rules.add(new Change("added", y.name(), describe(y) + decided(y)));
    }
    // Deny rules from decisions, matched by name.
    Map<String, Rule> da = new TreeMap<>();
    a.denied().forEach(r -> da.put(r.name(), r));
    Map<String, Rule> db = new TreeMap<>();
    b.denied().forEach(r -> db.put(r.name(), r));
    for (String n : union(da.keySet(), db.keySet())) {
      Rule x = da.get(n);
      Rule y = db.get(n);
      if (x == null) {
        rules.add(new Change("deny-added", n, describe(y) + decided(y)));
      } else if (y == null) {
        rules.add(new Change("deny-removed", n, describe(x) + decided(x)));
      } else if (!same(x, y)) {
        rules.add(new Change("deny-changed", n, describe(x) + " -> " + describe(y) + decided(y)));
      }
    }
    rules.sort(java.util.Comparator.comparing(Change::name));
    out.addAll(rules);
    // The decisions behind the changes: each one in effect in only one of the two.
    java.util.Set<String> before = decisions(a);
    java.util.Set<String> after = decisions(b);
    for (String d : after) {
      if (!before.contains(d)) {
        out.add(new Change(DECISION, "decision", "new: " + d));
      }
    }
    for (String d : before) {
      if (!after.contains(d)) {
        out.add(new Change(DECISION, "decision", "gone: " + d));
      }
    }
    if (!a.defaults().equals(b.defaults())) {
      out.add(new Change("defaults-changed", "defaults", a.defaults() + " -> " + b.defaults()));
    }
    return out;
  }

  /** The kind of a change that is a decision, not a difference in what is allowed. */
  public static final String DECISION = "decision";

  /** True when the changes include a difference in what the policies allow. */
  public static boolean differ(List<Change> changes) {
    return changes.stream().anyMatch(c -> !c.kind().equals(DECISION));
  }

  /** The decisions a policy applied, without what they did: {@code allow ID (DATE)}. */
  private static java.util.Set<String> decisions(Policy p) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    if (p.metadata() != null) {
      for (String d : p.metadata().decisions()) {
        int colon = d.indexOf(": ");
        out.add(colon < 0 ? d : d.substring(0, colon));
      }
    }
    return out;
  }

  /** {@code ; decided: ...} when a person's decision made the rule. */
  private static String decided(Rule r) {
    return r.evidence() == null || r.evidence().decided() == null
        ? ""
        : "; " + r.evidence().decided();
  }

  private static String kind(Rule x, Rule y) {
    boolean wider = covers(y, x);
    boolean narrower = covers(x, y);
    return wider && !narrower ? "broadened" : narrower && !wider ? "narrowed" : "changed";
  }

  /** The same destination of the same role and protocol, under another name. */
  private static boolean pairable(Rule x, Rule y) {
    if (!x.role().equals(y.role()) || !x.protocol().equals(y.protocol())) {
      return false;
    }
    Destination dx = x.destination();
    Destination dy = y.destination();
    if (dx.any() || dy.any()) {
      return dx.any() && dy.any();
    }
    if (!dx.names().isEmpty() || !dy.names().isEmpty()) {
      return dx.names().equals(dy.names());
    }
    for (Cidr c : dx.addresses()) {
      for (Cidr d : dy.addresses()) {
        if (c.contains(d) || d.contains(c)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean same(Rule x, Rule y) {
    return x.role().equals(y.role())
        && x.protocol().equals(y.protocol())
        && x.ports().equals(y.ports())
        && x.icmpTypes().equals(y.icmpTypes())
        && x.destination().any() == y.destination().any()
        && x.destination().resolvedOnly() == y.destination().resolvedOnly()
        && x.destination().addresses().equals(y.destination().addresses())
        && x.destination().holdSeconds() == y.destination().holdSeconds()
        && java.util.Objects.equals(x.uid(), y.uid());
  }

  /** True when {@code wide} allows everything {@code narrow} allows. */
  static boolean covers(Rule wide, Rule narrow) {
    if (!wide.role().equals(narrow.role()) || !wide.protocol().equals(narrow.protocol())) {
      return false;
    }
    // A rule for every user covers one user's; one user's covers only that user's.
    if (wide.uid() != null && !wide.uid().equals(narrow.uid())) {
      return false;
    }
    if (!wide.ports().isEmpty()) {
      if (narrow.ports().isEmpty()) {
        return false;
      }
      for (PortRange p : narrow.ports()) {
        boolean in = false;
        for (PortRange q : wide.ports()) {
          in |= q.from() <= p.from() && p.to() <= q.to();
        }
        if (!in) {
          return false;
        }
      }
    }
    // An empty list of ICMP types is any type, as an empty list of ports is any port.
    if (!wide.icmpTypes().isEmpty()
        && (narrow.icmpTypes().isEmpty() || !wide.icmpTypes().containsAll(narrow.icmpTypes()))) {
      return false;
    }
    if (wide.destination().any()) {
      // Limited to the resolver's answers, it covers only what is limited the same way, and the
      // addresses it allows besides them (those of the window) decide between two such rules.
      if (!wide.destination().resolvedOnly()) {
        return true;
      }
      if (!narrow.destination().resolvedOnly()) {
        return false;
      }
    } else if (narrow.destination().any()) {
      return false;
    }
    // A name's set that keeps answers longer allows more.
    if (narrow.destination().holdSeconds() > wide.destination().holdSeconds()) {
      return false;
    }
    for (Cidr c : narrow.destination().addresses()) {
      boolean in = false;
      for (Cidr d : wide.destination().addresses()) {
        in |= d.contains(c);
      }
      if (!in) {
        return false;
      }
    }
    return true;
  }

  static String describe(Rule r) {
    int seen = r.destination().addresses().size();
    String where =
        r.destination().resolvedOnly()
            ? (seen == 0 ? "" : seen + (seen == 1 ? " address" : " addresses") + " seen and ")
                + "any address the resolver answered"
            : r.destination().any() ? "any" : r.destination().addresses().toString();
    String what = r.icmpTypes().isEmpty() ? r.ports().toString() : "types " + r.icmpTypes();
    String hold =
        r.destination().hold() == null ? "" : " (answers held " + r.destination().hold() + " s)";
    return r.role() + " " + r.protocol() + " " + what + " to " + where + hold;
  }

  private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    java.util.TreeSet<String> s = new java.util.TreeSet<>(a);
    s.addAll(b);
    return new ArrayList<>(s);
  }
}
