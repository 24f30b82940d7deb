package dev.egret.decode;

import static dev.egret.decode.Bytes.i64;
import static dev.egret.decode.Bytes.u16;
import static dev.egret.decode.Bytes.u32;
import static dev.egret.decode.Bytes.u8;

import dev.egret.decode.DecodeStats.Kind;

/** IPv6 header and extension header chain reader, RFC 8200. */
final class Ipv6 {
  static final int HEADER = 40;

  /** Extension headers followed before giving up on a chain. */
  static final int MAX_EXTENSION_HEADERS = 16;

  static final int HOP_BY_HOP = 0;
  static final int ROUTING = 43;
  static final int FRAGMENT = 44;
  static final int ESP = 50;
  static final int AH = 51;
  static final int NO_NEXT_HEADER = 59;
  static final int DESTINATION_OPTIONS = 60;

  /** Flag in {@link #walk}'s result: a fragment header at offset 0 with more to follow. */
  static final long FIRST_OF_FRAGMENTS = 1L << 40;

  /** Flag in {@link #walk}'s result: the walk stopped at a fragment's data (see its frag param). */
  static final long FRAGMENT_DATA = 1L << 41;

  private Ipv6() {}

  /**
   * Reads the header at {@code ip} into {@code out} and walks its extension headers.
   *
   * @param capEnd end of the captured bytes
   * @param wireEnd where the frame ended on the wire, or -1 when unknown
   * @return the offset of the upper-layer header (out.proto says which), or for a fragment the
   *     offset of its data (out.proto: the fragment header's next header) with {@link
   *     Ipv4#FRAGMENTED} set, or a negative {@link Outcome} code
   */
  static long parse(byte[] b, int ip, int capEnd, int wireEnd, DecodedPacket out) {
    if (capEnd - ip < HEADER) {
      return Outcome.fail(Kind.TRUNCATED_IP);
    }
    if (u8(b, ip) >>> 4 != 6) {
      return Outcome.fail(Kind.BAD_IP_VERSION);
    }
    int payloadLen = u16(b, ip + 4);
    int next = u8(b, ip + 6);
    int length;
    if (payloadLen == 0 && next == HOP_BY_HOP) {
      // RFC 2675: a jumbogram's length is in a hop-by-hop option; take the frame's length.
      length = (wireEnd >= 0 ? wireEnd : capEnd) - ip;
    } else {
      length = HEADER + payloadLen;
      if (wireEnd >= 0 && length > wireEnd - ip) {
        return Outcome.fail(Kind.BAD_TOTAL_LENGTH);
      }
    }
    out.ipVersion = 6;
    out.srcHi = i64(b, ip + 8);
    out.srcLo = i64(b, ip + 16);
    out.dstHi = i64(b, ip + 24);
    out.dstLo = i64(b, ip + 32);
    out.ipLength = length;
    int statedEnd = ip + length;
    long r = walk(b, ip + HEADER, next, statedEnd, Math.min(statedEnd, capEnd), out);
    if (r < 0) {
      return r;
    }
    out.proto = (int) (r >>> 32) & 0xff;
    return (r & FRAGMENT_DATA) != 0 ? Ipv4.FRAGMENTED | (int) r : (int) r;
  }

  /**
   * Follows the extension header chain from {@code p}, whose type is {@code next}. RFC 8200 4:
   * hop-by-hop, routing, fragment and destination options headers give their length in 8-byte units
   * not counting the first 8; RFC 4302 2.2: AH gives it in 4-byte units minus 2. ESP and No Next
   * Header end the chain like an upper-layer protocol does.
   *
   * @param frag null to walk through a first fragment's header to its upper layer (a quoted
   *     packet); else where a fragment's offset, M flag and identification are put, and the walk
   *     stops at the fragment's data
   * @return {@code (protocol << 32) | offset} of the upper layer, with {@link #FIRST_OF_FRAGMENTS}
   *     set when a fragment header said more fragments follow; or with {@code frag}, at a fragment
   *     header, {@code (next header << 32) | offset} of its data with {@link #FRAGMENT_DATA} set;
   *     or a negative {@link Outcome} code
   */
  static long walk(byte[] b, int p, int next, int statedEnd, int capEnd, DecodedPacket frag) {
    long flags = 0;
    for (int n = 0; ; n++) {
      if (next != HOP_BY_HOP
          && next != ROUTING
          && next != FRAGMENT
          && next != DESTINATION_OPTIONS
          && next != AH) {
        return flags | (long) next << 32 | p;
      }
      if (n == MAX_EXTENSION_HEADERS) {
        return Outcome.fail(Kind.BAD_EXTENSION_HEADER);
      }
      if (p + 2 > statedEnd) {
        return Outcome.fail(Kind.BAD_EXTENSION_HEADER);
      }
      if (p + 2 > capEnd) {
        return Outcome.fail(Kind.TRUNCATED_IP);
      }
      int len =
          switch (next) {
            case FRAGMENT -> 8;
            case AH -> (u8(b, p + 1) + 2) * 4;
            default -> (u8(b, p + 1) + 1) * 8;
          };
      if (p + len > statedEnd) {
        return Outcome.fail(Kind.BAD_EXTENSION_HEADER);
      }
      if (p + len > capEnd) {
        return Outcome.fail(Kind.TRUNCATED_IP);
      }
      // RFC 8200 4.5: only the first fragment (offset 0) carries the upper-layer header.
      if (next == FRAGMENT) {
        int offsetFlags = u16(b, p + 2);
        // RFC 6946: offset 0 without M is an atomic fragment, not one to reassemble.
        if (frag != null && (offsetFlags & 0xfff9) != 0) {
          frag.fragOffset = offsetFlags & 0xfff8; // 13 bits of 8-byte units: bytes
          frag.fragMore = (offsetFlags & 0x0001) != 0;
          frag.fragId = u32(b, p + 4);
          return FRAGMENT_DATA | (long) u8(b, p) << 32 | (p + 8);
        }
        if ((offsetFlags & 0xfff8) != 0) {
          return Outcome.fail(Kind.FRAGMENT);
        }
        if ((offsetFlags & 0x0001) != 0) {
          flags = FIRST_OF_FRAGMENTS;
        }
      }
      next = u8(b, p);
      p += len;
    }
  }
}
