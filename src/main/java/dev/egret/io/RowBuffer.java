package dev.egret.io;

import java.io.IOException;
import java.io.Writer;

/**
 * Builds ASCII text in one reused char array and writes it out in large blocks: the bulk-output
 * path ({@code egret flows} writes a row per flow), without StringBuilder's per-character checks or
 * an intermediate String. Text only, no escaping: callers put in numbers, addresses, times and
 * fixed words, never wire text. Not thread-safe.
 */
public final class RowBuffer {
  private static final int FLUSH_AT = 1 << 15;

  private final Writer out;
  private char[] buf;
  private int len;

  /** A buffer that writes to {@code out} as it fills. */
  public RowBuffer(Writer out) {
    this.out = out;
    this.buf = new char[FLUSH_AT + 256];
  }

  /** A small buffer for one string at a time ({@link #take()}); it grows as needed. */
  public RowBuffer() {
    this.out = null;
    this.buf = new char[64];
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  public RowBuffer add(char c) {
    ensure(1);
    buf[len++] = c;
    return this;
  }

  public RowBuffer add(String s) {
    int n = s.length();
    ensure(n);
    s.getChars(0, n, buf, len);
    len += n;
    return this;
  }

  /** The decimal digits of {@code v}. */
  public RowBuffer add(long v) {
    if (v < 0) {
      return v == Long.MIN_VALUE ? add(Long.toString(v)) : add('-').add(-v);
    }
    int digits = 1;
    for (long t = v; t >= 10; t /= 10) {
      digits++;
    }
    ensure(digits);
    int end = len + digits;
    for (int i = end - 1; i >= len; i--) {
      buf[i] = (char) ('0' + v % 10);
      v /= 10;
    }
    len = end;
    return this;
  }

  /** {@code v} as exactly two digits (0-99). */
  public RowBuffer add2(long v) {
    ensure(2);
    buf[len] = (char) ('0' + v / 10);
    buf[len + 1] = (char) ('0' + v % 10);
    len += 2;
    return this;
  }

  /** An IPv4 address, dotted quad. */
  public RowBuffer addIpv4(int v4) {
    return add(v4 >>> 24)
        .add('.')
        .add((v4 >>> 16) & 0xff)
        .add('.')
        .add((v4 >>> 8) & 0xff)
        .add('.')
        .add(v4 & 0xff);
  }

  /** Writes out the text so far once a block has gathered; call at the end of each row. */
  public void endRow() throws IOException {
    if (len >= FLUSH_AT) {
      flush();
    }
  }

  /** Writes out everything held (not the Writer's own buffer: flush that separately). */
  public void flush() throws IOException {
    if (len > 0) {
      out.write(buf, 0, len);
      len = 0;
    }
  }

  /** The text held, which is then cleared. */
  public String take() {
    String s = new String(buf, 0, len);
    len = 0;
    return s;
  }
}
