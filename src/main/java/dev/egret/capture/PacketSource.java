package dev.egret.capture;

import java.io.Closeable;
import java.io.IOException;

/** A stream of captured packets: a capture file, standard input or a live interface. */
public interface PacketSource extends Closeable {
  /** Human-readable name for messages: the file name, {@code -} or the interface. */
  String name();

  /**
   * Delivers packets to {@code handler} until the source is exhausted or {@link #stop()} is called.
   * A truncated last record ends the run normally and is reported in {@link #stats()}.
   *
   * @throws CaptureException when the input is not a capture or its structure is broken before any
   *     packet can be trusted; the message names the source
   */
  void run(PacketHandler handler) throws IOException;

  /** Asks a running {@link #run} to return soon; safe to call from another thread. */
  default void stop() {}

  /** Why reading stopped before the end of the input (a corrupt record), or null. */
  default String problem() {
    return null;
  }

  /** Counters so far: packets delivered, bytes, truncation, drops reported by the source. */
  CaptureStats stats();

  @Override
  default void close() throws IOException {}
}
