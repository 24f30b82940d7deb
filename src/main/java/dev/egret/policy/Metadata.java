package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.baseline.SourceRecord;
import dev.egret.baseline.Thresholds;
import dev.egret.io.Times;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

  private static String days(int n) {
    return n + (n == 1 ? " day" : " days");
  }
}
