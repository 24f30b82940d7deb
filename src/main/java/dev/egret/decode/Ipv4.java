package dev.egret.decode;

import static dev.egret.decode.Bytes.i32;
import static dev.egret.decode.Bytes.u16;
import static dev.egret.decode.Bytes.u8;

import dev.egret.decode.DecodeStats.Kind;
import dev.egret.net.Ip;

/** IPv4 header reader, RFC 791 3.1. */
final class Ipv4 {
  static final int MIN_HEADER = 20;

  /**
   * Flag in {@link #parse}'s result: the packet is a fragment; {@code out.fragOffset}, {@code
   * fragMore} and {@code fragId} say which.
   */
  static final long FRAGMENTED = 1L << 32;

  private Ipv4() {}

  /**
   * Reads the header at {@code ip} into {@code out} (version, addresses, protocol, length).
   *
   * @param capEnd end of the captured bytes
   * @param wireEnd where the frame ended on the wire, or -1 when unknown (then a total length
   *     beyond the capture is taken for a short snapshot)
   * @return the transport header's offset (of the fragment's data, for a fragment), with {@link
   *     #FRAGMENTED} set for a fragment, or a negative {@link Outcome} code
   */
  static long parse(byte[] b, int ip, int capEnd, int wireEnd, DecodedPacket out) {
    if (capEnd - ip < MIN_HEADER) {
      return Outcome.fail(Kind.TRUNCATED_IP);
    }
    int versionIhl = u8(b, ip);
    if (versionIhl >>> 4 != 4) {
      return Outcome.fail(Kind.BAD_IP_VERSION);
    }
    int headerLen = (versionIhl & 0x0f) * 4;
    if (headerLen < MIN_HEADER) {
      return Outcome.fail(Kind.BAD_HEADER_LENGTH);
    }
    int total = u16(b, ip + 2);
    if (total == 0) {
      // TCP segmentation offload hands the capture a packet whose total length is still 0;
      // Zeek takes the frame's length in that case, and so do we.
      total = (wireEnd >= 0 ? wireEnd : capEnd) - ip;
    }
    if (total < headerLen) {
      return Outcome.fail(Kind.BAD_TOTAL_LENGTH);
    }
    if (wireEnd >= 0 && total > wireEnd - ip) {
      // The whole frame was shorter on the wire than the header claims: not a short snapshot.
      return Outcome.fail(Kind.BAD_TOTAL_LENGTH);
    }
    if (headerLen > capEnd - ip) {
      return Outcome.fail(Kind.TRUNCATED_IP);
    }
    out.ipVersion = 4;
    out.srcHi = 0;
    out.srcLo = Ip.v4Lo(i32(b, ip + 12));
    out.dstHi = 0;
    out.dstLo = Ip.v4Lo(i32(b, ip + 16));
    out.proto = u8(b, ip + 9);
    out.ipLength = total;
    // RFC 791 3.1: flags (MF 0x2000) and the fragment offset in 8-byte units; a packet with
    // either set is a fragment, and only the one at offset 0 carries the transport header.
    int flagsOffset = u16(b, ip + 6);
    if ((flagsOffset & 0x3fff) == 0) {
      return ip + headerLen;
    }
    out.fragOffset = (flagsOffset & 0x1fff) * 8;
    out.fragMore = (flagsOffset & 0x2000) != 0;
    out.fragId = u16(b, ip + 4);
    return FRAGMENTED | (ip + headerLen);
  }
}
