package dev.egret.decode;

import static dev.egret.decode.Bytes.u16;
import static dev.egret.decode.Bytes.u8;

import dev.egret.decode.DecodeStats.Kind;

/**
 * Finds the IP header behind a link-layer header. {@link #locate} returns {@code (version << 32) |
 * offset} with version 4 or 6, or a negative {@link Outcome} code. Encapsulations that stay below
 * IP (VLAN tags, MPLS labels, PPPoE, FabricPath, PBB, VN-Tag) are walked; tunnels above IP are
 * opened only on request ({@link Tunnels}).
 */
final class LinkLayer {
  /** VLAN tags, MPLS labels and FabricPath/PPPoE headers allowed before IP. */
  static final int MAX_LAYERS = 12;

  static final int ETHERTYPE_IPV4 = 0x0800;
  static final int ETHERTYPE_IPV6 = 0x86dd;
  static final int ETHERTYPE_VLAN = 0x8100;
  static final int ETHERTYPE_QINQ = 0x88a8;
  static final int ETHERTYPE_QINQ_OLD = 0x9100;
  static final int ETHERTYPE_MPLS = 0x8847;
  static final int ETHERTYPE_MPLS_MULTICAST = 0x8848;
  static final int ETHERTYPE_PPPOE_SESSION = 0x8864;
  static final int ETHERTYPE_FABRICPATH = 0x8903;
  static final int ETHERTYPE_PBB = 0x88e7;
  static final int ETHERTYPE_VNTAG = 0x8926;

  private static final int TRUNCATED = Outcome.fail(Kind.TRUNCATED_LINK);
  private static final int NON_IP = Outcome.fail(Kind.NON_IP);
  private static final int TOO_MANY = Outcome.fail(Kind.TOO_MANY_LAYERS);

  private LinkLayer() {}

  /** The IP header of the frame {@code b[p, end)} of the given link type. */
  static long locate(int linkType, byte[] b, int p, int end) {
    return switch (linkType) {
      case LinkTypes.ETHERNET -> ethernet(b, p, end);
        // Linux cooked v1: 16-byte header, protocol (an EtherType) at offset 14.
      case LinkTypes.LINUX_SLL ->
          p + 16 > end ? TRUNCATED : etherType(b, p + 16, end, u16(b, p + 14), 0);
        // Linux cooked v2: 20-byte header, protocol at offset 0.
      case LinkTypes.LINUX_SLL2 ->
          p + 20 > end ? TRUNCATED : etherType(b, p + 20, end, u16(b, p), 0);
      case LinkTypes.RAW, LinkTypes.RAW_DLT12, LinkTypes.RAW_DLT14 -> rawIp(b, p, end);
      case LinkTypes.IPV4 -> ip(4, p);
      case LinkTypes.IPV6 -> ip(6, p);
      case LinkTypes.NULL -> loopback(b, p, end, false);
      case LinkTypes.LOOP -> loopback(b, p, end, true);
      case LinkTypes.PPP -> ppp(b, p, end);
        // tcpdump's ppp_hdlc_if_print: a frame starting 0x0f or 0x8f is Cisco HDLC, not PPP.
      case LinkTypes.PPP_HDLC ->
          p < end && (b[p] & 0x7f) == 0x0f ? ciscoHdlc(b, p, end) : ppp(b, p, end);
      case LinkTypes.PPP_ETHER -> pppoe(b, p, end, 0);
      case LinkTypes.C_HDLC -> ciscoHdlc(b, p, end);
      default -> Outcome.fail(Kind.UNSUPPORTED_LINK);
    };
  }

  /**
   * True when the frame went to every station of the link: an Ethernet frame to ff:ff:ff:ff:ff:ff,
   * or a Linux cooked frame whose packet type says broadcast (1). A directed broadcast such as
   * 10.0.0.255 can only be told this way, as the subnet mask is not on the wire.
   */
  static boolean broadcast(int linkType, byte[] b, int p, int end) {
    return switch (linkType) {
      case LinkTypes.ETHERNET -> p + 6 <= end && allOnes(b, p, 6);
      case LinkTypes.LINUX_SLL -> p + 2 <= end && u16(b, p) == 1;
      case LinkTypes.LINUX_SLL2 -> p + 11 <= end && b[p + 10] == 1;
      default -> false;
    };
  }

  private static boolean allOnes(byte[] b, int p, int n) {
    for (int i = 0; i < n; i++) {
      if (b[p + i] != (byte) 0xff) {
        return false;
      }
    }
    return true;
  }

  private static long ip(int version, int p) {
    return (long) version << 32 | p;
  }

  /** Raw IP: the version nibble says which. */
  private static long rawIp(byte[] b, int p, int end) {
    if (p >= end) {
      return Outcome.fail(Kind.TRUNCATED_IP);
    }
    return switch (u8(b, p) >>> 4) {
      case 4 -> ip(4, p);
      case 6 -> ip(6, p);
      default -> Outcome.fail(Kind.BAD_IP_VERSION);
    };
  }

  /**
   * Ethernet II; an IEEE 802.3 frame (type field <= 1500 is a length) is IP only with an RFC 1042
   * SNAP header {@code aa aa 03 00 00 00} followed by an EtherType.
   */
  private static long ethernet(byte[] b, int p, int end) {
    if (p + 14 > end) {
      return TRUNCATED;
    }
    int type = u16(b, p + 12);
    p += 14;
    if (type < 0x0600) {
      if (type > 1500
          || p + 8 > end
          || u16(b, p) != 0xaaaa
          || u8(b, p + 2) != 0x03
          || u16(b, p + 3) != 0
          || u8(b, p + 5) != 0) {
        return NON_IP;
      }
      type = u16(b, p + 6);
      p += 8;
    }
    return etherType(b, p, end, type, 0);
  }

  /** Follows EtherTypes through VLAN tags, FabricPath, PBB, VN-Tag, MPLS and PPPoE to IP. */
  private static long etherType(byte[] b, int p, int end, int type, int layers) {
    while (true) {
      switch (type) {
        case ETHERTYPE_IPV4:
          return ip(4, p);
        case ETHERTYPE_IPV6:
          return ip(6, p);
        case ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD:
          // IEEE 802.1Q tag: 2 bytes TCI, then the next EtherType.
          if (++layers > MAX_LAYERS) {
            return TOO_MANY;
          }
          if (p + 4 > end) {
            return TRUNCATED;
          }
          type = u16(b, p + 2);
          p += 4;
          break;
        case ETHERTYPE_FABRICPATH:
          // Cisco FabricPath: the 16-byte outer header (MACs, EtherType, 2-byte FTag/TTL) wraps a
          // whole inner Ethernet frame, whose EtherType sits 12 bytes into it.
          if (++layers > MAX_LAYERS) {
            return TOO_MANY;
          }
          if (p + 16 > end) {
            return TRUNCATED;
          }
          type = u16(b, p + 14);
          p += 16;
          break;
        case ETHERTYPE_PBB:
          // IEEE 802.1ah provider backbone bridging: a 4-byte I-TAG (priority, flags, 24-bit
          // service id) and then the whole customer Ethernet frame, EtherType 12 bytes into it.
          if (++layers > MAX_LAYERS) {
            return TOO_MANY;
          }
          if (p + 18 > end) {
            return TRUNCATED;
          }
          type = u16(b, p + 16);
          p += 18;
          break;
        case ETHERTYPE_VNTAG:
          // Cisco VN-Tag (IEEE 802.1Qbh draft): 4 bytes of direction, pointer and virtual
          // interface ids, then the next EtherType.
          if (++layers > MAX_LAYERS) {
            return TOO_MANY;
          }
          if (p + 6 > end) {
            return TRUNCATED;
          }
          type = u16(b, p + 4);
          p += 6;
          break;
        case ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST:
          return mpls(b, p, end, layers);
        case ETHERTYPE_PPPOE_SESSION:
          return pppoe(b, p, end, layers);
        default:
          return NON_IP;
      }
    }
  }

  /**
   * RFC 3032 label stack entries of 4 bytes until the bottom-of-stack bit; the payload's type is
   * not signalled, so the first nibble (4 or 6) is taken as the IP version, as Zeek does.
   */
  private static long mpls(byte[] b, int p, int end, int layers) {
    boolean bottom = false;
    while (!bottom) {
      if (++layers > MAX_LAYERS) {
        return TOO_MANY;
      }
      if (p + 4 > end) {
        return TRUNCATED;
      }
      bottom = (b[p + 2] & 0x01) != 0;
      p += 4;
    }
    if (p >= end) {
      return TRUNCATED;
    }
    return switch (u8(b, p) >>> 4) {
      case 4 -> ip(4, p);
      case 6 -> ip(6, p);
      default -> NON_IP;
    };
  }

  /**
   * RFC 2516 5.4 session stage: ver/type 0x11, code 0, session id, length, then a 2-byte PPP
   * protocol.
   */
  private static long pppoe(byte[] b, int p, int end, int layers) {
    if (++layers > MAX_LAYERS) {
      return TOO_MANY;
    }
    if (p + 8 > end) {
      return TRUNCATED;
    }
    if (u8(b, p) != 0x11 || u8(b, p + 1) != 0) {
      return NON_IP;
    }
    return pppProtocol(b, p + 8, end, u16(b, p + 6), layers);
  }

  /**
   * RFC 1661 PPP, optionally behind the RFC 1662 3.1 address and control bytes {@code ff 03}. With
   * protocol field compression (RFC 1661 6.5) the field is one byte, told by its low bit being 1.
   */
  private static long ppp(byte[] b, int p, int end) {
    if (p + 2 <= end && u8(b, p) == 0xff && u8(b, p + 1) == 0x03) {
      p += 2;
    }
    if (p >= end) {
      return TRUNCATED;
    }
    if ((b[p] & 0x01) != 0) {
      return pppProtocol(b, p + 1, end, u8(b, p), 0);
    }
    if (p + 2 > end) {
      return TRUNCATED;
    }
    return pppProtocol(b, p + 2, end, u16(b, p), 0);
  }

  private static long pppProtocol(byte[] b, int p, int end, int protocol, int layers) {
    return switch (protocol) {
      case 0x0021 -> ip(4, p);
      case 0x0057 -> ip(6, p);
        // RFC 3032 4.3: MPLS unicast and multicast over PPP.
      case 0x0281, 0x0283 -> mpls(b, p, end, layers);
      default -> NON_IP;
    };
  }

  /** Cisco HDLC: address (0x0f unicast, 0x8f broadcast), control, 2-byte EtherType. */
  private static long ciscoHdlc(byte[] b, int p, int end) {
    if (p + 4 > end) {
      return TRUNCATED;
    }
    return etherType(b, p + 4, end, u16(b, p + 2), 0);
  }

  /**
   * BSD loopback: a 4-byte address family, in the capturing host's byte order for NULL and in
   * network order for LOOP. AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD), 28 (FreeBSD)
   * or 30 (macOS).
   */
  private static long loopback(byte[] b, int p, int end, boolean networkOrder) {
    if (p + 4 > end) {
      return TRUNCATED;
    }
    int family;
    if (networkOrder || (b[p] == 0 && b[p + 1] == 0)) {
      family = Bytes.i32(b, p);
    } else {
      family = u8(b, p) | u8(b, p + 1) << 8 | u8(b, p + 2) << 16 | u8(b, p + 3) << 24;
    }
    return switch (family) {
      case 2 -> ip(4, p + 4);
      case 24, 28, 30 -> ip(6, p + 4);
      default -> NON_IP;
    };
  }
}
