package dev.egret.flow;

/** Receives flows as the tracker finishes them. */
@FunctionalInterface
public interface FlowSink {
  void onFlow(FlowRecord flow);
}
