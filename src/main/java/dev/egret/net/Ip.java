package dev.egret.net;

/**
 * 128-bit address helpers shared by every stage. Addresses travel as two longs; text is made only
 * when written out. Parsing never touches DNS.
 */
public final class Ip {
  public static final long V4_MAPPED_PREFIX = 0x0000_ffff_0000_0000L;

  private Ip() {}

  public static boolean isV4(long hi, long lo) {
    return hi == 0 && (lo & 0xffff_ffff_0000_0000L) == V4_MAPPED_PREFIX;
  }

  public static long v4Lo(int v4) {
    return V4_MAPPED_PREFIX | (v4 & 0xffff_ffffL);
  }

  /** Canonical text: dotted quad for IPv4-mapped, RFC 5952 form for IPv6. */
  public static String toString(long hi, long lo) {
    if (isV4(hi, lo)) {
      return appendTo(new StringBuilder(15), hi, lo).toString();
    }
    return v6(hi, lo);
  }

  /** Appends the canonical text; IPv4 without making a String (bulk output). */
  public static StringBuilder appendTo(StringBuilder sb, long hi, long lo) {
    if (!isV4(hi, lo)) {
      return sb.append(v6(hi, lo));
    }
    sb.append((int) (lo >>> 24) & 0xff).append('.');
    sb.append((int) (lo >>> 16) & 0xff).append('.');
    sb.append((int) (lo >>> 8) & 0xff).append('.');
    return sb.append((int) lo & 0xff);
  }

  private static String v6(long hi, long lo) {
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
      g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
    }
    // RFC 5952 4.2.3: compress the longest run (first if tied) of two or more zero groups.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append(i == 0 ? "::" : ":");
        i += bestLen - 1;
        continue;
      }
      sb.append(Integer.toHexString(g[i]));
      if (i < 7) {
        sb.append(':');
      }
    }
    return sb.toString();
  }
}
