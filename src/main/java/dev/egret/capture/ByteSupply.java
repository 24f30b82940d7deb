package dev.egret.capture;

import java.io.Closeable;
import java.io.IOException;

/** Where a {@link BlockReader} gets its bytes: a stream (file, gzip, stdin) or a file mapping. */
interface ByteSupply extends Closeable {
  /** Reads up to {@code len} bytes into {@code b}; -1 at the end of the input. */
  int read(byte[] b, int off, int len) throws IOException;

  /** Discards up to {@code n} bytes; returns how many, fewer only at the end of the input. */
  long skip(long n) throws IOException;

  /**
   * Why the input ended before its real end (a corrupt gzip stream), or null. The reader has seen
   * end of input in that case; the caller reports it.
   */
  default String failure() {
    return null;
  }
}
