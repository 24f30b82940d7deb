package dev.egret.synth;

/** The Internet checksum (RFC 1071): a ones' complement sum of 16-bit big-endian words. */
final class Checksum {
  private Checksum() {}

  /** Adds {@code len} bytes at {@code off} to a running 32-bit sum; an odd tail is zero-padded. */
  static long add(long sum, byte[] b, int off, int len) {
    int end = off + len - 1;
    int i = off;
    for (; i < end; i += 2) {
      sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if (i == end) {
      sum += (b[i] & 0xff) << 8;
    }
    return sum;
  }

  /** Folds the carries back in and complements (RFC 1071 4.1). */
  static int fold(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
