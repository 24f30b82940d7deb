package dev.egret.decode;

import static dev.egret.decode.Bytes.i32;
import static dev.egret.decode.Bytes.i64;
import static dev.egret.decode.Bytes.u16;
import static dev.egret.decode.Bytes.u32;
import static dev.egret.decode.Bytes.u8;

import dev.egret.decode.DecodeStats.Kind;
import dev.egret.net.Ip;
import dev.egret.net.Protocols;

/**
 * TCP, UDP and ICMP/ICMPv6 header readers. Other protocols (GRE, ESP, SCTP...) are left as
 * protocol-only: no ports (tunnels are opened by {@link Tunnels}, on request).
 */
final class Transport {
  static final int ICMP = Protocols.ICMP;
  static final int TCP = Protocols.TCP;
  static final int UDP = Protocols.UDP;
  static final int ICMPV6 = Protocols.ICMPV6;

  private Transport() {}

  /**
   * Reads the header of protocol {@code out.proto} at {@code t} into {@code out}.
   *
   * @param statedEnd where the IP header says the packet ends
   * @param capEnd where the captured part of it ends (at most {@code statedEnd})
   * @param firstFragment whether the packet is the first of several fragments: a transport header
   *     that runs past its end continues in the next fragment (RFC 1858's tiny fragment), and the
   *     packet counts as a fragment rather than as malformed
   * @return zero, or a negative {@link Outcome} code
   */
  static int parse(
      byte[] b, int t, int statedEnd, int capEnd, boolean firstFragment, DecodedPacket out) {
    int need =
        switch (out.proto) {
          case TCP -> 20;
          case UDP -> 8;
          case ICMP, ICMPV6 -> 4;
          default -> 0;
        };
    if (firstFragment
        && (statedEnd - t < need || out.proto == TCP && tcpHeaderCut(b, t, statedEnd, capEnd))) {
      return Outcome.fail(Kind.FRAGMENT);
    }
    return switch (out.proto) {
      case TCP -> tcp(b, t, statedEnd, capEnd, out);
      case UDP -> udp(b, t, statedEnd, capEnd, out);
      case ICMP, ICMPV6 -> icmp(b, t, capEnd, out);
      default -> {
        out.payloadOff = t;
        out.payloadLen = capEnd - t;
        yield 0;
      }
    };
  }

  /**
   * Whether the captured TCP header's options run past {@code statedEnd}, as in a first fragment.
   */
  private static boolean tcpHeaderCut(byte[] b, int t, int statedEnd, int capEnd) {
    return t + 12 < capEnd && (u8(b, t + 12) >>> 4) * 4 > statedEnd - t;
  }

  /** RFC 9293 3.1: a 20-byte fixed header; the data offset counts 32-bit words, at least 5. */
  private static int tcp(byte[] b, int t, int statedEnd, int capEnd, DecodedPacket out) {
    if (capEnd - t < 20) {
      return Outcome.fail(Kind.TRUNCATED_TRANSPORT);
    }
    int headerLen = (u8(b, t + 12) >>> 4) * 4;
    if (headerLen < 20 || headerLen > statedEnd - t) {
      return Outcome.fail(Kind.BAD_HEADER_LENGTH);
    }
    if (headerLen > capEnd - t) {
      return Outcome.fail(Kind.TRUNCATED_TRANSPORT);
    }
    out.srcPort = u16(b, t);
    out.dstPort = u16(b, t + 2);
    out.tcpSeq = u32(b, t + 4);
    out.tcpAck = u32(b, t + 8);
    out.tcpFlags = u8(b, t + 13);
    out.payloadOff = t + headerLen;
    out.payloadLen = capEnd - out.payloadOff;
    return 0;
  }

  /**
   * RFC 768: the length field counts the 8-byte header and the data. The payload is bounded by that
   * length, the IP packet and the capture, whichever ends first.
   */
  private static int udp(byte[] b, int t, int statedEnd, int capEnd, DecodedPacket out) {
    if (capEnd - t < 8) {
      return Outcome.fail(Kind.TRUNCATED_TRANSPORT);
    }
    int length = u16(b, t + 4);
    if (length == 0 && statedEnd - t > 0xffff) {
      // RFC 2675 4: a UDP datagram in a jumbogram has length 0 and runs to the end of the packet.
      length = statedEnd - t;
    }
    if (length < 8) {
      return Outcome.fail(Kind.BAD_TRANSPORT_LENGTH);
    }
    out.srcPort = u16(b, t);
    out.dstPort = u16(b, t + 2);
    out.payloadOff = t + 8;
    out.payloadLen = Math.min(length, capEnd - t) - 8;
    return 0;
  }

  /**
   * RFC 792 and RFC 4443 2.1: type, code, checksum, then 4 bytes that depend on the type; the
   * payload is counted after those 8 bytes. An error message quotes the packet that caused it.
   */
  private static int icmp(byte[] b, int t, int capEnd, DecodedPacket out) {
    if (capEnd - t < 4) {
      return Outcome.fail(Kind.TRUNCATED_TRANSPORT);
    }
    int type = u8(b, t);
    out.icmpType = type;
    out.icmpCode = u8(b, t + 1);
    out.payloadOff = Math.min(t + 8, capEnd);
    out.payloadLen = capEnd - out.payloadOff;
    if (isError(out.proto, type)) {
      quoted(b, t + 8, capEnd, out);
    }
    return 0;
  }

  /**
   * ICMPv4 (RFC 792) destination unreachable 3, source quench 4, redirect 5, time exceeded 11,
   * parameter problem 12; ICMPv6 (RFC 4443 3) types 1 to 4, packet too big being 2.
   */
  static boolean isError(int proto, int type) {
    if (proto == ICMPV6) {
      return type >= 1 && type <= 4;
    }
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
  }

  /**
   * The quoted IP header and the first 8 bytes of its payload (RFC 792; RFC 4443 quotes as much as
   * fits). {@code innerValid} stays false when the quote is cut short before the addresses, or
   * before the ports of a TCP or UDP header.
   */
  private static void quoted(byte[] b, int q, int end, DecodedPacket out) {
    if (end - q < 1) {
      return;
    }
    int version = u8(b, q) >>> 4;
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    int proto;
    int t;
    if (version == 4) {
      int headerLen = (u8(b, q) & 0x0f) * 4;
      if (end - q < Ipv4.MIN_HEADER || headerLen < Ipv4.MIN_HEADER || headerLen > end - q) {
        return;
      }
      srcHi = 0;
      srcLo = Ip.v4Lo(i32(b, q + 12));
      dstHi = 0;
      dstLo = Ip.v4Lo(i32(b, q + 16));
      proto = u8(b, q + 9);
      t = (u16(b, q + 6) & 0x1fff) != 0 ? -1 : q + headerLen;
    } else if (version == 6) {
      if (end - q < Ipv6.HEADER) {
        return;
      }
      srcHi = i64(b, q + 8);
      srcLo = i64(b, q + 16);
      dstHi = i64(b, q + 24);
      dstLo = i64(b, q + 32);
      long r = Ipv6.walk(b, q + Ipv6.HEADER, u8(b, q + 6), end, end, null);
      if (r < 0) {
        return;
      }
      proto = (int) (r >>> 32);
      t = (int) r;
    } else {
      return;
    }
    int srcPort = 0;
    int dstPort = 0;
    if (proto == TCP || proto == UDP) {
      if (t < 0 || end - t < 4) {
        return;
      }
      srcPort = u16(b, t);
      dstPort = u16(b, t + 2);
    }
    out.innerSrcHi = srcHi;
    out.innerSrcLo = srcLo;
    out.innerDstHi = dstHi;
    out.innerDstLo = dstLo;
    out.innerProto = proto;
    out.innerSrcPort = srcPort;
    out.innerDstPort = dstPort;
    out.innerValid = true;
  }
}
