package dev.egret.decode;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of what the decoder saw, by kind. Malformed kinds are the packets it skipped because a
 * length or field was wrong; the other kinds are packets it skipped on purpose (not IP, a later
 * fragment held for reassembly, a link type it does not decode).
 */
public final class DecodeStats {
  /** Why a packet produced no transport header. */
  public enum Kind {
    DECODED(false),
    NON_IP(false),
    FRAGMENT(false),
    UNSUPPORTED_LINK(false),
    TRUNCATED_LINK(true),
    TRUNCATED_IP(true),
    BAD_IP_VERSION(true),
    BAD_HEADER_LENGTH(true),
    BAD_TOTAL_LENGTH(true),
    BAD_EXTENSION_HEADER(true),
    TRUNCATED_TRANSPORT(true),
    BAD_TRANSPORT_LENGTH(true),
    TOO_MANY_LAYERS(true),
    /** A fragment overlapping one held with other bytes: its datagram is dropped (an attack). */
    FRAGMENT_OVERLAP(true),
    /** A fragment ending past 65,535 bytes, or a middle one whose length is not 8-aligned. */
    BAD_FRAGMENT(true);

    private final boolean malformed;

    Kind(boolean malformed) {
      this.malformed = malformed;
    }

    public boolean malformed() {
      return malformed;
    }
  }

  private final long[] counts = new long[Kind.values().length];
  private final Map<Integer, Long> unsupportedLinkTypes = new TreeMap<>();
  private long reassembled;
  private long incomplete;
  private long decapsulated;
  private long innerMalformed;

  public void count(Kind kind) {
    counts[kind.ordinal()]++;
  }

  /** Counts a packet on a link type the decoder does not know, by link type. */
  public void countUnsupportedLink(int linkType) {
    counts[Kind.UNSUPPORTED_LINK.ordinal()]++;
    unsupportedLinkTypes.merge(linkType, 1L, Long::sum);
  }

  void countReassembled() {
    reassembled++;
  }

  void countIncomplete() {
    incomplete++;
  }

  void countDecapsulated() {
    decapsulated++;
  }

  void countInnerMalformed() {
    innerMalformed++;
  }

  /** Packets found inside tunnels and decoded (with decapsulation on). */
  public long decapsulated() {
    return decapsulated;
  }

  /** Tunnels whose inner packet did not decode (with decapsulation on). */
  public long innerMalformed() {
    return innerMalformed;
  }

  /** Fragmented datagrams put back together (each counted once, as the fragment completing it). */
  public long reassembled() {
    return reassembled;
  }

  /** Fragmented datagrams dropped before their last fragment came (timed out or pushed out). */
  public long incomplete() {
    return incomplete;
  }

  public long get(Kind kind) {
    return counts[kind.ordinal()];
  }

  public long malformed() {
    long n = 0;
    for (Kind k : Kind.values()) {
      if (k.malformed()) {
        n += counts[k.ordinal()];
      }
    }
    return n;
  }

  /** Non-zero counts in declaration order. */
  public Map<Kind, Long> nonZero() {
    Map<Kind, Long> m = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      if (counts[k.ordinal()] != 0) {
        m.put(k, counts[k.ordinal()]);
      }
    }
    return m;
  }

  /** Packets per unsupported link type, sorted by link type. */
  public Map<Integer, Long> unsupportedLinkTypes() {
    return Map.copyOf(unsupportedLinkTypes);
  }

  public void addAll(DecodeStats o) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += o.counts[i];
    }
    reassembled += o.reassembled;
    incomplete += o.incomplete;
    decapsulated += o.decapsulated;
    innerMalformed += o.innerMalformed;
    o.unsupportedLinkTypes.forEach((k, v) -> unsupportedLinkTypes.merge(k, v, Long::sum));
  }
}
