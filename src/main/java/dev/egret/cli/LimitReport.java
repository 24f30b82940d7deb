package dev.egret.cli;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Baselines;
import dev.egret.baseline.Learner;
import dev.egret.baseline.SummaryRecord;
import java.io.PrintWriter;

/** One line for each bound a learner reached, saying which and what to do. */
final class LimitReport {
  private LimitReport() {}

  /** The line for a merge that went past the entry limit ({@link Baselines#cap}). */
  static void print(Baselines.Capped c, int maxEntries, PrintWriter err) {
    if (c.entries() > 0) {
      err.printf(
          "egret: warning: entry limit reached (--max-entries %d): %d entries of the merged"
              + " baseline (%d flows, the least used) summarised per host and port, not kept per"
              + " destination; raise --max-entries, with a larger heap (EGRET_JAVA_OPTS=-Xmx4g)"
              + " above 1,000,000%n",
          maxEntries, c.entries(), c.flows());
    }
  }

  static void print(Learner learner, Baseline learned, PrintWriter err) {
    long fanoutFlows = 0;
    long limitFlows = 0;
    int fanoutPorts = 0;
    int limitPorts = 0;
    for (SummaryRecord s : learned.summaries()) {
      if (s.reason().equals(SummaryRecord.FANOUT)) {
        fanoutFlows += s.flows();
        fanoutPorts++;
      } else {
        limitFlows += s.flows();
        limitPorts++;
      }
    }
    if (fanoutPorts > 0) {
      err.printf(
          "egret: %d host/port pairs with over %d destinations (scans, crawlers, resolvers):"
              + " %d flows summarised, not kept per destination; egret baseline show lists them%n",
          fanoutPorts, learner.limits().fanout(), fanoutFlows);
    }
    if (learner.entryLimitHit()) {
      err.printf(
          "egret: warning: entry limit reached (--max-entries %d): %d flows of %d host/port pairs"
              + " summarised, not kept per destination; raise --max-entries, with a larger heap"
              + " (EGRET_JAVA_OPTS=-Xmx4g) above 1,000,000%n",
          learner.limits().maxEntries(), limitFlows, limitPorts);
    }
    if (learner.overflowFlows() > 0) {
      err.printf(
          "egret: warning: summary table full: %d flows only counted; learn fewer captures at"
              + " once or exclude the scanning hosts (exclude: in the config)%n",
          learner.overflowFlows());
    }
    if (learner.namesDropped() > 0) {
      err.printf(
          "egret: warning: name table full (%d names and as many queries): %d not kept; give the"
              + " JVM a larger heap (EGRET_JAVA_OPTS=-Xmx4g) to keep up to 1,000,000%n",
          learner.limits().maxNames(), learner.namesDropped());
    }
  }
}
