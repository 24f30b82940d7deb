package dev.egret.policy;

import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Entry;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Writes the review list and the anomalies once the rules are known: what a rule covers leaves the
 * review list, what a rule still allows says so, and both lists come in order of importance.
 */
final class Annotator {
  private final PolicyChecker checker;
  private final EgretConfig config;
  private final Names names;
  private final boolean fullEvidence;

  Annotator(
      List<Role> roles,
      List<Rule> rules,
      List<Rule> denied,
      EgretConfig config,
      Names names,
      boolean fullEvidence) {
    this.checker =
        new PolicyChecker(
            new Policy(
                Policy.API_VERSION, Policy.KIND, null, roles, rules, denied, null, null, null));
    this.config = config;
    this.names = names;
    this.fullEvidence = fullEvidence;
  }

  /**
   * Review items, without those a broad or wildcard rule covers ({@code covered}), most suspect
   * first ({@link Suspicion}), then most connections first, then host, destination, protocol and
   * port.
   */
  List<ReviewItem> review(List<Findings.Reviewed> found, Set<Entry> covered) {
    record Ranked(ReviewItem item, int rank, long flows, IpAddress host, IpAddress dest) {}
    List<Ranked> out = new ArrayList<>();
    for (Findings.Reviewed f : found) {
      if (covered.contains(f.entry())) {
        continue;
      }
      ReviewItem r = f.item();
      String note = allowedAnyway(List.of(f.entry()));
      Entry e = f.entry();
      out.add(
          new Ranked(
              note.isEmpty() ? r : r.withReason(r.reason() + note),
              suspicion(e).ordinal(),
              e.flows(),
              IpAddress.parse(r.host()),
              IpAddress.parse(r.destination())));
    }
    out.sort(
        Comparator.comparingInt(Ranked::rank)
            .thenComparing(Comparator.comparingLong(Ranked::flows).reversed())
            .thenComparing(Ranked::host)
            .thenComparing(Ranked::dest)
            .thenComparing(x -> x.item().protocol())
            .thenComparingInt(x -> x.item().port()));
    return out.stream().map(Ranked::item).toList();
  }

  /**
   * How suspect a review item is, most first: a connection straight to an outside address that no
   * name stands for is how payloads and command servers are reached; a name only the client claimed
   * (TLS server name, HTTP Host) is the client's word; a name a DNS answer gave is the resolver's;
   * an internal server is the site's own.
   */
  enum Suspicion {
    OUTSIDE_UNNAMED("outside address, no name"),
    OUTSIDE_CLAIMED("outside, name only claimed by the client"),
    OUTSIDE_DNS("outside, named by DNS"),
    INTERNAL("internal server");

    final String words;

    Suspicion(String words) {
      this.words = words;
    }
  }

  Suspicion suspicion(Entry e) {
    if (e.internalDestination()) {
      return Suspicion.INTERNAL;
    }
    if (!names.answered(e.host(), e.destination()).isEmpty()) {
      return Suspicion.OUTSIDE_DNS;
    }
    return names.of(e.host(), e.destination()).isEmpty()
        ? Suspicion.OUTSIDE_UNNAMED
        : Suspicion.OUTSIDE_CLAIMED;
  }

  /**
   * Anomalies but for late arrivals a broad rule covers ({@code covered}), most hostile kind first
   * ({@link AnomalyKind}'s order: scans, periodic, never answered, late arrivals), then most
   * attempts first, then host, protocol, port.
   */
  List<Anomaly> anomalies(List<Findings.Flagged> found, Set<Entry> covered) {
    List<Anomaly> out = new ArrayList<>();
    for (Findings.Flagged f : found) {
      if (!f.entries().isEmpty() && covered.containsAll(f.entries())) {
        continue; // a destination new on the last day, on a port where new ones come every day
      }
      Anomaly a = f.anomaly();
      // An anomaly of DNS questions (dns-tunnel) has no entries: its evidence is already short.
      if (!fullEvidence && a.evidence() != null && !f.entries().isEmpty()) {
        Evidence ev = a.evidence().summarised(f.entries(), names);
        a =
            new Anomaly(
                a.kind(),
                a.host(),
                a.destinations(),
                a.protocol(),
                a.port(),
                a.detail(),
                ev,
                a.id());
      }
      String note = allowedAnyway(f.entries());
      out.add(note.isEmpty() ? a : a.withDetail(a.detail() + note));
    }
    out.sort(
        Comparator.comparingInt((Anomaly a) -> rank(a.kind()))
            .thenComparing(Comparator.comparingLong((Anomaly a) -> a.evidence().flows()).reversed())
            .thenComparing(a -> IpAddress.parse(a.host()))
            .thenComparing(Anomaly::protocol)
            .thenComparingInt(Anomaly::port)
            .thenComparing(a -> a.destinations().toString()));
    return out;
  }

  private static int rank(String kind) {
    AnomalyKind k = AnomalyKind.of(kind);
    return k == null ? AnomalyKind.values().length : k.ordinal();
  }

  /**
   * Review items and anomalies are never allowed by a rule the generator chose to widen (aggregates
   * skip their addresses, learned groups do not take in a host they would open them for). Two rules
   * can still allow one, because someone asked for it: a broad rule (any destination on the port,
   * or a wildcard name) and a rule of a config-named role (built from the other hosts' evidence).
   * The item then says so, naming the rule.
   */
  private String allowedAnyway(List<Entry> es) {
    Rule first = null;
    int allowed = 0;
    for (Entry e : es) {
      Rule r =
          checker.allowingRule(
              IpAddress.parse(e.host()),
              IpAddress.parse(e.destination()),
              Protocols.parse(e.protocol()),
              e.port(),
              e.uid(),
              !names.dns(e.host(), e.destination()).isEmpty());
      if (r != null) {
        allowed++;
        first = first == null ? r : first;
      }
    }
    if (first == null) {
      return "";
    }
    String which =
        first.broad()
            ? "broad rule "
                + first.name()
                + (first.destination().resolvedOnly()
                    ? " (any address the resolver answered)"
                    : first.destination().any() ? " (any destination)" : " (wildcard name)")
            : config.roles().containsKey(first.role())
                ? "rule "
                    + first.name()
                    + " of config-named role "
                    + first.role()
                    + " (other hosts' evidence)"
                : "rule " + first.name();
    String count = es.size() == 1 ? "" : " (" + allowed + " of " + es.size() + " destinations)";
    return "; allowed anyway by " + which + count;
  }
}
