package dev.egret.logs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds a byte in a line eight bytes at a time: one word is compared with the byte repeated, and a
 * zero byte of the difference is found without a branch per byte (exact: no byte is reported that
 * is not the one sought). The line and field splitting of a conn.log row, a hundred bytes read
 * twice per row, took a third of reading's CPU one byte at a time.
 */
final class Scan {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

  private Scan() {}

  /**
   * The eight bytes {@code b[i .. i + 8)} as a little-endian word: {@code b[i]} is the low byte.
   */
  static long word(byte[] b, int i) {
    return (long) LONG.get(b, i);
  }

  /**
   * The number that eight ASCII digits in a {@link #word} spell ({@code b[i]} the most
   * significant), or -1 when a byte is not a digit: the digits checked and converted four
   * multiplications at a time instead of a byte at a time (the method of simdjson's {@code
   * parse_eight_digits_unrolled}).
   */
  static long eightDigits(long w) {
    long high = 0xF0F0F0F0F0F0F0F0L;
    if (((w & high) | (((w + 0x0606060606060606L) & high) >>> 4)) != 0x3333333333333333L) {
      return -1;
    }
    long v = w - 0x3030303030303030L;
    v = v * 10 + (v >>> 8); // pairs of digits, in every other byte
    return ((v & 0x000000FF000000FFL) * (100 + (1000000L << 32))
            + ((v >>> 16) & 0x000000FF000000FFL) * (1 + (10000L << 32)))
        >>> 32;
  }

  /** {@code c} in every byte of a word. */
  static long pattern(byte c) {
    return (c & 0xffL) * ONES;
  }

  /**
   * The bytes of {@code b[i .. i + 8)} that equal the byte of {@code pattern}, as the high bit of
   * each in a little-endian word: the first is at {@code i + numberOfTrailingZeros(m) / 8}.
   */
  static long matches(byte[] b, int i, long pattern) {
    long x = (long) LONG.get(b, i) ^ pattern;
    return ~(((x & LOW7) + LOW7) | x | LOW7);
  }

  /**
   * Which byte of a {@link #matches} word is the first match (0-7; {@code m} not 0): the lowest set
   * bit isolated, moved to bit 0 of its byte, and multiplied so that its byte's number lands in the
   * top byte. {@code Long.numberOfTrailingZeros(m) >>> 3} without the call that C1 (the launcher's
   * compiler) makes of it.
   */
  static int firstByte(long m) {
    return (int) ((((m & -m) >>> 7) * 0x0001020304050607L) >>> 56);
  }

  /** The index of the first {@code c} in {@code b[from .. to)}, or -1. */
  static int indexOf(byte[] b, int from, int to, byte c) {
    long p = pattern(c);
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long m = matches(b, i, p);
      if (m != 0) {
        return i + firstByte(m);
      }
    }
    for (; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
