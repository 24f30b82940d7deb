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
    if (f.endNanos() > latestEnd) {
      latestEnd = f.endNanos();
      sink.activeSince(latestEnd - SLACK_NS);
    }
  }
}
