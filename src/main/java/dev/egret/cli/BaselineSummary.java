package dev.egret.cli;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.io.Times;
import java.util.HashSet;
import java.util.Set;

/** The short human summary after learning or merging. */
final class BaselineSummary {
  private BaselineSummary() {}

  static String of(Baseline b, String where) {
    Set<String> dests = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Entry e : b.entries()) {
      dests.add(e.destination());
    }
    b.names().forEach(n -> names.add(n.name()));
    String window =
        b.windowStartNs() == null
            ? "no traffic"
            : Times.format(b.windowStartNs())
                + " to "
                + Times.format(b.windowEndNs())
                + " ("
                + days(b)
                + ")";
    return "egret: baseline "
        + where
        + ": "
        + b.hosts().size()
        + " hosts, "
        + dests.size()
        + " destinations, "
        + b.entries().size()
        + " host/destination/port entries, "
        + names.size()
        + " names, "
        + b.sources().size()
        + (b.sources().size() == 1 ? " capture" : " captures")
        + "; window "
        + window;
  }

  private static String days(Baseline b) {
    Set<String> days = new HashSet<>();
    b.entries().forEach(e -> days.addAll(e.days()));
    return days.size() + (days.size() == 1 ? " day" : " days") + " with egress";
  }
}
