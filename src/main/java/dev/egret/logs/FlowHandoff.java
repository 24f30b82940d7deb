package dev.egret.logs;

import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowSink;

/**
 * Hands a log's flows to the sink as the flow tracker hands over packets' flows: each one, then how
 * far the log has got ({@link FlowSink#activeSince}), so that the learner can count the intervals
 * between connection starts in time order and release the starts it holds.
 *
 * <p>A log row is written when its connection is over: Zeek removes a connection at its end or
 * after its inactivity timeout (TCP 5 minutes, UDP and ICMP 1 minute), Suricata after its flow
 * timeout (at most 10 minutes for an established TCP flow by default). So every row still to come
 * ended no earlier than {@value #SLACK_MINUTES} minutes before the latest end read so far; rows of
 * a logger's several workers interleave within that, as their writes are as timely.
 */
final class FlowHandoff {
  static final long SLACK_MINUTES = 10;
  private static final long SLACK_NS = SLACK_MINUTES * 60_000_000_000L;

  private final FlowSink sink;
  private final LogStats stats;
  private long latestEnd = Long.MIN_VALUE;

  FlowHandoff(FlowSink sink, LogStats stats) {
    this.sink = sink;
    this.stats = stats;
  }

  void flow(FlowRecord f) {
    stats.flow(f.startNanos(), f.endNanos(), f.origPackets() + f.respPackets());
    sink.onFlow(f);
    handedOver(f.endNanos());
  }

  /**
   * A conn.log row's flow ({@link ZeekConn} says how its fields map) by its fields, which a sink
   * that keeps nothing of it takes without the two objects of a record.
   */
  void flow(ZeekConn c) {
    int p = c.protocol();
    long end = c.end();
    stats.flow(c.tsNs, end, c.origPkts + c.respPkts);
    sink.onFlow(
        c.orig[0],
        c.orig[1],
        c.origPort,
        c.resp[0],
        c.resp[1],
        c.respPort,
        p,
        c.tsNs,
        end,
        c.state(p),
        c.rule(p),
        c.origPkts,
        c.origBytes,
        c.respPkts,
        c.respBytes);
    handedOver(end);
  }

  private void handedOver(long end) {
    if (end > latestEnd) {
      latestEnd = end;
      sink.activeSince(latestEnd - SLACK_NS);
    }
  }
}
