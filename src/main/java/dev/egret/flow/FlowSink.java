package dev.egret.flow;

/** Receives flows as the tracker finishes them. */
@FunctionalInterface
public interface FlowSink {
  void onFlow(FlowRecord flow);

  /**
   * Every flow handed over from now on had a packet at {@code nanos} or later: the tracker has just
   * ended every flow idle for longer than its timeout. Called after each sweep of the flow table
   * (which hands flows over in table order, not time order), so a sink can put starts in order.
   */
  default void activeSince(long nanos) {}
}
