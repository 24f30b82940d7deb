package dev.egret.capture;

import java.util.Arrays;

/**
 * The interfaces of one pcapng section, by interface id: link type, snapshot length and how to turn
 * a timestamp in the interface's units into nanoseconds since the epoch (draft-ietf-opsawg-pcapng
 * 4.2: {@code if_tsresol}, {@code if_tsoffset}). Arrays grow per Interface Description Block, never
 * per packet.
 */
final class PcapngInterfaces {
  /** More interfaces than this in one section is not a real capture; later IDBs are ignored. */
  static final int MAX_INTERFACES = 65_536;

  private static final long NANOS = 1_000_000_000L;
  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private int count;
  private int[] linkType = new int[4];
  private int[] snaplen = new int[4];
  private int[] tsresol = new int[4];
  private long[] offsetNanos = new long[4];

  int count() {
    return count;
  }

  void clear() {
    count = 0;
  }

  /**
   * Adds the next interface; false when there are already {@link #MAX_INTERFACES}.
   *
   * @param snaplen 0 for no limit
   * @param tsresol the {@code if_tsresol} byte: bit 7 clear, 10^-n seconds; set, 2^-n (n = low 7)
   * @param offsetSeconds {@code if_tsoffset}, added to every timestamp
   */
  boolean add(int linkType, int snaplen, int tsresol, long offsetSeconds) {
    if (count == MAX_INTERFACES) {
      return false;
    }
    if (count == this.linkType.length) {
      int n = count * 2;
      this.linkType = Arrays.copyOf(this.linkType, n);
      this.snaplen = Arrays.copyOf(this.snaplen, n);
      this.tsresol = Arrays.copyOf(this.tsresol, n);
      this.offsetNanos = Arrays.copyOf(this.offsetNanos, n);
    }
    this.linkType[count] = linkType;
    this.snaplen[count] = snaplen;
    this.tsresol[count] = tsresol & 0xFF;
    this.offsetNanos[count] = offsetSeconds * NANOS;
    count++;
    return true;
  }

  int linkType(int id) {
    return linkType[id];
  }

  int snaplen(int id) {
    return snaplen[id];
  }

  /**
   * Nanoseconds since the epoch for a 64-bit timestamp (unsigned) in interface {@code id}'s units.
   * Values past the year 2262 wrap, as a signed 64-bit nanosecond count must.
   */
  long toNanos(int id, long units) {
    return unitsToNanos(tsresol[id], units) + offsetNanos[id];
  }

  static long unitsToNanos(int tsresol, long units) {
    int n = tsresol & 0x7F;
    if ((tsresol & 0x80) == 0) {
      if (n <= 9) {
        return units * POW10[9 - n];
      }
      return n - 9 < POW10.length ? Long.divideUnsigned(units, POW10[n - 9]) : 0;
    }
    if (n == 0) {
      return units * NANOS;
    }
    long seconds = n < 64 ? units >>> n : 0;
    long fraction = n < 64 ? units & ((1L << n) - 1) : units;
    // fraction * 10^9 / 2^n, exact through the 128-bit product
    long lo = fraction * NANOS;
    long hi = Math.multiplyHigh(fraction, NANOS) + ((fraction >> 63) & NANOS);
    long fractionNanos = n < 64 ? (lo >>> n) | (hi << (64 - n)) : hi >>> (n - 64);
    return seconds * NANOS + fractionNanos;
  }
}
