package dev.egret.decode;

import static dev.egret.decode.Bytes.u16;
import static dev.egret.decode.Bytes.u8;

/**
 * Finds the packet a tunnel carries, for {@code --decapsulate}: IP in IP (protocols 4 and 41), GRE
 * (RFC 2784/2890, with IP or Ethernet inside, and ERSPAN types I, II and III behind it), and on
 * their UDP ports VXLAN 4789 (RFC 7348), Geneve 6081 (RFC 8926), GTP-U 2152 (3GPP TS 29.281),
 * Teredo 3544 (RFC 4380) and GRE in UDP 4754 (RFC 8086).
 *
 * <p>Everything here is read from the wire and may be forged: a host can send a packet that looks
 * like a tunnel to make an inner flow appear. That is why decapsulation is off by default (a
 * firewall sees the outer packet and filters on it), why UDP tunnels are recognised only on their
 * registered ports and each header is checked (version, flags, lengths), and why Teredo, whose
 * relays use any port, is taken only on port 3544 and only when the IPv6 packet fills the datagram
 * exactly (a Teredo bubble, an empty IPv6 packet that keeps a NAT mapping open, is no flow).
 *
 * <p>{@link #inner} returns {@code (kind << 32) | offset} of what the tunnel carries, {@link #IP}
 * or {@link #ETHERNET}, or -1 when the packet is not a tunnel egret opens.
 */
final class Tunnels {
  static final long IP = 1;
  static final long ETHERNET = 2;

  static final int IPIP = 4;
  static final int IPV6_IN_IP = 41;
  static final int GRE = 47;
  static final int VXLAN_PORT = 4789;
  static final int GENEVE_PORT = 6081;
  static final int GTP_U_PORT = 2152;
  static final int TEREDO_PORT = 3544;
  static final int GRE_UDP_PORT = 4754;

  static final int GRE_IPV4 = 0x0800;
  static final int GRE_IPV6 = 0x86dd;
  static final int GRE_ETHERNET = 0x6558; // transparent Ethernet bridging
  static final int GRE_ERSPAN_1_2 = 0x88be;
  static final int GRE_ERSPAN_3 = 0x22eb;

  /** GTP-U extension headers followed before giving up. */
  private static final int MAX_GTP_EXTENSIONS = 8;

  private Tunnels() {}

  /** What the decoded packet {@code p} carries, or -1. */
  static long inner(DecodedPacket p) {
    byte[] b = p.buf;
    int q = p.payloadOff;
    int end = q + p.payloadLen;
    if (b == null || p.payloadLen <= 0) {
      return -1;
    }
    if (p.proto == IPIP || p.proto == IPV6_IN_IP) {
      return ip(b, q, end, p.proto == IPIP ? 4 : 6);
    }
    if (p.proto == GRE) {
      return gre(b, q, end);
    }
    if (!p.isUdp()) {
      return -1;
    }
    long r = udp(p.dstPort, b, q, end);
    return r >= 0 ? r : udp(p.srcPort, b, q, end);
  }

  private static long udp(int port, byte[] b, int q, int end) {
    return switch (port) {
      case VXLAN_PORT -> vxlan(b, q, end);
      case GENEVE_PORT -> geneve(b, q, end);
      case GTP_U_PORT -> gtpU(b, q, end);
      case TEREDO_PORT -> teredo(b, q, end);
      case GRE_UDP_PORT -> gre(b, q, end);
      default -> -1;
    };
  }

  private static long at(long kind, int offset, int end) {
    return offset < end ? kind << 32 | offset : -1;
  }

  /** An IP header of the given version at {@code q}. */
  private static long ip(byte[] b, int q, int end, int version) {
    return q < end && u8(b, q) >>> 4 == version ? at(IP, q, end) : -1;
  }

  /** An IPv4 or IPv6 header at {@code q}, told by its version. */
  private static long anyIp(byte[] b, int q, int end) {
    int v = q < end ? u8(b, q) >>> 4 : 0;
    return v == 4 || v == 6 ? at(IP, q, end) : -1;
  }

  /**
   * RFC 2784 2.1 and RFC 2890 2: flags and version (0; version 1 is PPTP's, not opened), the
   * protocol type, then a checksum (C), key (K) and sequence number (S) of 4 bytes each when
   * flagged. Routing (R, RFC 1701) is refused.
   */
  static long gre(byte[] b, int q, int end) {
    if (end - q < 4) {
      return -1;
    }
    int flags = u16(b, q);
    if ((flags & 0x0007) != 0 || (flags & 0x4000) != 0) {
      return -1;
    }
    int type = u16(b, q + 2);
    int p = q + 4;
    p += (flags & 0x8000) != 0 ? 4 : 0;
    p += (flags & 0x2000) != 0 ? 4 : 0;
    boolean sequenced = (flags & 0x1000) != 0;
    p += sequenced ? 4 : 0;
    return switch (type) {
      case GRE_IPV4 -> ip(b, p, end, 4);
      case GRE_IPV6 -> ip(b, p, end, 6);
      case GRE_ETHERNET -> at(ETHERNET, p, end);
        // ERSPAN type I has no header of its own and no sequence number; type II (version 1) has
        // an 8-byte header.
      case GRE_ERSPAN_1_2 -> sequenced ? erspan2(b, p, end) : at(ETHERNET, p, end);
      case GRE_ERSPAN_3 -> erspan3(b, p, end);
      default -> -1;
    };
  }

  /** ERSPAN type II: version 1 in the top 4 bits, 8 bytes, then the mirrored Ethernet frame. */
  private static long erspan2(byte[] b, int p, int end) {
    return end - p >= 8 && u8(b, p) >>> 4 == 1 ? at(ETHERNET, p + 8, end) : -1;
  }

  /**
   * ERSPAN type III: version 2, 12 bytes, and 8 more of platform-specific subheader when the O flag
   * (the last bit of the 12th byte) is set.
   */
  private static long erspan3(byte[] b, int p, int end) {
    if (end - p < 12 || u8(b, p) >>> 4 != 2) {
      return -1;
    }
    return at(ETHERNET, p + 12 + ((b[p + 11] & 1) != 0 ? 8 : 0), end);
  }

  /** RFC 7348 5: flags with I (0x08) set, reserved, VNI, reserved: 8 bytes, then Ethernet. */
  private static long vxlan(byte[] b, int q, int end) {
    return end - q >= 8 && (u8(b, q) & 0x08) != 0 ? at(ETHERNET, q + 8, end) : -1;
  }

  /**
   * RFC 8926 3.4: version 0 (2 bits), options length in 4-byte words (6 bits), flags, the protocol
   * type, VNI; the options follow the 8 bytes.
   */
  private static long geneve(byte[] b, int q, int end) {
    if (end - q < 8 || u8(b, q) >>> 6 != 0) {
      return -1;
    }
    int p = q + 8 + (u8(b, q) & 0x3f) * 4;
    return switch (u16(b, q + 2)) {
      case GRE_ETHERNET -> at(ETHERNET, p, end);
      case GRE_IPV4 -> ip(b, p, end, 4);
      case GRE_IPV6 -> ip(b, p, end, 6);
      default -> -1;
    };
  }

  /**
   * 3GPP TS 29.281 5.1: version 1, protocol type GTP (PT), message type 255 (G-PDU: user data), 8
   * bytes; 4 more (sequence number, N-PDU number, next extension type) when E, S or PN is set; then
   * extension headers, each its length in 4-byte units first and the next type last.
   */
  private static long gtpU(byte[] b, int q, int end) {
    if (end - q < 8) {
      return -1;
    }
    int flags = u8(b, q);
    if (flags >>> 5 != 1 || (flags & 0x10) == 0 || u8(b, q + 1) != 0xff) {
      return -1;
    }
    int p = q + 8;
    if ((flags & 0x07) != 0) {
      if (end - p < 4) {
        return -1;
      }
      int next = (flags & 0x04) != 0 ? u8(b, p + 3) : 0;
      p += 4;
      for (int n = 0; next != 0; n++) {
        if (n == MAX_GTP_EXTENSIONS || p >= end) {
          return -1;
        }
        int len = u8(b, p) * 4;
        if (len == 0 || end - p < len) {
          return -1;
        }
        next = u8(b, p + len - 1);
        p += len;
      }
    }
    return anyIp(b, p, end);
  }

  /**
   * RFC 4380 5.1.1: an optional authentication indicator (type 1: lengths of client id and
   * authentication value, then those, an 8-byte nonce and a confirmation byte) and origin
   * indication (type 0, 8 bytes), then an IPv6 packet that must fill the rest of the datagram.
   */
  private static long teredo(byte[] b, int q, int end) {
    int p = q;
    if (end - p >= 4 && u16(b, p) == 0x0001) {
      p += 4 + u8(b, p + 2) + u8(b, p + 3) + 9;
    }
    if (end - p >= 8 && u16(b, p) == 0x0000) {
      p += 8;
    }
    if (end - p < Ipv6.HEADER || u8(b, p) >>> 4 != 6 || Ipv6.HEADER + u16(b, p + 4) != end - p) {
      return -1;
    }
    // RFC 4380 5.2.6: a bubble (no next header, nothing in it) only keeps a NAT mapping open.
    return u8(b, p + 6) == Ipv6.NO_NEXT_HEADER && end - p == Ipv6.HEADER ? -1 : at(IP, p, end);
  }
}
