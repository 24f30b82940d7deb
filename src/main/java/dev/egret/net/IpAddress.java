package dev.egret.net;

/**
 * An IPv4 or IPv6 address as a value (IPv4 stored IPv4-mapped, see {@link Ip}). Parsing accepts
 * only literal addresses and never asks DNS.
 */
public record IpAddress(long hi, long lo) implements Comparable<IpAddress> {

  public static IpAddress of(long hi, long lo) {
    return new IpAddress(hi, lo);
  }

  public static IpAddress parse(String text) {
    long[] v = parseBits(text);
    if (v == null) {
      throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
    }
    return new IpAddress(v[0], v[1]);
  }

  public boolean isV4() {
    return Ip.isV4(hi, lo);
  }

  @Override
  public int compareTo(IpAddress o) {
    // IPv4 (mapped, hi == 0) sorts before IPv6 global addresses; unsigned order throughout.
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  @Override
  public String toString() {
    return Ip.toString(hi, lo);
  }

  /** Parses a literal IPv4 or IPv6 address into {hi, lo}, or returns null. */
  static long[] parseBits(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      long v4 = parseV4(s);
      return v4 < 0 ? null : new long[] {0, Ip.v4Lo((int) v4)};
    }
    return parseV6(s);
  }

  /** Dotted quad: four decimal parts of 1-3 digits, 0-255, no leading zero. One pass, no split. */
  private static long parseV4(String s) {
    long v = 0;
    int parts = 0;
    int i = 0;
    int len = s.length();
    while (true) {
      int start = i;
      int n = 0;
      while (i < len && i - start < 4) {
        char c = s.charAt(i);
        if (c == '.') {
          break;
        }
        if (c < '0' || c > '9') {
          return -1;
        }
        n = n * 10 + (c - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 3 || (digits > 1 && s.charAt(start) == '0') || n > 255) {
        return -1;
      }
      v = (v << 8) | n;
      parts++;
      if (i == len) {
        return parts == 4 ? v : -1;
      }
      if (parts == 4) {
        return -1; // a fifth part, or a character after the fourth
      }
      i++; // the dot
    }
  }

  private static long[] parseV6(String s) {
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    int[] groups = new int[8];
    String head = dbl >= 0 ? s.substring(0, dbl) : s;
    String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
    int[] h = groups(head, true);
    int[] t = groups(tail, true);
    if (h == null || t == null) {
      return null;
    }
    int total = h.length + t.length;
    if (dbl < 0 ? total != 8 : total > 7) {
      return null;
    }
    System.arraycopy(h, 0, groups, 0, h.length);
    System.arraycopy(t, 0, groups, 8 - t.length, t.length);
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 4; i++) {
      hi = (hi << 16) | groups[i];
      lo = (lo << 16) | groups[i + 4];
    }
    return new long[] {hi, lo};
  }

  /** Hex groups separated by ':'; the last may be a dotted quad (two groups). */
  private static int[] groups(String part, boolean allowV4) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] g = part.split(":", -1);
    int extra = 0;
    if (allowV4 && g[g.length - 1].indexOf('.') >= 0) {
      extra = 1;
    }
    int[] out = new int[g.length + extra];
    for (int i = 0; i < g.length; i++) {
      String x = g[i];
      if (i == g.length - 1 && extra == 1) {
        long v4 = parseV4(x);
        if (v4 < 0) {
          return null;
        }
        out[i] = (int) (v4 >>> 16);
        out[i + 1] = (int) (v4 & 0xffff);
        break;
      }
      if (x.isEmpty() || x.length() > 4) {
        return null;
      }
      int n = 0;
      for (int k = 0; k < x.length(); k++) {
        int d = Character.digit(x.charAt(k), 16);
        if (d < 0) {
          return null;
        }
        n = (n << 4) | d;
      }
      out[i] = n;
    }
    return out;
  }
}
