package dev.egret.baseline;

import java.util.Comparator;

/**
 * The order of records by their key ({@link Entry#key()}: fields joined by spaces) without building
 * the key: sorting a million entries built two key strings per comparison, half of {@code learn}'s
 * time on such a baseline. A field decides where it differs from the other record's field; where
 * one field is the start of the other, the shorter one's separator (a space) meets the longer one's
 * next character. Only when that character is a space too (a field holding spaces, which would
 * shift the fields against each other) are the whole keys built and compared, so the order is the
 * keys' order exactly.
 */
final class KeyOrder {
  /** Fields shifted against each other: only the whole keys can tell. */
  private static final int SHIFTED = Integer.MIN_VALUE;

  private KeyOrder() {}

  static final Comparator<Entry> ENTRIES =
      (a, b) -> {
        int c = field(a.host(), b.host());
        if (c == 0) {
          c = field(a.destination(), b.destination());
        }
        if (c == 0) {
          c = field(a.protocol(), b.protocol());
        }
        if (c == 0 && a.port() != b.port()) {
          // The port is the last field unless a user follows it.
          c =
              a.uid() == null && b.uid() == null
                  ? decimal(a.port(), b.port())
                  : a.key().compareTo(b.key());
        }
        if (c == 0 && !java.util.Objects.equals(a.uid(), b.uid())) {
          // No user sorts first, as the shorter key does.
          c =
              a.uid() == null
                  ? -1
                  : b.uid() == null ? 1 : last(a.uid().toString(), b.uid().toString());
        }
        return c == SHIFTED ? a.key().compareTo(b.key()) : c;
      };

  static final Comparator<NameRecord> NAMES =
      (a, b) -> {
        int c = field(a.host(), b.host());
        if (c == 0) {
          c = field(a.address(), b.address());
        }
        if (c == 0) {
          c = field(a.name(), b.name());
        }
        if (c == 0) {
          c = last(a.source(), b.source());
        }
        return c == SHIFTED ? a.key().compareTo(b.key()) : c;
      };

  static final Comparator<QueryRecord> QUERIES =
      (a, b) -> {
        int c = field(a.host(), b.host());
        if (c == 0) {
          c = last(a.name(), b.name());
        }
        return c == SHIFTED ? a.key().compareTo(b.key()) : c;
      };

  /**
   * How {@code x + " " + rest} compares with {@code y + " " + rest'} as far as {@code x} and {@code
   * y} decide it: 0 when they are equal (the rest decides), {@link #SHIFTED} when they cannot tell.
   */
  static int field(String x, String y) {
    if (x == null || y == null) {
      return SHIFTED; // spelled "null" in the key
    }
    if (x.equals(y)) {
      return 0;
    }
    int n = Math.min(x.length(), y.length());
    for (int i = 0; i < n; i++) {
      char cx = x.charAt(i);
      char cy = y.charAt(i);
      if (cx != cy) {
        return cx - cy;
      }
    }
    // One is the start of the other: its separator meets the other's next character.
    char next = x.length() < y.length() ? y.charAt(n) : x.charAt(n);
    if (next == ' ') {
      return SHIFTED;
    }
    return x.length() < y.length() ? ' ' - next : next - ' ';
  }

  /**
   * How the decimal texts of two ints compare as strings (so 443 before 53), without making them: a
   * learn's sorts compared the ports of a million entries' neighbours as two new strings each. The
   * shorter number is scaled to the longer's digits; equal then, the shorter text is its start.
   */
  static int decimal(int x, int y) {
    if (x < 0 || y < 0) {
      return Integer.signum(Integer.toString(x).compareTo(Integer.toString(y)));
    }
    int dx = digits(x);
    int dy = digits(y);
    long sx = x;
    long sy = y;
    for (int i = dx; i < dy; i++) {
      sx *= 10;
    }
    for (int i = dy; i < dx; i++) {
      sy *= 10;
    }
    return sx != sy ? (sx < sy ? -1 : 1) : Integer.compare(dx, dy);
  }

  private static int digits(int v) {
    int n = 1;
    for (long p = 10; p <= v; p *= 10) {
      n++;
    }
    return n;
  }

  /** The last field: nothing follows, so plain string order. */
  private static int last(String x, String y) {
    return x == null || y == null ? SHIFTED : x.compareTo(y);
  }
}
