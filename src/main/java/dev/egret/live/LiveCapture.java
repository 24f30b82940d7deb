package dev.egret.live;

import dev.egret.capture.CaptureStats;
import dev.egret.capture.FreshBuffers;
import dev.egret.capture.PacketHandler;
import dev.egret.capture.PacketSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs live sources: one capture thread per source puts packets on its own {@link PacketRing}, and
 * the calling thread drains the rings into per-source handlers, so decoding, flow tracking and
 * learning run beside the capture loop instead of inside it. When processing falls behind and a
 * ring is full, its capture thread waits and the backlog stays in the kernel's capture buffer
 * (counted as kernel drops if that overflows too); packets are given up at the ring (queue drops)
 * only while stopping. The calling thread also runs a periodic tick (status, checkpoints, flow
 * expiry on a quiet link), so every piece of mutable state stays on one thread.
 *
 * <p>Stopping: {@link #stop()} breaks each capture loop; the rings are drained; a capture thread
 * still blocked in libpcap after {@link #STOP_GRACE_NANOS} is left behind (it is a daemon), so
 * shutdown never hangs on an idle interface.
 */
final class LiveCapture {
  static final long STOP_GRACE_NANOS = 2_000_000_000L;
  private static final int BATCH = 1024;
  private static final int SPINS = 64;
  private static final long PARK_NANOS = 100_000L;

  /** Called on the processing thread. */
  @FunctionalInterface
  interface Tick {
    void tick(long monotonicNanos);
  }

  private final List<PacketSource> sources;
  private final List<PacketRing> rings = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;
  private volatile long stopAt;
  private volatile RuntimeException failure;
  private volatile String failedSource;

  LiveCapture(List<PacketSource> sources, int queueSize) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no capture source");
    }
    this.sources = List.copyOf(sources);
    for (PacketSource s : sources) {
      rings.add(new PacketRing(queueSize, !(s instanceof FreshBuffers)));
    }
  }

  /**
   * Captures until {@link #stop()} or a capture thread fails, then drains what was queued.
   *
   * @param handlers one per source, called on this thread
   * @param tick called about every {@code tickNanos}, on this thread
   */
  void run(List<PacketHandler> handlers, Tick tick, long tickNanos) {
    if (handlers.size() != sources.size()) {
      throw new IllegalArgumentException(
          handlers.size() + " handlers for " + sources.size() + " sources");
    }
    for (int i = 0; i < sources.size(); i++) {
      PacketSource s = sources.get(i);
      PacketRing r = rings.get(i);
      Thread t = new Thread(() -> capture(s, r), "egret-capture-" + s.name());
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    PacketHandler[] hs = handlers.toArray(new PacketHandler[0]);
    PacketRing[] rs = rings.toArray(new PacketRing[0]);
    long nextTick = System.nanoTime() + tickNanos;
    int idle = 0;
    while (true) {
      int n = 0;
      for (int i = 0; i < rs.length; i++) {
        n += rs[i].drain(hs[i], BATCH);
      }
      long now = System.nanoTime();
      if (now - nextTick >= 0) {
        tick.tick(now);
        nextTick = now + tickNanos;
      }
      if (n > 0) {
        idle = 0;
        continue;
      }
      if (stopping && (allEnded() || now - stopAt > STOP_GRACE_NANOS)) {
        for (int i = 0; i < rs.length; i++) {
          while (rs[i].drain(hs[i], BATCH) > 0) {
            // what was queued before the stop is still learned
          }
        }
        return;
      }
      if (++idle < SPINS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(PARK_NANOS);
      }
    }
  }

  private void capture(PacketSource s, PacketRing r) {
    try {
      s.run(
          (lt, ts, b, off, len, orig) -> {
            int waits = 0;
            while (!r.offer(lt, ts, b, off, len, orig)) {
              // Processing is behind: wait, and let the kernel's buffer take the backlog.
              if (stopping && System.nanoTime() - stopAt > STOP_GRACE_NANOS / 2) {
                r.drop();
                return;
              }
              if (++waits < SPINS) {
                Thread.onSpinWait();
              } else {
                LockSupport.parkNanos(PARK_NANOS / 4);
              }
            }
          });
    } catch (IOException e) {
      fail(s, new UncheckedIOException(s.name() + ": " + e.getMessage(), e));
    } catch (RuntimeException e) {
      fail(s, e);
    } finally {
      // One source ending ends the capture: its counts would otherwise silently stop.
      stop();
    }
  }

  private void fail(PacketSource s, RuntimeException e) {
    if (!stopping) {
      failedSource = s.name();
      failure = e;
    }
  }

  private boolean allEnded() {
    for (Thread t : threads) {
      if (t.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /** Asks every source to stop; safe from any thread, including a shutdown hook. */
  void stop() {
    if (!stopping) {
      stopAt = System.nanoTime();
      stopping = true;
    }
    for (PacketSource s : sources) {
      s.stop();
    }
  }

  boolean stopping() {
    return stopping;
  }

  /** The error that ended a capture thread, or null. */
  RuntimeException failure() {
    return failure;
  }

  String failedSource() {
    return failedSource;
  }

  /** True when every capture thread has returned (their sources may be closed). */
  boolean ended() {
    return allEnded();
  }

  List<PacketSource> sources() {
    return sources;
  }

  CaptureStats stats(int i) {
    return sources.get(i).stats();
  }

  long queueDrops(int i) {
    return rings.get(i).drops();
  }

  long queueDrops() {
    long d = 0;
    for (PacketRing r : rings) {
      d += r.drops();
    }
    return d;
  }
}
