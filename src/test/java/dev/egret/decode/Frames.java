package dev.egret.decode;

import dev.egret.net.Ip;

/**
 * Builds annotated test frames from small header pieces. Addresses: IPv4 10.0.0.1 -> 93.184.216.34,
 * IPv6 2001:db8::1 -> 2001:db8::2; TCP 49152 -> 443; UDP 53000 -> 53.
 */
final class Frames {
  static final long SRC4_LO = Ip.v4Lo(0x0a000001);
  static final long DST4_LO = Ip.v4Lo(0x5db8d822);
  static final long V6_HI = 0x20010db8_00000000L;

  private Frames() {}

  static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  static byte[] cat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  static byte[] zeros(int n) {
    return new byte[n];
  }

  /** Ethernet II: dst 02:00:00:00:00:02, src 02:00:00:00:00:01, then the EtherType. */
  static byte[] eth(int etherType) {
    return bytes(
        0x02,
        0,
        0,
        0,
        0,
        0x02, // destination MAC
        0x02,
        0,
        0,
        0,
        0,
        0x01, // source MAC
        etherType >> 8,
        etherType); // EtherType
  }

  /** An 802.1Q tag after the EtherType that announced it: TCI (VLAN id), next EtherType. */
  static byte[] tag(int vlanId, int nextType) {
    return bytes(vlanId >> 8, vlanId, nextType >> 8, nextType);
  }

  /** An MPLS label stack entry: label, TC 0, bottom-of-stack bit, TTL 64. */
  static byte[] label(int label, boolean bottom) {
    return bytes(label >> 12, label >> 4, (label << 4) | (bottom ? 1 : 0), 64);
  }

  /** IPv4 header, IHL 5, DF, TTL 64, 10.0.0.1 -> 93.184.216.34. */
  static byte[] ipv4(int proto, int payloadLen) {
    int total = 20 + payloadLen;
    return bytes(
        0x45,
        0x00,
        total >> 8,
        total, // version 4, IHL 5; DSCP; total length
        0x12,
        0x34,
        0x40,
        0x00, // identification; flags DF, fragment offset 0
        64,
        proto,
        0,
        0, // TTL; protocol; checksum (not checked)
        10,
        0,
        0,
        1, // source 10.0.0.1
        93,
        184,
        216,
        34); // destination 93.184.216.34
  }

  /** IPv6 header, 2001:db8::1 -> 2001:db8::2, hop limit 64. */
  static byte[] ipv6(int next, int payloadLen) {
    return bytes(
        0x60,
        0,
        0,
        0, // version 6, traffic class, flow label
        payloadLen >> 8,
        payloadLen,
        next,
        64, // payload length; next header; hop limit
        0x20,
        0x01,
        0x0d,
        0xb8,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        1, // source 2001:db8::1
        0x20,
        0x01,
        0x0d,
        0xb8,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        2); // destination 2001:db8::2
  }

  /** TCP SYN 49152 -> 443, seq 0x01020304, data offset 5. */
  static byte[] tcpSyn() {
    return bytes(
        0xc0, 0x00, 0x01, 0xbb, // source port 49152; destination port 443
        0x01, 0x02, 0x03, 0x04, // sequence number
        0, 0, 0, 0, // acknowledgement number
        0x50, 0x02, 0xff, 0xff, // data offset 5; flags SYN; window
        0, 0, 0, 0); // checksum; urgent pointer
  }

  /** UDP 53000 -> 53 with the length field covering {@code payloadLen} bytes of data. */
  static byte[] udp(int payloadLen) {
    int len = 8 + payloadLen;
    return bytes(
        0xcf, 0x08, 0x00, 0x35, // source port 53000; destination port 53
        len >> 8, len, 0, 0); // length; checksum
  }

  /** ICMP or ICMPv6 header: type, code, checksum, identifier 0x0102, sequence 1. */
  static byte[] icmp(int type, int code) {
    return bytes(type, code, 0, 0, 0x01, 0x02, 0x00, 0x01);
  }

  /** Ethernet, IPv4, TCP SYN: the packet most tests start from (54 bytes). */
  static byte[] ethIpv4Syn() {
    return cat(eth(0x0800), ipv4(6, 20), tcpSyn());
  }

  /** Ethernet, IPv6, TCP SYN (74 bytes). */
  static byte[] ethIpv6Syn() {
    return cat(eth(0x86dd), ipv6(6, 20), tcpSyn());
  }
}
