package dev.egret.flow;

/** Told of each new flow as its first packet is tracked (live drift alerts). */
@FunctionalInterface
public interface FlowStartObserver {
  /**
   * @param linkBroadcast the first packet went to the whole link (see {@link
   *     FlowRecord#linkBroadcast()})
   */
  void flowStarted(FlowKey key, long tsNanos, boolean linkBroadcast);
}
