package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * DNS that goes past the site's own resolver: a host asking a resolver outside the internal
 * networks (udp or tcp port 53, DNS over TLS or QUIC on 853) while hosts of the site ask an
 * internal one. Such a rule lets a compromised host send anything, encoded in names, to any
 * domain's servers (a DNS tunnel), or over DNS over TLS past every name the policy follows; and the
 * answers it gets never reach the resolver-fed sets of the name rules. So, as the old advice has it
 * (all DNS through the site's resolver), the policy does not allow it by itself: it goes to review,
 * where a person can allow it ({@code egret review --allow}). A site without an internal resolver
 * (hosts asking their provider's) keeps its outside DNS; so do the internal resolvers themselves,
 * which must ask upstream. From the site's edge, where no host's question to the site's resolver is
 * seen, the resolver is the host whose answers name what the others reach ({@link
 * #answeringForOthers}).
 */
final class OutsideResolvers {
  /** Internal addresses that other hosts ask on port 53: the site's resolvers. */
  private final Set<String> resolvers = new TreeSet<>();

  private final String reason;

  OutsideResolvers(Baseline b) {
    for (Entry raw : b.entries()) {
      Entry e = Findings.canonical(raw);
      if (e.internalDestination()
          && e.port() == 53
          && isUdpOrTcp(e)
          && e.answered() > 0
          && !e.host().equals(e.destination())) {
        resolvers.add(e.destination());
      }
    }
    if (resolvers.isEmpty()) {
      resolvers.addAll(answeringForOthers(b));
    }
    List<String> first = resolvers.stream().limit(2).toList();
    reason =
        "DNS to a resolver outside the internal networks, past the site's own ("
            + String.join(", ", first)
            + (resolvers.size() > first.size() ? ", ..." : "")
            + "): it carries anything encoded in names to any domain's servers (a tunnel), and"
            + " its answers feed no name rule's set; point the host at the site's resolver, or"
            + " allow it with egret review --allow";
  }

  /** True when the site has a resolver of its own, which the other hosts ask. */
  boolean siteResolver() {
    return !resolvers.isEmpty();
  }

  /**
   * The hosts that asked DNS past the site's resolver: what they reached by those answers has no
   * answer of the site's resolver behind it, until the policy sends their DNS there too.
   */
  Set<String> askingOutside(Baseline b) {
    Set<String> out = new TreeSet<>();
    for (Entry raw : b.entries()) {
      Entry e = Findings.canonical(raw);
      if (reason(e) != null) {
        out.add(e.host());
      }
    }
    return out;
  }

  /** Why the entry is not allowed by itself: DNS past the site's resolver; null otherwise. */
  String reason(Entry e) {
    if (resolvers.isEmpty()
        || e.internalDestination()
        || (e.port() != 53 && e.port() != 853)
        || !isUdpOrTcp(e)
        || resolvers.contains(e.host())) {
      return null;
    }
    return reason;
  }

  /**
   * Seen from the site's edge, the hosts' questions to the site's resolver are not there, only its
   * questions upstream: the resolver is then the internal host whose DNS answers name what other
   * hosts, with no answer of their own, connected to. The hosts whose answers name at least half as
   * many such (host, address) pairs as the most, and at least 2 hosts', count: a workstation that
   * asks an outside resolver names a few popular addresses others reach too, not most of them.
   */
  static Set<String> answeringForOthers(Baseline b) {
    java.util.Map<String, Set<String>> answeredTo = new java.util.HashMap<>();
    java.util.Set<String> own = new java.util.HashSet<>();
    for (dev.egret.baseline.NameRecord r : b.names()) {
      if ("dns".equals(r.source())) {
        answeredTo.computeIfAbsent(r.address(), k -> new TreeSet<>()).add(r.host());
        own.add(r.host() + " " + r.address());
      }
    }
    java.util.Map<String, Set<String>> served = new java.util.HashMap<>();
    java.util.Map<String, Integer> pairs = new java.util.HashMap<>();
    for (Entry e : b.entries()) {
      Set<String> by = answeredTo.get(e.destination());
      if (by == null || e.internalDestination() || own.contains(e.host() + " " + e.destination())) {
        continue;
      }
      for (String r : by) {
        if (!r.equals(e.host())) {
          served.computeIfAbsent(r, k -> new TreeSet<>()).add(e.host());
          pairs.merge(r, 1, Integer::sum);
        }
      }
    }
    int most = pairs.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    Set<String> out = new TreeSet<>();
    pairs.forEach(
        (r, n) -> {
          if (2 * n >= most && served.get(r).size() >= 2) {
            out.add(r);
          }
        });
    return out;
  }

  private static boolean isUdpOrTcp(Entry e) {
    return e.protocol().equals("udp") || e.protocol().equals("tcp");
  }
}
