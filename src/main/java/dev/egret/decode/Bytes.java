package dev.egret.decode;

/**
 * Big-endian (network order) field readers over a byte array. Callers check bounds first; these do
 * no checking of their own beyond what the JVM does.
 */
final class Bytes {
  private Bytes() {}

  static int u8(byte[] b, int i) {
    return b[i] & 0xff;
  }

  static int u16(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
  }

  /** Two 16-bit reads: small enough (17 bytes of bytecode) for C1 to inline, unlike four bytes. */
  static int i32(byte[] b, int i) {
    return u16(b, i) << 16 | u16(b, i + 2);
  }

  static long u32(byte[] b, int i) {
    return i32(b, i) & 0xffff_ffffL;
  }

  static long i64(byte[] b, int i) {
    return (long) i32(b, i) << 32 | u32(b, i + 4);
  }
}
