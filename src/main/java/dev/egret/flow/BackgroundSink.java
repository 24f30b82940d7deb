package dev.egret.flow;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands finished flows to another sink on a background thread, in the order they finished, in
 * batches: formatting and writing output then runs on the second core while the packet loop goes
 * on. {@link #close()} waits until every flow has been delivered.
 *
 * <p>A failure of the other sink (a closed output) is thrown on the calling thread at the next
 * batch or at {@link #close()}; the flows after it are dropped.
 */
public final class BackgroundSink implements FlowSink, AutoCloseable {
  static final int BATCH = 2048;
  private static final int QUEUED = 8;

  private record Batch(FlowRecord[] flows, int count) {}

  private static final Batch END = new Batch(new FlowRecord[0], 0);

  private final FlowSink next;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED);
  private final Thread thread;
  private volatile Throwable failure;
  private FlowRecord[] batch = new FlowRecord[BATCH];
  private int count;
  private boolean closed;

  public BackgroundSink(FlowSink next) {
    this.next = next;
    this.thread = new Thread(this::deliver, "egret-flow-output");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void onFlow(FlowRecord flow) {
    if (closed) {
      throw new IllegalStateException("flow after close");
    }
    batch[count++] = flow;
    if (count == BATCH) {
      handOff();
    }
  }

  private void handOff() {
    Receivers.rethrow(failure);
    put(new Batch(batch, count));
    batch = new FlowRecord[BATCH];
    count = 0;
  }

  private void put(Batch b) {
    try {
      queue.put(b);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing on flows", e);
    }
  }

  private void deliver() {
    try {
      for (Batch b = queue.take(); b != END; b = queue.take()) {
        if (failure != null) {
          continue; // drain, so the producer never waits on a dead consumer
        }
        try {
          for (int i = 0; i < b.count(); i++) {
            next.onFlow(b.flows()[i]);
          }
        } catch (RuntimeException | Error e) {
          failure = e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Delivers the flows still held, waits for the background thread and throws its failure. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (count > 0) {
      put(new Batch(batch, count));
      count = 0;
    }
    put(END);
    Receivers.join(thread);
    Receivers.rethrow(failure);
  }
}
