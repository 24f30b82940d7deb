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
          String x = Integer.toString(a.port());
          String y = Integer.toString(b.port());
          // The port is the last field unless a user follows it.
          c = a.uid() == null && b.uid() == null ? last(x, y) : a.key().compareTo(b.key());
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

  /** The last field: nothing follows, so plain string order. */
  private static int last(String x, String y) {
    return x == null || y == null ? SHIFTED : x.compareTo(y);
  }
}
