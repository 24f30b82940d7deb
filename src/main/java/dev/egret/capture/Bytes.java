package dev.egret.capture;

/**
 * Unsigned and signed fixed-width reads from a byte array at an absolute offset, either order.
 *
 * <p>Shifts of single bytes, not {@code MethodHandles.byteArrayViewVarHandle}: the launcher runs C1
 * only, which leaves a view handle's guard, unaligned read and byte swap as calls (JFR on the bench
 * capture: a tenth of the packet loop went to reading the record headers through them).
 */
final class Bytes {
  private Bytes() {}

  static int u16(byte[] b, int off, boolean bigEndian) {
    return bigEndian
        ? (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF)
        : (b[off + 1] & 0xFF) << 8 | (b[off] & 0xFF);
  }

  static int i32(byte[] b, int off, boolean bigEndian) {
    return bigEndian
        ? (b[off] & 0xFF) << 24
            | (b[off + 1] & 0xFF) << 16
            | (b[off + 2] & 0xFF) << 8
            | (b[off + 3] & 0xFF)
        : (b[off + 3] & 0xFF) << 24
            | (b[off + 2] & 0xFF) << 16
            | (b[off + 1] & 0xFF) << 8
            | (b[off] & 0xFF);
  }

  static long u32(byte[] b, int off, boolean bigEndian) {
    return i32(b, off, bigEndian) & 0xFFFF_FFFFL;
  }

  static long i64(byte[] b, int off, boolean bigEndian) {
    long first = u32(b, off, bigEndian);
    long second = u32(b, off + 4, bigEndian);
    return bigEndian ? first << 32 | second : second << 32 | first;
  }

  static int saturate(long unsigned) {
    return unsigned > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) unsigned;
  }
}
