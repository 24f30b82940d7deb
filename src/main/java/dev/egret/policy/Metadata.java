package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.baseline.SourceRecord;
import dev.egret.baseline.Thresholds;
import dev.egret.io.Times;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The policy's metadata: where the evidence came from, the thresholds used, and warnings when the
 * evidence is too thin to trust the rules.
 */
final class Metadata {
  /**
   * A role whose allowed connections number fewer than this many times {@code minFlows} is warned
   * about: its rules rest on a handful of connections.
   */
  static final int ROLE_FLOWS_FACTOR = 10;

  private final Thresholds t;

  Metadata(Thresholds t) {
    this.t = t;
  }

  PolicyMetadata of(
      Baseline b,
      Findings f,
      Map<String, List<String>> roles,
      Map<String, List<Entry>> allowedByHost,
      int covered) {
    List<String> sources = new ArrayList<>();
    for (SourceRecord s : b.sources()) {
      sources.add(
          s.kind()
              + ":"
              + s.name()
              + (s.fingerprint().isEmpty() ? "" : "@" + s.fingerprint().substring(0, 12)));
    }
    Map<String, Object> th = new TreeMap<>();
    th.put("minFlows", t.minFlows());
    th.put("minDays", t.minDays());
    th.put("minDaysApplied", f.neededDays);
    th.put("answeredOnly", t.answeredOnly());
    th.put("broadDestinations", t.broadDestinations());
    th.put("maxPrefixV4", t.maxPrefixV4());
    th.put("maxPrefixV6", t.maxPrefixV6());
    th.put("minCoverage", t.minCoverage());
    th.put("maxExposure", t.maxExposure());
    th.put("portRanges", t.portRanges());
    th.put("lateDays", t.lateDays());
    return new PolicyMetadata(
        b.windowStartNs() == null ? null : Times.format(b.windowStartNs()),
        b.windowEndNs() == null ? null : Times.format(b.windowEndNs()),
        f.windowDays,
        sources,
        b.counters().packets(),
        b.counters().malformed(),
        b.counters().dropped(),
        th,
        null,
        warnings(b, f, roles, allowedByHost));
  }

  private List<String> warnings(
      Baseline b, Findings f, Map<String, List<String>> roles, Map<String, List<Entry>> byHost) {
    List<String> out = new ArrayList<>();
    if (f.windowDays == 0) {
      out.add("the baseline holds no traffic: nothing is allowed");
    } else if (f.windowDays < t.minDays()) {
      out.add(
          "the window spans "
              + days(f.windowDays)
              + ", fewer than minDays "
              + t.minDays()
              + ": rules rest on "
              + days(f.windowDays)
              + " of traffic and anything weekly or daily-but-rare is missing; learn longer");
    }
    if (b.counters().dropped() > 0) {
      out.add(
          "the capture dropped "
              + b.counters().dropped()
              + " packets: connections may be missing from the evidence");
    }
    out.addAll(TemporaryAddresses.warnings(b, f.windowDays));
    long needed = (long) ROLE_FLOWS_FACTOR * t.minFlows();
    for (Map.Entry<String, List<String>> r : roles.entrySet()) {
      long flows = 0;
      for (String h : r.getValue()) {
        for (Entry e : byHost.getOrDefault(h, List.of())) {
          flows += e.flows();
        }
      }
      if (flows < needed) {
        out.add(
            "role "
                + r.getKey()
                + ": its rules rest on "
                + flows
                + (flows == 1 ? " connection" : " connections")
                + ", fewer than "
                + needed
                + " ("
                + ROLE_FLOWS_FACTOR
                + " x minFlows)");
      }
    }
    return out;
  }

  /** Hosts listed by name in the warning about hosts without a role; the rest are counted. */
  static final int ROLELESS_LISTED = 5;

  /**
   * One warning for the hosts that started at least {@code 10 x minFlows} connections and have no
   * role: nothing they did passed the thresholds (a laptop seen on one day of the window, a host
   * added late), so everything they start is blocked. Their entries are under review one by one;
   * this says it of the host. Hosts inside a role's prefixes (a config role) are not listed, nor
   * temporary IPv6 addresses ({@link TemporaryAddresses} says those), nor hosts a person denied
   * whole ({@code host:ADDR}): they have no role because of that decision.
   */
  List<String> roleless(Findings f, List<Role> roles, Decisions decisions) {
    long needed = (long) ROLE_FLOWS_FACTOR * t.minFlows();
    Map<String, Long> flows = new TreeMap<>();
    Map<String, Set<String>> seen = new TreeMap<>();
    for (Entry e : f.withheld) {
      flows.merge(e.host(), e.flows(), Long::sum);
      seen.computeIfAbsent(e.host(), k -> new TreeSet<>()).addAll(e.days());
    }
    List<String> hosts = new ArrayList<>();
    for (Map.Entry<String, Long> h : flows.entrySet()) {
      IpAddress a = IpAddress.parse(h.getKey());
      boolean temporary = TemporaryAddresses.temporary(a, seen.get(h.getKey()).size());
      // A temporary IPv6 address (RFC 8981) is said with its prefix by TemporaryAddresses.
      if (h.getValue() < needed || temporary || inRole(a, roles) || deniedWhole(decisions, a)) {
        continue;
      }
      hosts.add(
          h.getKey()
              + " ("
              + h.getValue()
              + " connections on "
              + seen.get(h.getKey()).size()
              + " of "
              + days(f.windowDays)
              + ")");
    }
    if (hosts.isEmpty()) {
      return List.of();
    }
    hosts.sort(Comparator.comparing(x -> IpAddress.parse(x.substring(0, x.indexOf(' ')))));
    String listed = String.join(", ", hosts.subList(0, Math.min(ROLELESS_LISTED, hosts.size())));
    return List.of(
        hosts.size()
            + (hosts.size() == 1 ? " host has" : " hosts have")
            + " traffic but nothing allowed (each connection below minFlows or minDays, or an"
            + " anomaly), so no role, and everything "
            + (hosts.size() == 1 ? "it starts" : "they start")
            + " will be blocked: "
            + listed
            + (hosts.size() > ROLELESS_LISTED
                ? " and " + (hosts.size() - ROLELESS_LISTED) + " more"
                : "")
            + "; a host away most of the window (a laptop) or added late belongs in a role of the"
            + " config (roles:)");
  }

  /** Whether a person denied all of a host's traffic ({@code host:ADDR}). */
  private static boolean deniedWhole(Decisions decisions, IpAddress host) {
    for (Decision d : decisions.list()) {
      DecisionId id = d.id();
      if (d.action() == Decision.Action.DENY
          && host.equals(id.host())
          && id.protocol() == null
          && id.port() < 0
          && id.anyDestination()) {
        return true;
      }
    }
    return false;
  }

  /** Whether a role's hosts or prefixes hold {@code a}. */
  static boolean inRole(IpAddress a, List<Role> roles) {
    for (Role r : roles) {
      for (Cidr c : r.hosts()) {
        if (c.contains(a)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String days(int n) {
    return n + (n == 1 ? " day" : " days");
  }
}
