package dev.egret.decode;

/**
 * Reassembly of fragmented IP datagrams (RFC 791 3.2 for IPv4, RFC 8200 4.5 for IPv6), so that a
 * datagram split on the way (a large DNS answer, a fragmented SYN, a tiny first fragment that cuts
 * the transport header) is seen whole, with its ports and payload, as the firewall's own reassembly
 * (netfilter's defrag) sees it.
 *
 * <p>Bounded: at most {@value #SLOTS} datagrams are held at once, each up to {@value #MAX_DATAGRAM}
 * bytes after its IP header, in buffers allocated on first use and then reused (4 MiB at most per
 * decoder, nothing per packet). A datagram not complete {@value #TIMEOUT_SECONDS} s after its first
 * fragment arrived, or the oldest one when a new datagram needs a slot, is dropped and counted as
 * incomplete. Fragments are keyed by version, addresses and identification (and the protocol for
 * IPv4, RFC 791 3.2).
 *
 * <p>Overlaps are an attack (evasion: two hosts reassembling differently see different data;
 * teardrop-style crashes): RFC 5722 has IPv6 drop a datagram with overlapping fragments, and Linux
 * does the same for IPv4 since 2018. So does egret, counting them; an exact repeat of bytes already
 * held (a capture that saw a fragment twice) is ignored. A fragment that would end past 65,535
 * bytes, or a fragment other than the last whose length is not a multiple of 8 (RFC 8200 4.5), is
 * malformed.
 */
final class Fragments {
  static final int SLOTS = 64;
  static final int MAX_DATAGRAM = 65535;
  static final int TIMEOUT_SECONDS = 30;
  private static final long TIMEOUT_NANOS = TIMEOUT_SECONDS * 1_000_000_000L;
  private static final int UNITS = (MAX_DATAGRAM + 7) / 8;

  /** {@link #add}: the fragment is held, the datagram not complete yet. */
  static final int HELD = -1;

  /** {@link #add}: the fragment overlaps one held with other bytes; the datagram is dropped. */
  static final int OVERLAP = -2;

  /** {@link #add}: the fragment is malformed (past 65,535 bytes, or a middle one not 8-aligned). */
  static final int BAD = -3;

  private final int[] version = new int[SLOTS];
  private final long[] srcHi = new long[SLOTS];
  private final long[] srcLo = new long[SLOTS];
  private final long[] dstHi = new long[SLOTS];
  private final long[] dstLo = new long[SLOTS];
  private final int[] proto = new int[SLOTS];
  private final long[] id = new long[SLOTS];
  private final long[] started = new long[SLOTS];
  private final boolean[] used = new boolean[SLOTS];

  /** Length of the datagram once its last fragment came, else -1. */
  private final int[] total = new int[SLOTS];

  /**
   * Next header (IPv6) or protocol (IPv4) of the data at offset 0, once the first fragment came.
   */
  private final int[] first = new int[SLOTS];

  private final int[] headerLen = new int[SLOTS];
  private final byte[][] data = new byte[SLOTS][];
  private final long[][] covered = new long[SLOTS][];
  private final int[] coveredUnits = new int[SLOTS];
  private final DecodeStats stats;
  private long now = Long.MIN_VALUE;

  Fragments(DecodeStats stats) {
    this.stats = stats;
  }

  /**
   * Adds one fragment.
   *
   * @param key the packet whose version, addresses and protocol key the datagram
   * @param fragmentId the identification field (16 bits for IPv4, 32 for IPv6)
   * @param offset where the fragment's data goes in the datagram, in bytes
   * @param more whether more fragments follow (the M or MF flag)
   * @param next the protocol (IPv4) or next header (IPv6) of the data, used from offset 0
   * @param header the length of the IP header(s) before the fragmentable part
   * @return the slot holding the complete datagram (read it with {@link #data}, {@link #length};
   *     valid until the next call), or {@link #HELD}, {@link #OVERLAP} or {@link #BAD}
   */
  int add(
      DecodedPacket key,
      long fragmentId,
      int offset,
      boolean more,
      int next,
      int header,
      byte[] b,
      int from,
      int len,
      long tsNanos) {
    if (tsNanos > now) {
      now = tsNanos;
    }
    if (offset + len > MAX_DATAGRAM || more && (len % 8 != 0 || len == 0)) {
      return BAD;
    }
    int s = find(key, fragmentId);
    if (s < 0) {
      s = claim(key, fragmentId);
    }
    int fromUnit = offset / 8;
    int toUnit = (offset + len + 7) / 8; // exclusive
    boolean repeat = true;
    boolean overlap = false;
    long[] bits = covered[s];
    for (int u = fromUnit; u < toUnit; u++) {
      boolean have = (bits[u >>> 6] & 1L << u) != 0;
      repeat &= have;
      overlap |= have;
    }
    if (overlap) {
      if (repeat && sameBytes(data[s], offset, b, from, len) && lastAgrees(s, offset, len, more)) {
        return HELD;
      }
      free(s);
      return OVERLAP;
    }
    if (!more) {
      if (total[s] >= 0 || toUnit < coveredMax(s)) {
        free(s); // two different ends, or data held past the end: overlapping in effect
        return OVERLAP;
      }
      total[s] = offset + len;
    } else if (total[s] >= 0 && offset + len > total[s]) {
      free(s);
      return OVERLAP;
    }
    if (offset == 0) {
      first[s] = next;
      headerLen[s] = header;
    }
    System.arraycopy(b, from, data[s], offset, len);
    for (int u = fromUnit; u < toUnit; u++) {
      bits[u >>> 6] |= 1L << u;
    }
    coveredUnits[s] += toUnit - fromUnit;
    if (total[s] >= 0 && first[s] >= 0 && coveredUnits[s] == (total[s] + 7) / 8) {
      stats.countReassembled();
      // The data stays readable until the slot is claimed again.
      used[s] = false;
      java.util.Arrays.fill(bits, 0L);
      coveredUnits[s] = 0;
      return s;
    }
    return HELD;
  }

  byte[] data(int slot) {
    return data[slot];
  }

  int length(int slot) {
    return total[slot];
  }

  /** The protocol (IPv4) or next header (IPv6) of the complete datagram's data. */
  int next(int slot) {
    return first[slot];
  }

  /** The length of the first fragment's IP header(s) before its data. */
  int headerLength(int slot) {
    return headerLen[slot];
  }

  /** Counts the datagrams still held as incomplete and forgets them: the input has ended. */
  void finish() {
    for (int s = 0; s < SLOTS; s++) {
      if (used[s]) {
        stats.countIncomplete();
        free(s);
      }
    }
  }

  private int find(DecodedPacket k, long fragmentId) {
    for (int s = 0; s < SLOTS; s++) {
      if (!used[s]) {
        continue;
      }
      if (now - started[s] > TIMEOUT_NANOS) {
        stats.countIncomplete();
        free(s);
        continue;
      }
      if (id[s] == fragmentId
          && version[s] == k.ipVersion
          && srcLo[s] == k.srcLo
          && dstLo[s] == k.dstLo
          && srcHi[s] == k.srcHi
          && dstHi[s] == k.dstHi
          && (k.ipVersion == 6 || proto[s] == k.proto)) {
        return s;
      }
    }
    return -1;
  }

  /** A free slot, or the oldest one's, for a new datagram. */
  private int claim(DecodedPacket k, long fragmentId) {
    int s = -1;
    for (int i = 0; i < SLOTS && s < 0; i++) {
      if (!used[i]) {
        s = i;
      }
    }
    if (s < 0) {
      s = 0;
      for (int i = 1; i < SLOTS; i++) {
        if (started[i] < started[s]) {
          s = i;
        }
      }
      stats.countIncomplete();
      free(s);
    }
    if (data[s] == null) {
      data[s] = new byte[MAX_DATAGRAM];
      covered[s] = new long[(UNITS + 63) / 64];
    }
    used[s] = true;
    version[s] = k.ipVersion;
    srcHi[s] = k.srcHi;
    srcLo[s] = k.srcLo;
    dstHi[s] = k.dstHi;
    dstLo[s] = k.dstLo;
    proto[s] = k.proto;
    id[s] = fragmentId;
    started[s] = now;
    total[s] = -1;
    first[s] = -1;
    return s;
  }

  private void free(int s) {
    used[s] = false;
    java.util.Arrays.fill(covered[s], 0L);
    coveredUnits[s] = 0;
    total[s] = -1;
    first[s] = -1;
  }

  /** One past the highest 8-byte unit held. */
  private int coveredMax(int s) {
    long[] bits = covered[s];
    for (int w = bits.length - 1; w >= 0; w--) {
      if (bits[w] != 0) {
        return w * 64 + 64 - Long.numberOfLeadingZeros(bits[w]);
      }
    }
    return 0;
  }

  /** A repeated last fragment must end where the first one did. */
  private boolean lastAgrees(int s, int offset, int len, boolean more) {
    return more ? total[s] < 0 || offset + len <= total[s] : total[s] == offset + len;
  }

  private static boolean sameBytes(byte[] held, int at, byte[] b, int from, int len) {
    return java.util.Arrays.equals(held, at, at + len, b, from, from + len);
  }
}
