package dev.egret.capture;

import java.io.IOException;

/**
 * A window over the input in one reusable byte array. {@link #fill(int)} makes the next {@code n}
 * bytes available at {@link #pos()} so a record can be parsed and delivered in place; when a record
 * straddles the end of the array, the unread tail is moved to the front first. A record larger than
 * the array grows it once, to {@code maxRecord}; larger requests are the caller's error.
 */
final class BlockReader {
  private final ByteSupply supply;
  private final int maxRecord;
  private byte[] buf;
  private int pos;
  private int lim;
  private long base;
  private boolean eof;

  BlockReader(ByteSupply supply, int bufferSize, int maxRecord) {
    this.supply = supply;
    this.maxRecord = Math.max(bufferSize, maxRecord);
    this.buf = new byte[bufferSize];
  }

  /** The array holding the bytes; it may change after {@link #fill}. */
  byte[] buf() {
    return buf;
  }

  /** Index in {@link #buf()} of the next unread byte. */
  int pos() {
    return pos;
  }

  /** Bytes available at {@link #pos()} without reading. */
  int available() {
    return lim - pos;
  }

  /** Offset in the input of the next unread byte. */
  long offset() {
    return base + pos;
  }

  /**
   * Makes {@code n} bytes available at {@link #pos()}. Returns false when the input ends first;
   * {@link #available()} then says how many there are.
   */
  boolean fill(int n) throws IOException {
    return lim - pos >= n || refill(n);
  }

  private boolean refill(int n) throws IOException {
    if (n > maxRecord) {
      throw new IllegalArgumentException("record of " + n + " bytes over the bound " + maxRecord);
    }
    if (n > buf.length) {
      byte[] grown = new byte[maxRecord];
      System.arraycopy(buf, pos, grown, 0, lim - pos);
      buf = grown;
      shiftToFront();
    } else if (pos + n > buf.length) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      shiftToFront();
    }
    while (lim - pos < n && !eof) {
      int r = supply.read(buf, lim, buf.length - lim);
      if (r < 0) {
        eof = true;
      } else {
        lim += r;
      }
    }
    return lim - pos >= n;
  }

  private void shiftToFront() {
    base += pos;
    lim -= pos;
    pos = 0;
  }

  /** Marks {@code n} available bytes as read. */
  void consume(int n) {
    pos += n;
  }

  /** Discards {@code n} bytes; false when the input ends first. */
  boolean skip(long n) throws IOException {
    int have = lim - pos;
    if (n <= have) {
      pos += (int) n;
      return true;
    }
    base += lim;
    pos = 0;
    lim = 0;
    long rest = n - have;
    long skipped = eof ? 0 : supply.skip(rest);
    base += skipped;
    if (skipped < rest) {
      eof = true;
      return false;
    }
    return true;
  }

  /** See {@link ByteSupply#failure()}. */
  String failure() {
    return supply.failure();
  }

  void close() throws IOException {
    supply.close();
  }
}
