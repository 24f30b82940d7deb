package dev.egret.logs;

import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowSink;
import dev.egret.flow.FlowState;
import dev.egret.flow.InitiatorRule;
import dev.egret.flow.ServicePorts;
import dev.egret.net.Protocols;

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

  /**
   * Zeek's UDP inactivity timeout, as egret's tracker's: a UDP flow that starts more than this
   * after the earliest start of its log would have had its request logged in the same flow.
   */
  static final long UDP_IDLE_NS = 60_000_000_000L;

  private final FlowSink sink;
  private final LogStats stats;
  private long latestEnd = Long.MIN_VALUE;
  private long firstStart = Long.MAX_VALUE;

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
   * True when a flow starting at {@code start} began more than the UDP idle timeout after the
   * earliest start this log has shown so far: a request sent within that time before its first
   * datagram would have been logged in it. A datagram from a service port that starts such a flow
   * answers nothing heard, and its sender started it, as egret's tracker decides from packets
   * ({@code FlowTracker}). Rows come as flows end, so the earliest start is known late: early rows
   * are judged as at the start, the cautious side.
   */
  boolean heard(long start) {
    if (start < firstStart) {
      firstStart = start;
    }
    return start - firstStart > UDP_IDLE_NS;
  }

  /**
   * A conn.log row's flow ({@link ZeekConn} says how its fields map) by its fields, which a sink
   * that keeps nothing of it takes without the two objects of a record. A UDP row Zeek turned round
   * by its likely-server-ports rule ({@code ^}) is turned back when it answers nothing heard
   * ({@link #heard}).
   */
  void flow(ZeekConn c) {
    int p = c.protocol();
    long end = c.end();
    stats.flow(c.tsNs, end, c.origPkts + c.respPkts);
    if (heard(c.tsNs)
        && p == Protocols.UDP
        && c.flipped()
        && !ServicePorts.isDhcpClient(c.origPort)) {
      sink.onFlow(
          c.resp[0],
          c.resp[1],
          c.respPort,
          c.orig[0],
          c.orig[1],
          c.origPort,
          p,
          c.tsNs,
          end,
          c.origPkts > 0 ? FlowState.ESTABLISHED : FlowState.ATTEMPTED,
          InitiatorRule.FIRST_PACKET,
          c.respPkts,
          c.respBytes,
          c.origPkts,
          c.origBytes);
      handedOver(end);
      return;
    }
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
