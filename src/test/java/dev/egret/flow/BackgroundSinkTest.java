package dev.egret.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackgroundSinkTest {
  private static FlowRecord flow(long n) {
    return new FlowRecord(
        new FlowKey(0, n, 1, 0, 2, 3, 6),
        n,
        n,
        FlowState.ESTABLISHED,
        InitiatorRule.SYN,
        1,
        2,
        3,
        4);
  }

  @Test
  void deliversEveryFlowInOrderOnAnotherThread() {
    List<Long> got = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    int n = BackgroundSink.BATCH * 5 + 7; // whole batches and a partial one
    try (BackgroundSink s =
        new BackgroundSink(
            f -> {
              got.add(f.startNanos());
              if (threads.isEmpty()) {
                threads.add(Thread.currentThread());
              }
            })) {
      for (long i = 0; i < n; i++) {
        s.onFlow(flow(i));
      }
    }
    assertEquals(n, got.size());
    for (int i = 0; i < n; i++) {
      assertEquals(i, got.get(i));
    }
    assertTrue(threads.get(0) != Thread.currentThread());
  }

  @Test
  void aFailingSinkIsReportedToTheCallerAndDoesNotHangIt() {
    UncheckedIOException boom = new UncheckedIOException("closed", new java.io.IOException("x"));
    BackgroundSink s =
        new BackgroundSink(
            f -> {
              throw boom;
            });
    RuntimeException thrown =
        assertThrows(
            RuntimeException.class,
            () -> {
              // more than the queue holds: the caller must not wait on a dead consumer
              for (long i = 0; i < BackgroundSink.BATCH * 40L; i++) {
                s.onFlow(flow(i));
              }
              s.close();
            });
    assertSame(boom, thrown);
    assertSame(boom, assertThrows(RuntimeException.class, s::close));
  }

  @Test
  void noFlowAfterClose() {
    BackgroundSink s = new BackgroundSink(f -> {});
    s.close();
    s.close();
    assertThrows(IllegalStateException.class, () -> s.onFlow(flow(1)));
  }
}
