package dev.egret.live;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGINT and SIGTERM end a live capture cleanly: a shutdown hook asks the run to stop, waits (up to
 * {@value #WAIT_SECONDS} s) until it has written its last checkpoint and reported, then halts the
 * JVM with the run's exit code. Without the halt, the JVM's own exit code (130 or 143) would hide a
 * clean stop, and without the wait the last checkpoint would be lost.
 */
public final class SignalStop {
  static final int WAIT_SECONDS = 120;

  /** The run: returns its exit code; may throw, which counts as {@code failureCode}. */
  @FunctionalInterface
  public interface Run {
    int call() throws IOException;
  }

  private SignalStop() {}

  /**
   * Runs {@code run} with the hook installed; {@code stop} is called from the hook, {@code flush}
   * just before the halt (the command's output streams).
   */
  public static int run(Run run, Runnable stop, Runnable flush, int failureCode)
      throws IOException {
    CountDownLatch reported = new CountDownLatch(1);
    int[] exitCode = {failureCode};
    Thread hook =
        new Thread(
            () -> {
              stop.run();
              try {
                reported.await(WAIT_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                return;
              }
              flush.run();
              Runtime.getRuntime().halt(exitCode[0]);
            },
            "egret-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      int code = run.call();
      exitCode[0] = code;
      return code;
    } finally {
      reported.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook is waiting for this run and exits with its code.
      }
    }
  }
}
