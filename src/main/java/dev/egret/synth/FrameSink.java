package dev.egret.synth;

import java.io.IOException;

/** Receives generated frames in time order; the buffer is reused once the call returns. */
@FunctionalInterface
public interface FrameSink {
  void frame(long epochNanos, byte[] frame, int length) throws IOException;
}
