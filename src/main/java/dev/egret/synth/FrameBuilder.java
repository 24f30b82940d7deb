package dev.egret.synth;

import dev.egret.net.Protocols;
import dev.egret.net.TcpFlags;

/**
 * Writes Ethernet frames into one reused buffer: Ethernet II with an optional 802.1Q tag, IPv4 or
 * IPv6, then TCP, UDP or ICMP echo, every checksum filled in. The caller sets the addressing
 * fields, writes the payload at the offset this class reports, then calls one of the finishing
 * methods.
 */
final class FrameBuilder {
  static final int TCP_FIN = TcpFlags.FIN;
  static final int TCP_SYN = TcpFlags.SYN;
  static final int TCP_RST = TcpFlags.RST;
  static final int TCP_PSH = TcpFlags.PSH;
  static final int TCP_ACK = TcpFlags.ACK;

  /** Room for a 1500-byte IP packet behind a tagged Ethernet header, with slack. */
  static final int MAX_FRAME = 2048;

  static final int MTU = 1500;

  /**
   * SYN options as Linux sends them, padded to 12 bytes: MSS 1460 (RFC 9293 3.7.1), NOP, window
   * scale 7 (RFC 7323 2.2), SACK permitted (RFC 2018 2), NOP, NOP.
   */
  private static final byte[] SYN_OPTIONS = {
    2, 4, 0x05, (byte) 0xb4, 1, 3, 3, 7, 4, 2, 1, 1,
  };

  final byte[] buf = new byte[MAX_FRAME];

  long srcMac;
  long dstMac;

  /** 802.1Q VLAN id, or -1 for an untagged frame. */
  int vlan = -1;

  boolean v6;
  int src4;
  int dst4;
  long srcHi;
  long srcLo;
  long dstHi;
  long dstLo;
  int ttl = 64;
  int ipId;

  int ipOffset() {
    return vlan >= 0 ? 18 : 14;
  }

  int l4Offset() {
    return ipOffset() + (v6 ? 40 : 20);
  }

  int tcpPayloadOffset(boolean syn) {
    return l4Offset() + 20 + (syn ? SYN_OPTIONS.length : 0);
  }

  int udpPayloadOffset() {
    return l4Offset() + 8;
  }

  /** The largest TCP payload that keeps the IP packet within the MTU. */
  int maxSegment() {
    return MTU - (v6 ? 40 : 20) - 20;
  }

  /** RFC 9293 3.1: finishes a TCP segment whose payload is already in place; returns its length. */
  int tcp(int sport, int dport, long seq, long ack, int flags, int window, int payloadLen) {
    boolean syn = (flags & TCP_SYN) != 0;
    int o = l4Offset();
    int hdr = 20 + (syn ? SYN_OPTIONS.length : 0);
    put16(o, sport);
    put16(o + 2, dport);
    put32(o + 4, (int) seq);
    put32(o + 8, (int) ack);
    buf[o + 12] = (byte) ((hdr / 4) << 4);
    buf[o + 13] = (byte) flags;
    put16(o + 14, window);
    put16(o + 16, 0);
    put16(o + 18, 0);
    if (syn) {
      System.arraycopy(SYN_OPTIONS, 0, buf, o + 20, SYN_OPTIONS.length);
    }
    int l4Len = hdr + payloadLen;
    int end = ip(Protocols.TCP, l4Len);
    put16(o + 16, Checksum.fold(Checksum.add(pseudo(Protocols.TCP, l4Len), buf, o, l4Len)));
    return end;
  }

  /** RFC 768: finishes a UDP datagram whose payload is already in place; returns its length. */
  int udp(int sport, int dport, int payloadLen) {
    int o = l4Offset();
    int l4Len = 8 + payloadLen;
    put16(o, sport);
    put16(o + 2, dport);
    put16(o + 4, l4Len);
    put16(o + 6, 0);
    int end = ip(Protocols.UDP, l4Len);
    int sum = Checksum.fold(Checksum.add(pseudo(Protocols.UDP, l4Len), buf, o, l4Len));
    // RFC 768: a computed zero is sent as all ones; zero means "no checksum".
    put16(o + 6, sum == 0 ? 0xffff : sum);
    return end;
  }

  /**
   * An echo request or reply (RFC 792; RFC 4443 4.1 and 4.2 for ICMPv6, whose checksum covers the
   * pseudo-header) with {@code payloadLen} bytes already in place after the 8-byte header.
   */
  int icmpEcho(boolean request, int id, int seq, int payloadLen) {
    int o = l4Offset();
    int l4Len = 8 + payloadLen;
    int proto = v6 ? Protocols.ICMPV6 : Protocols.ICMP;
    buf[o] = (byte) (v6 ? (request ? 128 : 129) : (request ? 8 : 0));
    buf[o + 1] = 0;
    put16(o + 2, 0);
    put16(o + 4, id);
    put16(o + 6, seq);
    int end = ip(proto, l4Len);
    long start = v6 ? pseudo(proto, l4Len) : 0;
    put16(o + 2, Checksum.fold(Checksum.add(start, buf, o, l4Len)));
    return end;
  }

  /** Writes the link and IP headers for an upper-layer payload of {@code l4Len} bytes. */
  private int ip(int proto, int l4Len) {
    put48(0, dstMac);
    put48(6, srcMac);
    int o;
    int etherType = v6 ? 0x86dd : 0x0800;
    if (vlan >= 0) {
      put16(12, 0x8100); // IEEE 802.1Q TPID
      put16(14, vlan & 0x0fff);
      put16(16, etherType);
      o = 18;
    } else {
      put16(12, etherType);
      o = 14;
    }
    if (v6) {
      // RFC 8200 3: version 6, traffic class 0, flow label 0.
      put32(o, 0x6000_0000);
      put16(o + 4, l4Len);
      buf[o + 6] = (byte) proto;
      buf[o + 7] = (byte) ttl;
      put64(o + 8, srcHi);
      put64(o + 16, srcLo);
      put64(o + 24, dstHi);
      put64(o + 32, dstLo);
      return o + 40 + l4Len;
    }
    // RFC 791 3.1: version 4, IHL 5, total length, identification, DF, TTL, protocol.
    buf[o] = 0x45;
    buf[o + 1] = 0;
    put16(o + 2, 20 + l4Len);
    put16(o + 4, ipId);
    put16(o + 6, 0x4000);
    buf[o + 8] = (byte) ttl;
    buf[o + 9] = (byte) proto;
    put16(o + 10, 0);
    put32(o + 12, src4);
    put32(o + 16, dst4);
    put16(o + 10, Checksum.fold(Checksum.add(0, buf, o, 20)));
    return o + 20 + l4Len;
  }

  /** The pseudo-header sum: RFC 9293 3.1 for IPv4, RFC 8200 8.1 for IPv6. */
  private long pseudo(int proto, int l4Len) {
    int o = ipOffset();
    long sum = v6 ? Checksum.add(0, buf, o + 8, 32) : Checksum.add(0, buf, o + 12, 8);
    return sum + proto + l4Len;
  }

  void put16(int off, int v) {
    buf[off] = (byte) (v >>> 8);
    buf[off + 1] = (byte) v;
  }

  void put32(int off, int v) {
    buf[off] = (byte) (v >>> 24);
    buf[off + 1] = (byte) (v >>> 16);
    buf[off + 2] = (byte) (v >>> 8);
    buf[off + 3] = (byte) v;
  }

  void put64(int off, long v) {
    put32(off, (int) (v >>> 32));
    put32(off + 4, (int) v);
  }

  private void put48(int off, long v) {
    put16(off, (int) (v >>> 32));
    put32(off + 2, (int) v);
  }
}
