package dev.egret.policy;

import dev.egret.baseline.Entry;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions a person recorded ({@code decisions.yaml}), applied when a policy is generated. A
 * later decision on the same id replaces an earlier one, so a change of mind is one more line. When
 * decisions of different ids cover the same traffic, deny beats allow and allow beats ignore.
 *
 * <p>Names in ids are wire text too: allow and ignore match a destination only by the names DNS
 * answers gave for it (a TLS server name or HTTP Host is whatever the client chose to send, so a
 * compromised host could borrow an allowed name for its own server); deny matches every name seen.
 */
public final class Decisions {
  private final List<Decision> effective;
  private final Map<IpAddress, List<Decision>> byHost = new HashMap<>();
  private final List<Decision> anyHost = new ArrayList<>();

  public Decisions(List<Decision> decisions) {
    Map<String, Decision> last = new LinkedHashMap<>();
    for (Decision d : decisions) {
      last.remove(d.id().toString());
      last.put(d.id().toString(), d);
    }
    this.effective = List.copyOf(last.values());
    for (Decision d : effective) {
      if (d.id().host() == null) {
        anyHost.add(d);
      } else {
        byHost.computeIfAbsent(d.id().host(), k -> new ArrayList<>()).add(d);
      }
    }
  }

  public static Decisions none() {
    return new Decisions(List.of());
  }

  /** The decisions in effect (the last one per id), in the order they were recorded. */
  public List<Decision> list() {
    return effective;
  }

  public boolean isEmpty() {
    return effective.isEmpty();
  }

  /** The decision that applies to a baseline entry, or null. */
  Decision decide(Entry e, Names names) {
    if (effective.isEmpty()) {
      return null;
    }
    IpAddress h = IpAddress.parse(e.host());
    IpAddress a = IpAddress.parse(e.destination());
    Decision best = null;
    best = pick(best, byHost.getOrDefault(h, List.of()), e, h, a, names);
    best = pick(best, anyHost, e, h, a, names);
    return best;
  }

  private static Decision pick(
      Decision best, List<Decision> ds, Entry e, IpAddress h, IpAddress a, Names names) {
    for (Decision d : ds) {
      if (best != null && rank(d) >= rank(best)) {
        continue;
      }
      Collection<String> known =
          d.action() == Decision.Action.DENY
              ? names.of(e.host(), e.destination())
              : names.dns(e.host(), e.destination());
      if (d.id().matches(h, e.protocol(), e.port(), a, known)) {
        best = d;
      }
    }
    return best;
  }

  /** Deny first, then allow, then ignore. */
  private static int rank(Decision d) {
    return switch (d.action()) {
      case DENY -> 0;
      case ALLOW -> 1;
      case IGNORE -> 2;
    };
  }
}
