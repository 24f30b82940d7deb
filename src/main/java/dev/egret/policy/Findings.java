package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.baseline.Thresholds;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Sorts baseline entries into what may be allowed, what needs review (below a threshold), and
 * anomalies (never answered, periodic, scans, late arrivals). Nothing in review or anomalies is
 * ever allowed.
 */
final class Findings {
  /** Distinct unanswered destinations on one port that make a scan. */
  static final int SCAN_DESTINATIONS = 10;

  /** Intervals needed, and their largest spread, for a periodic pattern. */
  static final int PERIODIC_GAPS = 4;

  static final double PERIODIC_VARIATION = 0.25;

  /**
   * A review item with the baseline entry it stands for, built when asked for: most entries under
   * review on a large baseline end up covered by a broad rule and never listed (a million review
   * items held 450 MB).
   */
  record Reviewed(Entry entry, String reason, Names names) {
    ReviewItem item() {
      return Findings.item(entry, names, reason);
    }
  }

  /** An anomaly with every entry behind it (all of a scan's, not only the sample it lists). */
  record Flagged(Anomaly anomaly, List<Entry> entries) {
    Flagged {
      entries = List.copyOf(entries);
    }
  }

  /**
   * For answered connections, intervals needed and the longest mean interval of a beacon: a host
   * calling one destination more often than every 5 minutes like clockwork, a mean interval of 270
   * s or less. Slower pollers (NTP, hourly update checks, 15-minute API polls) are left to the
   * rules, and so is a job every 5 minutes, cron's most common period: its mean interval comes out
   * a little above or below 300 s with its jitter (300.0-300.2 s for the clinic's API poll), and a
   * bound at 300 s blocked it or not by a tenth of a second. Beacons call home every few seconds to
   * a minute or two (30 s and 60 s in the synthetic sites).
   */
  static final int PERIODIC_ANSWERED_GAPS = 20;

  static final double PERIODIC_ANSWERED_MAX_SECONDS = 270;

  final List<Entry> allowed = new ArrayList<>();

  /** Every entry not allowed: the review items' and the anomalies' entries. */
  final List<Entry> withheld = new ArrayList<>();

  final List<Reviewed> review = new ArrayList<>();

  final List<Flagged> anomalies = new ArrayList<>();

  final int windowDays;
  final int neededDays;

  /** The site's resolvers and the hosts that asked past them. */
  final OutsideResolvers outside;

  private final Names names;

  /** Each distinct review reason once: they repeat across thousands of entries. */
  private final Map<String, String> reasons = new HashMap<>();

  Findings(Baseline b, Thresholds t, Names names) {
    this.names = names;
    windowDays = windowDays(b);
    neededDays = Math.max(1, Math.min(t.minDays(), windowDays));
    String firstLate =
        b.windowEndNs() == null
            ? null
            : LocalDate.parse(day(b.windowEndNs()))
                .minusDays(Math.min(t.lateDays() - 1L, 1_000_000L))
                .toString();
    Map<String, List<Entry>> unanswered = new LinkedHashMap<>();
    Map<String, NameEvidence> byName = nameEvidence(b, t, names);
    outside = new OutsideResolvers(b);
    for (Entry raw : b.entries()) {
      Entry e = canonical(raw);
      NameEvidence ne = byName.get(nameKey(e, names));
      // An attempt from an audit log has no known outcome: the audit ruleset let it through, and
      // whether anything answered is not logged. It counts as evidence as an answered connection
      // does (an attempt that is never answered shows as an attempt at every retry, and a
      // clockwork one as periodic below).
      long evidence = t.answeredOnly() ? e.answered() + e.unknownOutcome() : e.flows();
      int days = e.days().size();
      if (ne != null && e.answered() > 0) {
        evidence = Math.max(evidence, ne.evidence);
        days = Math.max(days, ne.days.size());
      }
      if (e.answered() == 0 && e.unknownOutcome() == 0) {
        unanswered
            .computeIfAbsent(e.host() + " " + e.protocol() + " " + e.port(), k -> new ArrayList<>())
            .add(e);
      } else if (periodicAnswered(e)) {
        anomaly(
            List.of(e),
            new Anomaly(
                AnomalyKind.PERIODIC.id(),
                e.host(),
                List.of(e.destination()),
                e.protocol(),
                e.port(),
                String.format(
                    Locale.ROOT,
                    "every %s, %d connections, %d answered",
                    interval(e.meanGapSeconds()),
                    e.flows(),
                    e.answered()),
                Evidence.of(List.of(e), names)));
      } else if (days == e.days().size() && late(e, t, firstLate)) {
        anomaly(
            List.of(e),
            new Anomaly(
                AnomalyKind.LATE_NEW.id(),
                e.host(),
                List.of(e.destination()),
                e.protocol(),
                e.port(),
                (t.lateDays() == 1
                        ? "first seen on the last day"
                        : "first seen in the last " + t.lateDays() + " days")
                    + " of a "
                    + windowDays
                    + "-day window, on that day only",
                Evidence.of(List.of(e), names)));
      } else if (evidence < t.minFlows()) {
        review(
            e,
            evidence
                + (t.answeredOnly()
                    ? e.unknownOutcome() > 0 ? " answered or audit-logged" : " answered"
                    : "")
                + (evidence == 1 ? " connection" : " connections")
                + ", fewer than minFlows "
                + t.minFlows());
      } else if (days < neededDays) {
        review(
            e, "seen on " + days + " of " + windowDays + " days, fewer than minDays " + neededDays);
      } else if (outside.reason(e) != null) {
        review(e, outside.reason(e));
      } else {
        allowed.add(e);
      }
    }
    for (List<Entry> group : unanswered.values()) {
      unansweredAnomalies(group, names);
    }
    for (DnsTunnels.Suspect s : DnsTunnels.of(b)) {
      anomalies.add(new Flagged(DnsTunnels.anomaly(s), List.of()));
    }
  }

  /**
   * Evidence pooled per (host, protocol, port, name): a name whose addresses rotate (a CDN, a cloud
   * API) shows each address on one day only, but the name itself recurs; its answered connections
   * and days count together, so the name's rule is judged on the name's history. The rule that
   * results follows the name (its set is fed by the resolver), so pooling adds no address the name
   * did not answer with.
   */
  private static final class NameEvidence {
    long evidence;
    final java.util.Set<String> days = new java.util.HashSet<>();
  }

  private static String nameKey(Entry e, Names names) {
    String name = names.answered(e.host(), e.destination());
    return name.isEmpty() ? null : e.host() + " " + e.protocol() + " " + e.port() + " " + name;
  }

  private static Map<String, NameEvidence> nameEvidence(Baseline b, Thresholds t, Names names) {
    Map<String, NameEvidence> out = new java.util.HashMap<>();
    for (Entry raw : b.entries()) {
      Entry e = canonical(raw);
      if (e.answered() == 0) {
        continue;
      }
      String key = nameKey(e, names);
      if (key == null) {
        continue;
      }
      NameEvidence ne = out.computeIfAbsent(key, k -> new NameEvidence());
      ne.evidence += t.answeredOnly() ? e.answered() : e.flows();
      ne.days.addAll(e.days());
    }
    return out;
  }

  /** An answered beacon to an outside address: see {@link #PERIODIC_ANSWERED_GAPS}. */
  static boolean periodicAnswered(Entry e) {
    return !e.internalDestination()
        && e.gaps() >= PERIODIC_ANSWERED_GAPS
        && e.meanGapSeconds() <= PERIODIC_ANSWERED_MAX_SECONDS
        && e.gapVariation() <= PERIODIC_VARIATION;
  }

  /**
   * Late when seen on one day only, within the last {@code lateDays} of the window. Days are ISO
   * dates, so they compare as text: {@code firstLate} is the earliest late day, computed once.
   */
  private boolean late(Entry e, Thresholds t, String firstLate) {
    if (windowDays < 2 || t.lateDays() == 0 || firstLate == null || e.days().size() != 1) {
      return false;
    }
    return e.days().get(0).compareTo(firstLate) >= 0;
  }

  private void unansweredAnomalies(List<Entry> group, Names names) {
    Entry first = group.get(0);
    if (group.size() >= SCAN_DESTINATIONS) {
      TreeSet<String> dests = new TreeSet<>(Evidence.BY_ADDRESS);
      long attempts = 0;
      for (Entry e : group) {
        dests.add(e.destination());
        attempts += e.flows();
      }
      List<String> sample = new ArrayList<>(dests).subList(0, Math.min(20, dests.size()));
      anomaly(
          group,
          new Anomaly(
              AnomalyKind.PORT_SCAN.id(),
              first.host(),
              sample,
              first.protocol(),
              first.port(),
              attempts
                  + " unanswered attempts to "
                  + dests.size()
                  + " addresses on "
                  + first.protocol()
                  + "/"
                  + first.port(),
              Evidence.of(group, names)));
      return;
    }
    for (Entry e : group) {
      double cv = e.gapVariation();
      boolean periodic = e.gaps() >= PERIODIC_GAPS && cv <= PERIODIC_VARIATION;
      String rejected = e.rejected() > 0 ? " (" + e.rejected() + " refused)" : "";
      String detail =
          periodic
              ? String.format(
                  Locale.ROOT,
                  "every %s, %d attempts, never answered%s",
                  interval(e.meanGapSeconds()),
                  e.flows(),
                  rejected)
              : e.flows()
                  + (e.flows() == 1 ? " attempt" : " attempts")
                  + ", never answered"
                  + rejected;
      anomaly(
          List.of(e),
          new Anomaly(
              (periodic ? AnomalyKind.PERIODIC_UNANSWERED : AnomalyKind.UNANSWERED).id(),
              e.host(),
              List.of(e.destination()),
              e.protocol(),
              e.port(),
              detail,
              Evidence.of(List.of(e), names)));
    }
  }

  /**
   * The entry with its protocol in the one spelling rules and the checker use ({@code icmp6}, not
   * {@code ipv6-icmp}), so that a hand-edited baseline cannot make rules the checker never matches.
   */
  static Entry canonical(Entry e) {
    String p;
    try {
      p = Protocols.name(Protocols.parse(e.protocol()));
    } catch (IllegalArgumentException x) {
      throw new PolicyException("baseline entry " + e.key() + ": " + x.getMessage(), x);
    }
    return p.equals(e.protocol()) ? e : e.withProtocol(p);
  }

  private void review(Entry e, String reason) {
    review.add(new Reviewed(e, reasons.computeIfAbsent(reason, r -> r), names));
    withheld.add(e);
  }

  private void anomaly(List<Entry> es, Anomaly a) {
    Entry e = es.get(0);
    String id =
        a.kind().equals(AnomalyKind.PORT_SCAN.id())
            ? new DecisionId(IpAddress.parse(e.host()), e.protocol(), e.port(), null, null)
                .toString()
            : id(e, names);
    anomalies.add(
        new Flagged(
            new Anomaly(
                a.kind(),
                a.host(),
                a.destinations(),
                a.protocol(),
                a.port(),
                a.detail(),
                a.evidence(),
                id),
            es));
    withheld.addAll(es);
  }

  private static ReviewItem item(Entry e, Names names, String why) {
    String reason = e.uid() == null ? why : "user " + e.uid() + ": " + why;
    return new ReviewItem(
        e.host(),
        e.destination(),
        e.protocol(),
        e.port(),
        names.of(e.host(), e.destination()),
        reason,
        Evidence.of(List.of(e), names),
        id(e, names));
  }

  /**
   * The decision id of one entry: host, protocol, port and the name a DNS answer gave for the
   * destination, or its address ({@link DecisionId}).
   */
  static String id(Entry e, Names names) {
    return DecisionId.of(
            e.host(),
            e.protocol(),
            e.port(),
            names.answered(e.host(), e.destination()),
            e.destination())
        .toString();
  }

  static String interval(double seconds) {
    if (seconds < 120) {
      return String.format(Locale.ROOT, "%.0f s", seconds);
    }
    if (seconds < 7200) {
      return String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }
    return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
  }

  static String day(long nanos) {
    return LocalDate.ofInstant(
            Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L)), ZoneOffset.UTC)
        .toString();
  }

  static int windowDays(Baseline b) {
    if (b.windowStartNs() == null) {
      return 0;
    }
    return (int)
            ChronoUnit.DAYS.between(
                LocalDate.parse(day(b.windowStartNs())), LocalDate.parse(day(b.windowEndNs())))
        + 1;
  }
}
