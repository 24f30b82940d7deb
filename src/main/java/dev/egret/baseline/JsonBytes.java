package dev.egret.baseline;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The bytes of compact JSON, written into one buffer and handed to the stream when it is full: the
 * writing side of the baseline file, whose records are flat and whose values are mostly numbers and
 * ASCII addresses. The output is byte for byte what Jackson's UTF-8 generator writes for the same
 * calls (so files written before and after are the same): numbers in plain decimal, strings in
 * UTF-8 with {@code "} and {@code \} escaped, {@code \b \t \n \f \r} as such, every other control
 * character as {@code \}{@code u00XX} and each half of a surrogate pair as {@code \}{@code uXXXX}.
 * A string of printable ASCII without those two is copied as it is. The caller writes the
 * punctuation; field names are written with it, as constants ({@link #ascii}).
 */
final class JsonBytes {
  private static final int SIZE = 1 << 16;

  /** Room kept for the longest number or constant written without a check in between. */
  private static final int SLACK = 64;

  private final OutputStream out;
  private final byte[] buf = new byte[SIZE];
  private int n;

  JsonBytes(OutputStream out) {
    this.out = out;
  }

  /** The bytes of an ASCII constant such as {@code ,"flows":}. */
  static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  void raw(byte[] b) throws IOException {
    if (n + b.length > SIZE) {
      drain();
      if (b.length > SIZE) {
        out.write(b);
        return;
      }
    }
    System.arraycopy(b, 0, buf, n, b.length);
    n += b.length;
  }

  void raw(char c) throws IOException {
    if (n == SIZE) {
      drain();
    }
    buf[n++] = (byte) c;
  }

  /** A field name constant, then the number. */
  void field(byte[] name, long v) throws IOException {
    raw(name);
    number(v);
  }

  /** A field name constant, then the string quoted. */
  void field(byte[] name, String v) throws IOException {
    raw(name);
    string(v);
  }

  /**
   * {@code v} in decimal. Nine digits at a time, each digit by a multiplication: the JIT the
   * launcher runs (C1) leaves a division by ten as a division, and a baseline is mostly numbers.
   */
  void number(long v) throws IOException {
    if (n + SLACK > SIZE) {
      drain();
    }
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        raw(MIN);
        return;
      }
      buf[n++] = '-';
      v = -v;
    }
    if (v < BILLION) {
      n = digits((int) v, n, false);
      return;
    }
    long hi = v / BILLION;
    int lo = (int) (v - hi * BILLION);
    if (hi < BILLION) {
      n = digits((int) hi, n, false);
    } else {
      long top = hi / BILLION;
      n = digits((int) top, n, false);
      n = digits((int) (hi - top * BILLION), n, true);
    }
    n = digits(lo, n, true);
  }

  private static final long BILLION = 1_000_000_000L;
  private static final byte[] MIN = ascii(Long.toString(Long.MIN_VALUE));

  /** {@code v} (0 to 999,999,999) at {@code at}, nine digits when {@code padded}; the end. */
  private int digits(int v, int at, boolean padded) {
    int count = 9;
    if (!padded) {
      count = 1;
      for (int p = 10; count < 9 && v >= p; p *= 10) {
        count++;
      }
    }
    byte[] b = buf;
    int end = at + count;
    for (int j = end - 1; j >= at; j--) {
      int q = (int) ((v & 0xffffffffL) * 0xCCCCCCCDL >>> 35); // v / 10 for v < 2^32
      b[j] = (byte) ('0' + v - q * 10);
      v = q;
    }
    return end;
  }

  void bool(boolean v) throws IOException {
    raw(v ? TRUE : FALSE);
  }

  private static final byte[] NULL = ascii("null");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");

  /** {@code s} in quotes, escaped as Jackson escapes it; {@code null} for null. */
  void string(String s) throws IOException {
    if (s == null) {
      raw(NULL);
      return;
    }
    int len = s.length();
    if (n + len + 2 > SIZE) {
      drain();
    }
    if (len + 2 <= SIZE) {
      byte[] b = buf;
      int i = n;
      b[i++] = '"';
      int k = 0;
      for (; k < len; k++) {
        char c = s.charAt(k);
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
          break;
        }
        b[i++] = (byte) c;
      }
      if (k == len) {
        b[i++] = '"';
        n = i;
        return;
      }
    }
    raw('"');
    for (int k = 0; k < len; k++) {
      if (n + 12 > SIZE) {
        drain();
      }
      escaped(s.charAt(k));
    }
    raw('"');
  }

  /**
   * One character as Jackson's generator writes it: short escapes for {@code " \ \b \t \n \f \r},
   * {@code \}{@code u00XX} for the other control characters, UTF-8 otherwise, except that each half
   * of a surrogate pair is written as {@code \}{@code uXXXX} on its own (Jackson does not combine
   * them; a reader does).
   */
  private void escaped(char c) {
    byte[] b = buf;
    if (c < 0x80) {
      byte e =
          switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '\b' -> 'b';
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\f' -> 'f';
            case '\r' -> 'r';
            default -> 0;
          };
      if (e != 0) {
        b[n++] = '\\';
        b[n++] = e;
      } else if (c < 0x20) {
        unicodeEscape(c);
      } else {
        b[n++] = (byte) c;
      }
    } else if (c < 0x800) {
      b[n++] = (byte) (0xc0 | c >> 6);
      b[n++] = (byte) (0x80 | c & 0x3f);
    } else if (Character.isSurrogate(c)) {
      unicodeEscape(c);
    } else {
      b[n++] = (byte) (0xe0 | c >> 12);
      b[n++] = (byte) (0x80 | c >> 6 & 0x3f);
      b[n++] = (byte) (0x80 | c & 0x3f);
    }
  }

  private static final byte[] HEX = ascii("0123456789ABCDEF");

  private void unicodeEscape(char c) {
    byte[] b = buf;
    b[n++] = '\\';
    b[n++] = 'u';
    b[n++] = HEX[c >> 12];
    b[n++] = HEX[c >> 8 & 0xf];
    b[n++] = HEX[c >> 4 & 0xf];
    b[n++] = HEX[c & 0xf];
  }

  /** Hands what is buffered to the stream. */
  void drain() throws IOException {
    out.write(buf, 0, n);
    n = 0;
  }
}
