package dev.egret.cli;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.io.Times;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The short human summary after learning or merging. */
final class BaselineSummary {
  private BaselineSummary() {}

  static String of(Baseline b, String where) {
    // One pass over the entries, each set asked only when a value differs from the previous
    // entry's: entries come host by host, and a learned baseline's entries share their day lists.
    // Three sets filled per entry took 0.05 s of CPU for 77,180 entries at the end of a learn.
    Set<String> hosts = new HashSet<>();
    Set<String> dests = new HashSet<>();
    Set<String> days = new HashSet<>();
    String lastHost = null;
    String lastDest = null;
    List<String> lastDays = null;
    for (Entry e : b.entries()) {
      if (!e.host().equals(lastHost)) {
        lastHost = e.host();
        hosts.add(lastHost);
      }
      if (!e.destination().equals(lastDest)) {
        lastDest = e.destination();
        dests.add(lastDest);
      }
      if (e.days() != lastDays) {
        lastDays = e.days();
        days.addAll(lastDays);
      }
    }
    Set<String> names = new HashSet<>();
    b.names().forEach(n -> names.add(n.name()));
    String window =
        b.windowStartNs() == null
            ? "no traffic"
            : Times.format(b.windowStartNs())
                + " to "
                + Times.format(b.windowEndNs())
                + " ("
                + days.size()
                + (days.size() == 1 ? " day" : " days")
                + " with egress)";
    return "egret: baseline "
        + where
        + ": "
        + hosts.size()
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
}
