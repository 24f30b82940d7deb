package dev.egret.flow;

/**
 * A finished (closed, timed out, evicted or flushed) flow.
 *
 * @param key initiator to responder
 * @param startNanos first packet, ns since the epoch
 * @param endNanos last packet, ns since the epoch
 * @param state answered, rejected, closed or only attempted
 * @param rule how the initiator was decided
 * @param origPackets packets from the initiator
 * @param origBytes IP bytes from the initiator (IP header lengths as stated on the wire)
 * @param respPackets packets from the responder
 * @param respBytes IP bytes from the responder
 * @param linkBroadcast its first packet went to the whole link (a broadcast frame)
 */
public record FlowRecord(
    FlowKey key,
    long startNanos,
    long endNanos,
    FlowState state,
    InitiatorRule rule,
    long origPackets,
    long origBytes,
    long respPackets,
    long respBytes,
    boolean linkBroadcast) {

  /** A flow whose first packet was not a link broadcast. */
  public FlowRecord(
      FlowKey key,
      long startNanos,
      long endNanos,
      FlowState state,
      InitiatorRule rule,
      long origPackets,
      long origBytes,
      long respPackets,
      long respBytes) {
    this(
        key,
        startNanos,
        endNanos,
        state,
        rule,
        origPackets,
        origBytes,
        respPackets,
        respBytes,
        false);
  }

  /** Whether a record of these times, state and rule can be made (the constructor's checks). */
  public static boolean valid(long startNanos, long endNanos, FlowState state, InitiatorRule rule) {
    return state != null && rule != null && endNanos >= startNanos;
  }

  public FlowRecord {
    if (key == null || state == null || rule == null) {
      throw new IllegalArgumentException("flow record needs a key, a state and a rule");
    }
    if (endNanos < startNanos) {
      throw new IllegalArgumentException(
          "flow ends before it starts: " + startNanos + " > " + endNanos);
    }
  }

  /** True when anything came back from the responder. */
  public boolean answered() {
    return respPackets > 0 && state != FlowState.REJECTED;
  }
}
