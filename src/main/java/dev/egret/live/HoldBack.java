package dev.egret.live;

import dev.egret.baseline.Learner;
import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowSink;
import dev.egret.flow.NameObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Alert mode never teaches: flows the policy would block go to a learner of their own, kept in a
 * separate file, and never into the baseline the next policy is made from. Names go to both, so the
 * held-back flows keep theirs. The same check as the alerts ({@link DriftAlerts#wouldBlock}).
 */
final class HoldBack implements FlowSink {
  private final DriftAlerts alerts;
  private final Learner learned;
  private final Learner held;
  private long heldFlows;

  HoldBack(DriftAlerts alerts, Learner learned, Learner held) {
    this.alerts = alerts;
    this.learned = learned;
    this.held = held;
  }

  @Override
  public void onFlow(FlowRecord f) {
    if (alerts.wouldBlock(f.key(), f.linkBroadcast(), f.startNanos())) {
      heldFlows++;
      held.onFlow(f);
    } else {
      learned.onFlow(f);
    }
  }

  @Override
  public void activeSince(long nanos) {
    learned.activeSince(nanos);
    held.activeSince(nanos);
  }

  /** Flows held back so far. */
  long heldFlows() {
    return heldFlows;
  }

  /** {@code open} split as {@link #onFlow} would: [0] learned, [1] held back. */
  List<List<FlowRecord>> split(List<FlowRecord> open) {
    List<FlowRecord> learn = new ArrayList<>();
    List<FlowRecord> hold = new ArrayList<>();
    for (FlowRecord f : open) {
      (alerts.wouldBlock(f.key(), f.linkBroadcast(), f.startNanos()) ? hold : learn).add(f);
    }
    return List.of(learn, hold);
  }

  /** Passes every name to both learners. */
  NameObserver names() {
    return new NameObserver() {
      @Override
      public void dnsAnswer(
          long ts, long cHi, long cLo, String name, long aHi, long aLo, long ttl) {
        learned.dnsAnswer(ts, cHi, cLo, name, aHi, aLo, ttl);
        held.dnsAnswer(ts, cHi, cLo, name, aHi, aLo, ttl);
      }

      @Override
      public void dnsQuestion(long ts, long cHi, long cLo, String name, int qtype, int rcode) {
        learned.dnsQuestion(ts, cHi, cLo, name, qtype, rcode);
        held.dnsQuestion(ts, cHi, cLo, name, qtype, rcode);
      }

      @Override
      public void serverName(long ts, FlowKey flow, String name, Source source) {
        learned.serverName(ts, flow, name, source);
        held.serverName(ts, flow, name, source);
      }
    };
  }
}
