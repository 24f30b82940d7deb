package dev.egret.flow;

/**
 * The end of a hand-off to a receiving thread, shared by {@link BackgroundSink} and {@link
 * BackgroundObserver}.
 */
final class Receivers {
  private Receivers() {}

  /**
   * Waits for {@code receiver} to end, even when interrupted (the interrupt is kept for the
   * caller).
   */
  static void join(Thread receiver) {
    boolean interrupted = false;
    while (true) {
      try {
        receiver.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Throws {@code failure} on the calling thread when it is unchecked; null does nothing. */
  static void rethrow(Throwable failure) {
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }
}
