package dev.egret.capture;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a capture file's reader on a thread of its own and delivers its packets on the caller's
 * thread, in file order: framing the records (and, below it, the read system calls and any gzip
 * inflation) then runs on the second core while the caller decodes and tracks packets already read.
 * The packets are copied into preallocated batches of {@value #BATCH_BYTES} bytes (any captured
 * length fits one, {@link CaptureFile#MAX_CAPLEN}) that go round a fixed ring of {@value #BATCHES}:
 * nothing is allocated per packet, the queues are touched once per batch, and the reading thread
 * waits when the caller is behind.
 *
 * <p>What the caller's handler sees is what it would see from {@code source.run(handler)}: the same
 * calls in the same order, each packet's bytes valid until the handler returns. An error of the
 * reader is thrown by {@link #run} after every packet before it; an error of the handler stops the
 * reader, which is waited for, and is thrown as it was. {@link PacketSource#stop()} from any thread
 * ends the run as it would without this class. When {@link #run} returns, the reading thread has
 * ended, so the source's statistics and problem are final.
 */
public final class PacketPrefetch {
  static final int BATCH_BYTES = 512 << 10;
  static final int BATCH_PACKETS = 4096;
  static final int BATCHES = 4;

  private static final class Batch {
    final byte[] bytes = new byte[BATCH_BYTES];
    final int[] linkTypes = new int[BATCH_PACKETS];
    final int[] offsets = new int[BATCH_PACKETS];
    final int[] caplens = new int[BATCH_PACKETS];
    final int[] origLens = new int[BATCH_PACKETS];
    final long[] times = new long[BATCH_PACKETS];
    int used;
    int count;

    /** The last batch of the run; {@link #error} is what ended it, or null. */
    boolean last;

    Throwable error;
  }

  private final PacketSource source;
  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
  private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
  private Batch filling;

  private PacketPrefetch(PacketSource source) {
    this.source = source;
    for (int i = 0; i < BATCHES; i++) {
      free.add(new Batch());
    }
  }

  /** Reads {@code source} on a second thread, calling {@code handler} on this one. */
  public static void run(PacketSource source, PacketHandler handler) throws IOException {
    new PacketPrefetch(source).deliver(handler);
  }

  /** The reading thread: frames records into batches until the source ends, fails or stops. */
  private void read() {
    Throwable error = null;
    try {
      filling = free.take();
      source.run(this::keep);
    } catch (InterruptedException e) {
      error = new InterruptedIOException("interrupted while reading");
    } catch (IOException | RuntimeException | Error e) {
      error = e;
    }
    if (error instanceof WaitInterrupted w) {
      error = w.getCause();
    }
    try {
      if (filling == null) {
        filling = free.take();
      }
      filling.last = true;
      filling.error = error;
      full.put(filling);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // only the caller's failure path interrupts; it waits
    }
  }

  /** The handler the source calls on the reading thread. */
  private void keep(int linkType, long ts, byte[] buf, int off, int caplen, int origLen) {
    Batch b = filling;
    if (b.count == BATCH_PACKETS || BATCH_BYTES - b.used < caplen) {
      try {
        full.put(b);
        b = free.take();
      } catch (InterruptedException e) {
        filling = null;
        throw new WaitInterrupted(new InterruptedIOException("interrupted while reading"));
      }
      filling = b;
    }
    int i = b.count++;
    System.arraycopy(buf, off, b.bytes, b.used, caplen);
    b.linkTypes[i] = linkType;
    b.times[i] = ts;
    b.offsets[i] = b.used;
    b.caplens[i] = caplen;
    b.origLens[i] = origLen;
    b.used += caplen;
  }

  /** Carries an interruption out through the source's read loop. */
  private static final class WaitInterrupted extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    WaitInterrupted(InterruptedIOException cause) {
      super(cause);
    }
  }

  private void deliver(PacketHandler handler) throws IOException {
    Thread reader = new Thread(this::read, "egret-frame");
    reader.setDaemon(true);
    reader.start();
    Batch b = null;
    try {
      while (true) {
        b = full.take();
        for (int i = 0; i < b.count; i++) {
          handler.onPacket(
              b.linkTypes[i], b.times[i], b.bytes, b.offsets[i], b.caplens[i], b.origLens[i]);
        }
        if (b.last) {
          break;
        }
        recycle(b);
        b = null;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      b = null;
      stopAndDrain(reader);
      throw new InterruptedIOException("interrupted while replaying");
    } catch (RuntimeException | Error e) {
      if (b != null && !b.last) {
        recycle(b);
      }
      if (b == null || !b.last) {
        stopAndDrain(reader);
      }
      join(reader);
      throw e;
    }
    join(reader);
    Throwable error = b.error;
    if (error instanceof IOException e) {
      throw e;
    }
    if (error instanceof RuntimeException e) {
      throw e;
    }
    if (error instanceof Error e) {
      throw e;
    }
  }

  private void recycle(Batch b) {
    b.used = 0;
    b.count = 0;
    free.add(b);
  }

  /** Stops the source and takes batches until its last, so the reading thread can end. */
  private void stopAndDrain(Thread reader) {
    source.stop();
    boolean interrupted = Thread.interrupted();
    try {
      while (true) {
        Batch b;
        try {
          b = full.take();
        } catch (InterruptedException e) {
          interrupted = true;
          continue;
        }
        if (b.last) {
          break;
        }
        recycle(b);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    join(reader);
  }

  private static void join(Thread reader) {
    boolean interrupted = false;
    while (true) {
      try {
        reader.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
