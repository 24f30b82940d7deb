package dev.egret.capture;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads another supply ahead on a second thread, so that the system calls (and gzip inflation) run
 * on the other core while the packet loop decodes what was read before. Chunks of {@link #CHUNK}
 * bytes go round a fixed ring of {@link #CHUNKS} arrays: memory does not grow with the input, and
 * the reading thread waits when the decoder is behind.
 *
 * <p>The bytes are copied once more, from the chunk into the reader's array, while they are still
 * in the cache; the system call's copy out of the page cache is the expensive one. An input error
 * is kept and thrown by the {@link #read} that reaches it, after every byte before it.
 */
final class PrefetchSupply implements ByteSupply {
  static final int CHUNK = 128 << 10;
  static final int CHUNKS = 4;

  private record Chunk(byte[] bytes, int length, IOException error) {}

  private static final Chunk END = new Chunk(new byte[0], -1, null);

  private final ByteSupply in;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
  private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
  private Thread thread;
  private volatile boolean closed;
  private Chunk current;
  private int pos;
  private boolean ended;

  PrefetchSupply(ByteSupply in) {
    this.in = in;
  }

  /**
   * The first read (the file header, while every file given is opened before any is replayed) is
   * made on the caller's thread; the reading thread and its chunks exist only from the second.
   */
  private boolean startAfterFirstRead() {
    if (thread != null) {
      return false;
    }
    for (int i = 0; i < CHUNKS; i++) {
      free.add(new byte[CHUNK]);
    }
    thread = new Thread(this::readAhead, "egret-read");
    thread.setDaemon(true);
    return true;
  }

  private void readAhead() {
    try {
      while (!closed) {
        byte[] b = free.take();
        int n = 0;
        IOException error = null;
        try {
          while (n < b.length) {
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
              break;
            }
            n += r;
          }
        } catch (IOException e) {
          error = e;
        }
        if (n > 0) {
          full.put(new Chunk(b, n, null));
        }
        if (error != null) {
          full.put(new Chunk(END.bytes, -1, error));
          return;
        }
        if (n < b.length) {
          full.put(END);
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed while waiting
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (startAfterFirstRead()) {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        ended = true;
        throw e;
      }
      if (n < 0) {
        ended = true;
      } else {
        thread.start();
      }
      return n;
    }
    if (!next()) {
      return -1;
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current.bytes, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    if (startAfterFirstRead()) {
      thread.start();
    }
    long done = 0;
    while (done < n && next()) {
      int s = (int) Math.min(n - done, current.length - pos);
      pos += s;
      done += s;
    }
    return done;
  }

  /** Makes {@link #current} a chunk with unread bytes; false at the end of the input. */
  private boolean next() throws IOException {
    if (current != null && pos < current.length) {
      return true;
    }
    if (ended) {
      return false;
    }
    if (current != null) {
      free.add(current.bytes);
      current = null;
    }
    Chunk c;
    try {
      c = full.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading");
    }
    if (c.length < 0) {
      ended = true;
      if (c.error != null) {
        throw c.error;
      }
      return false;
    }
    current = c;
    pos = 0;
    return true;
  }

  @Override
  public String failure() {
    return ended ? in.failure() : null;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    if (thread != null && thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    in.close();
  }
}
