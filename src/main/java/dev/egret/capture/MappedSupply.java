package dev.egret.capture;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Bytes of a plain file through {@link MappedByteBuffer} windows, copied into the reader's array
 * with an absolute bulk {@code get}. The file size is taken at open: bytes appended later are not
 * seen. A window is released by the garbage collector once the next one is mapped.
 */
final class MappedSupply implements ByteSupply {
  static final long WINDOW = 256L << 20;

  private final FileChannel ch;
  private final long size;
  private MappedByteBuffer window;
  private long windowStart;
  private long windowEnd;
  private long pos;

  MappedSupply(FileChannel ch) throws IOException {
    this.ch = ch;
    this.size = ch.size();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (pos >= size) {
      return -1;
    }
    if (window == null || pos < windowStart || pos >= windowEnd) {
      windowStart = pos;
      windowEnd = Math.min(size, pos + WINDOW);
      window = ch.map(FileChannel.MapMode.READ_ONLY, windowStart, windowEnd - windowStart);
    }
    int n = (int) Math.min(len, windowEnd - pos);
    window.get((int) (pos - windowStart), b, off, n);
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
    window = null;
    ch.close();
  }
}
