package dev.egret.capture;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * For tests: the second way of reading a capture file, which every test capture must read the same
 * through (egret itself reads files, see {@code CaptureFiles}). Bytes of a plain file through
 * {@link MappedByteBuffer} windows of {@link #WINDOW} bytes, copied into the reader's array with an
 * absolute bulk {@code get}; packets are then delivered from that array, never from the mapping.
 * The file size is taken at open: bytes appended later are not seen.
 *
 * <p>Each window is unmapped as soon as the next one is mapped ({@code sun.misc.Unsafe
 * .invokeCleaner}, the only way before Java 19). Left to the garbage collector, which a reader that
 * allocates nothing per packet hardly ever wakes, every window of the file would stay mapped: a 1.6
 * GB file then showed 1.6 GB resident, against 44 MB with unmapping. Where the call is unavailable
 * the collector is the fallback. Unmapping is safe because no reference to an old window survives.
 */
final class MappedSupply implements ByteSupply {
  static final long WINDOW = 64L << 20;
  private static final MethodHandle UNMAP = unmapper();

  private final FileChannel ch;
  private final long size;
  private final long windowSize;
  private MappedByteBuffer window;
  private long windowStart;
  private long windowEnd;
  private long pos;

  MappedSupply(FileChannel ch) throws IOException {
    this(ch, WINDOW);
  }

  MappedSupply(FileChannel ch, long windowSize) throws IOException {
    this.ch = ch;
    this.size = ch.size();
    this.windowSize = windowSize;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (pos >= size) {
      return -1;
    }
    if (window == null || pos < windowStart || pos >= windowEnd) {
      release();
      windowStart = pos;
      windowEnd = Math.min(size, pos + windowSize);
      window = ch.map(FileChannel.MapMode.READ_ONLY, windowStart, windowEnd - windowStart);
    }
    int n = (int) Math.min(len, windowEnd - pos);
    try {
      window.get((int) (pos - windowStart), b, off, n);
    } catch (InternalError e) {
      // SIGBUS: the file was truncated under the mapping
      throw new IOException("file shrank while being read", e);
    }
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long s = Math.min(n, size - pos);
    pos += s;
    return s;
  }

  @Override
  public void close() throws IOException {
    release();
    ch.close();
  }

  private void release() {
    MappedByteBuffer w = window;
    window = null;
    if (w != null && UNMAP != null) {
      try {
        UNMAP.invokeExact((ByteBuffer) w);
      } catch (Throwable e) {
        // left to the garbage collector
      }
    }
  }

  private static MethodHandle unmapper() {
    try {
      Class<?> unsafe = Class.forName("sun.misc.Unsafe");
      Field f = unsafe.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return MethodHandles.lookup()
          .findVirtual(unsafe, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
          .bindTo(f.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
