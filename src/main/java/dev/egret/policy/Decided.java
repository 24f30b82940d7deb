package dev.egret.policy;

import dev.egret.baseline.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions of a person applied to the findings, before roles and rules are made: an allowed
 * review item or anomaly joins the allowed entries (its rule's evidence says who decided), a denied
 * entry leaves whatever list it was on and is withheld (no rule, no aggregate covers it; {@link
 * DenyRules} refuses it where a broad rule would allow it), and an ignored one leaves the review
 * list or the anomalies without being allowed.
 */
final class Decided {
  /** Entries a decision allowed, with the decision. */
  final Map<Entry, Decision> allowed = new HashMap<>();

  /** Per deny decision, the entries it withheld. */
  final Map<Decision, List<Entry>> denied = new LinkedHashMap<>();

  /** Per decision, the entries it matched. */
  final Map<Decision, Integer> matched = new HashMap<>();

  /** Per decision, the review items and anomalies it took off the lists. */
  final Map<Decision, Integer> delisted = new HashMap<>();

  Decided(Decisions ds, Findings f, Names names) {
    if (ds.isEmpty()) {
      return;
    }
    List<Entry> keep = new ArrayList<>();
    for (Entry e : f.allowed) {
      Decision d = ds.decide(e, names);
      if (d != null) {
        matched.merge(d, 1, Integer::sum);
      }
      if (d != null && d.action() == Decision.Action.DENY) {
        denied.computeIfAbsent(d, k -> new ArrayList<>()).add(e);
        f.withheld.add(e);
      } else {
        keep.add(e);
      }
    }
    f.allowed.clear();
    f.allowed.addAll(keep);
    for (Iterator<Findings.Reviewed> it = f.review.iterator(); it.hasNext(); ) {
      Findings.Reviewed r = it.next();
      Decision d = ds.decide(r.entry(), names);
      if (d != null) {
        it.remove();
        delisted.merge(d, 1, Integer::sum);
        take(d, r.entry(), f);
      }
    }
    for (Iterator<Findings.Flagged> it = f.anomalies.iterator(); it.hasNext(); ) {
      Findings.Flagged a = it.next();
      boolean all = true;
      Decision first = null;
      for (Entry e : a.entries()) {
        Decision d = ds.decide(e, names);
        if (d == null) {
          all = false;
          continue;
        }
        first = first == null ? d : first;
        take(d, e, f);
      }
      if (all) {
        it.remove();
        delisted.merge(first, 1, Integer::sum);
      }
    }
    f.withheld.removeIf(allowed::containsKey);
  }

  private void take(Decision d, Entry e, Findings f) {
    matched.merge(d, 1, Integer::sum);
    switch (d.action()) {
      case ALLOW -> {
        allowed.put(e, d);
        f.allowed.add(e);
      }
      case DENY -> denied.computeIfAbsent(d, k -> new ArrayList<>()).add(e);
      case IGNORE -> {}
    }
  }

  /** The decisions that shaped a rule built from {@code entries}, in words; null when none. */
  String describe(List<Entry> entries) {
    if (allowed.isEmpty()) {
      return null;
    }
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    for (Entry e : entries) {
      Decision d = allowed.get(e);
      if (d != null) {
        out.add(d.describe());
      }
    }
    return out.isEmpty() ? null : String.join("; ", out);
  }
}
