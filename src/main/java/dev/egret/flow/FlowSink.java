package dev.egret.flow;

/** Receives flows as the tracker finishes them. */
@FunctionalInterface
public interface FlowSink {
  void onFlow(FlowRecord flow);

  /**
   * A flow by its fields rather than as a record, for a reader that makes no object per flow (a
   * log's rows): the same as {@link #onFlow(FlowRecord)} of the record they make, which is what
   * this default does. A sink that keeps nothing of a flow may take the fields as they are.
   */
  default void onFlow(
      long initHi,
      long initLo,
      int initPort,
      long respHi,
      long respLo,
      int respPort,
      int proto,
      long startNanos,
      long endNanos,
      FlowState state,
      InitiatorRule rule,
      long origPackets,
      long origBytes,
      long respPackets,
      long respBytes) {
    onFlow(
        new FlowRecord(
            new FlowKey(initHi, initLo, initPort, respHi, respLo, respPort, proto),
            startNanos,
            endNanos,
            state,
            rule,
            origPackets,
            origBytes,
            respPackets,
            respBytes));
  }

  /**
   * Every flow handed over from now on had a packet at {@code nanos} or later: the tracker has just
   * ended every flow idle for longer than its timeout. Called after each sweep of the flow table
   * (which hands flows over in table order, not time order), so a sink can put starts in order.
   */
  default void activeSince(long nanos) {}
}
