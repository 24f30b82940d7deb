package dev.egret.capture;

/**
 * The TCP connections whose SYN {@link PayloadTrim} saw, in a direct-mapped table: the exact
 * address and port pair, the time of the latest packet and the payload segments counted each way. A
 * slot holds one connection; a new SYN that hashes to a taken slot replaces it, and the one
 * replaced is then unknown (its packets whole), which is always safe. {@link #forgetAll} makes
 * every connection unknown at once, by moving to a new generation. A slot is one row of eight
 * longs, so a lookup touches one or two cache lines; nothing is allocated per packet.
 */
final class TcpStarts {
  static final int SLOTS = 1 << 14;

  private static final int STRIDE = 8;

  /** generation << 36 | IP version << 32 | port of side a (the SYN's sender) << 16 | b's port. */
  private static final int KEY = 0;

  private static final int A_LO = 1;
  private static final int B_LO = 2;
  private static final int A_HI = 3;
  private static final int B_HI = 4;
  private static final int LAST = 5;

  /** Payload segments from a << 32 | from b. */
  private static final int COUNTS = 6;

  private static final long GENERATIONS = 1L << 27;

  private final long[] rows = new long[SLOTS * STRIDE];

  /** Slots are valid when their generation is this one; 0 is never valid. */
  private long current = 1;

  /** Whether the packet {@link #find} matched was sent by side a. */
  private boolean lastFromA;

  /** A SYN from {@code src} to {@code dst}: the connection starts (again) with nothing counted. */
  void open(
      int version,
      long srcHi,
      long srcLo,
      int srcPort,
      long dstHi,
      long dstLo,
      int dstPort,
      long ts) {
    int r = slot(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort) * STRIDE;
    long[] w = rows;
    w[r + KEY] = current << 36 | key(version, srcPort, dstPort);
    w[r + A_LO] = srcLo;
    w[r + B_LO] = dstLo;
    w[r + A_HI] = srcHi;
    w[r + B_HI] = dstHi;
    w[r + LAST] = ts;
    w[r + COUNTS] = 0;
  }

  /** The row of the connection this packet belongs to, either way, or -1. */
  int find(int version, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
    int r = slot(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort) * STRIDE;
    long[] w = rows;
    long k = w[r + KEY];
    long gen = current << 36;
    if (k == (gen | key(version, srcPort, dstPort))
        && w[r + A_LO] == srcLo
        && w[r + B_LO] == dstLo
        && w[r + A_HI] == srcHi
        && w[r + B_HI] == dstHi) {
      lastFromA = true;
      return r;
    }
    if (k == (gen | key(version, dstPort, srcPort))
        && w[r + A_LO] == dstLo
        && w[r + B_LO] == srcLo
        && w[r + A_HI] == dstHi
        && w[r + B_HI] == srcHi) {
      lastFromA = false;
      return r;
    }
    return -1;
  }

  /** Time of the connection's latest packet. */
  long last(int row) {
    return rows[row + LAST];
  }

  /** A packet of the connection at {@code ts}. */
  void seen(int row, long ts) {
    if (ts > rows[row + LAST]) {
      rows[row + LAST] = ts;
    }
  }

  /**
   * Counts a payload segment in the direction of the packet {@link #find} matched; returns how many
   * that direction has sent (at most 2^31 - 1).
   */
  int countPayload(int row) {
    long c = rows[row + COUNTS];
    int a = (int) (c >>> 32);
    int b = (int) c;
    if (lastFromA) {
      a = a == Integer.MAX_VALUE ? a : a + 1;
    } else {
      b = b == Integer.MAX_VALUE ? b : b + 1;
    }
    rows[row + COUNTS] = (long) a << 32 | (b & 0xFFFF_FFFFL);
    return lastFromA ? a : b;
  }

  void forget(int row) {
    rows[row + KEY] = 0;
  }

  void forgetAll() {
    current++;
    if (current == GENERATIONS) {
      // wrapped round after 134 million: clear so that no old row can look current
      java.util.Arrays.fill(rows, 0);
      current = 1;
    }
  }

  private static long key(int version, int aPort, int bPort) {
    return (long) version << 32 | (long) aPort << 16 | bPort;
  }

  /**
   * The same slot for both directions: the two ends combined by XOR, which does not care about
   * their order (pairs it cannot tell apart only share a slot, which is safe).
   */
  private static int slot(
      long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
    long h =
        (srcLo ^ dstLo)
            + (srcHi ^ dstHi) * 0xC2B2AE3D27D4EB4FL
            + ((long) (srcPort ^ dstPort) << 20);
    h *= 0x9E3779B97F4A7C15L;
    return (int) (h >>> 50);
  }
}
