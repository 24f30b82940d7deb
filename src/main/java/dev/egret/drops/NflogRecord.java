package dev.egret.drops;

import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.nio.charset.StandardCharsets;

/**
 * Reads one NFLOG record (pcap LINKTYPE_NFLOG, 239), as libpcap's {@code nflog:N} device delivers
 * it and {@code tcpdump -i nflog:N -w} writes it, into a {@link DropEvent}:
 *
 * <pre>
 *   u8 family (AF_INET 2, AF_INET6 10), u8 version (0), be16 resource id (the group)
 *   then TLVs: u16 length (header included), u16 type, value, padded to 4 bytes
 * </pre>
 *
 * The TLV length and type are in the byte order of the machine that captured (the LINKTYPE_NFLOG
 * definition); the values are netlink attributes in network order. Read here: {@code NFULA_PREFIX}
 * (10, NUL-terminated), {@code NFULA_UID} (11, be32, present when the socket's owner was known) and
 * {@code NFULA_PAYLOAD} (9, the packet from its network header). Nothing in a record is trusted:
 * every length is checked before it is read, and a record that does not hold an IPv4 or IPv6 packet
 * with whole addresses is no event.
 */
public final class NflogRecord {
  /** pcap's LINKTYPE_NFLOG. */
  public static final int LINKTYPE = 239;

  static final int NFULA_PAYLOAD = 9;
  static final int NFULA_PREFIX = 10;
  static final int NFULA_UID = 11;

  /** IPv6 extension headers walked over to the transport header, at most this many. */
  private static final int MAX_EXTENSIONS = 8;

  private NflogRecord() {}

  /** The TLVs' byte order that makes the whole record walk cleanly, or 0 when none does. */
  static int order(byte[] b, int off, int len) {
    if (walks(b, off, len, true)) {
      return 1;
    }
    return walks(b, off, len, false) ? 2 : 0;
  }

  private static boolean walks(byte[] b, int off, int len, boolean little) {
    int p = 4;
    boolean payload = false;
    while (p + 4 <= len) {
      int l = u16(b, off + p, little);
      int t = u16(b, off + p + 2, little) & 0x7fff;
      if (l < 4 || p + l > len || t == 0 || t > 64) {
        return false;
      }
      payload |= t == NFULA_PAYLOAD;
      p += (l + 3) & ~3;
    }
    return payload;
  }

  /** True when the record's prefix is {@code prefix} (compared without trailing spaces). */
  public static boolean hasPrefix(byte[] b, int off, int len, String prefix) {
    int order = len < 8 ? 0 : order(b, off, len);
    if (order == 0) {
      return false;
    }
    boolean little = order == 1;
    for (int p = 4; p + 4 <= len; ) {
      int l = u16(b, off + p, little);
      if ((u16(b, off + p + 2, little) & 0x7fff) == NFULA_PREFIX) {
        return prefix(b, off + p + 4, l - 4).equals(prefix.stripTrailing());
      }
      p += (l + 3) & ~3;
    }
    return false;
  }

  /** A NUL-terminated prefix without trailing spaces. */
  private static String prefix(byte[] b, int v, int vl) {
    int end = 0;
    while (end < vl && b[v + end] != 0) {
      end++;
    }
    return new String(b, v, end, StandardCharsets.ISO_8859_1).stripTrailing();
  }

  /**
   * The event in the record, or null when it is not one: another prefix than {@code prefix}
   * (compared without trailing spaces), no packet, or a packet too short for its addresses.
   *
   * @param tsNs the capture time, ns since the epoch
   */
  public static DropEvent parse(byte[] b, int off, int len, long tsNs, String prefix) {
    if (len < 8) {
      return null;
    }
    int order = order(b, off, len);
    if (order == 0) {
      return null;
    }
    boolean little = order == 1;
    String pre = null;
    int uid = -1;
    int payload = -1;
    int payloadLen = 0;
    for (int p = 4; p + 4 <= len; ) {
      int l = u16(b, off + p, little);
      int t = u16(b, off + p + 2, little) & 0x7fff;
      int v = off + p + 4;
      int vl = l - 4;
      if (t == NFULA_PREFIX) {
        pre = prefix(b, v, vl);
      } else if (t == NFULA_UID && vl >= 4) {
        long u = be32(b, v) & 0xffffffffL;
        uid = u > Integer.MAX_VALUE ? -1 : (int) u;
      } else if (t == NFULA_PAYLOAD) {
        payload = v;
        payloadLen = vl;
      }
      p += (l + 3) & ~3;
    }
    if (pre == null || !pre.equals(prefix.stripTrailing()) || payload < 0) {
      return null;
    }
    return packet(b, payload, payloadLen, tsNs, uid);
  }

  /** The event of an IP packet starting at {@code p}, or null when it is cut short. */
  static DropEvent packet(byte[] b, int p, int len, long tsNs, int uid) {
    if (len < 1) {
      return null;
    }
    int version = (b[p] & 0xff) >>> 4;
    String src;
    String dst;
    int proto;
    int l4;
    int length;
    if (version == 4) {
      int ihl = (b[p] & 0x0f) * 4;
      if (len < 20 || ihl < 20 || ihl > len) {
        return null;
      }
      length = u16(b, p + 2, false);
      src = v4(b, p + 12);
      dst = v4(b, p + 16);
      proto = b[p + 9] & 0xff;
      // RFC 791: only the first fragment (offset 0) carries the transport header.
      boolean later = (u16(b, p + 6, false) & 0x1fff) != 0;
      l4 = later ? -1 : p + ihl;
    } else if (version == 6) {
      if (len < 40) {
        return null;
      }
      length = 40 + u16(b, p + 4, false);
      src = v6(b, p + 8);
      dst = v6(b, p + 24);
      proto = b[p + 6] & 0xff;
      l4 = p + 40;
      // RFC 8200 4.1: hop-by-hop, routing and destination options precede the transport header;
      // 4.5: only the first fragment carries it.
      for (int i = 0; i < MAX_EXTENSIONS && l4 >= 0; i++) {
        if (proto == 0 || proto == 43 || proto == 60) {
          if (l4 + 2 > p + len) {
            l4 = -1;
            break;
          }
          int next = b[l4] & 0xff;
          l4 += ((b[l4 + 1] & 0xff) + 1) * 8;
          proto = next;
        } else if (proto == 44) {
          if (l4 + 8 > p + len) {
            l4 = -1;
            break;
          }
          int next = b[l4] & 0xff;
          boolean later = (u16(b, l4 + 2, false) & 0xfff8) != 0;
          l4 = later ? -1 : l4 + 8;
          proto = next;
        } else {
          break;
        }
      }
    } else {
      return null;
    }
    int port = 0;
    int sport = 0;
    if (l4 >= 0) {
      if ((proto == Protocols.TCP || proto == Protocols.UDP) && l4 + 4 <= p + len) {
        sport = u16(b, l4, false);
        port = u16(b, l4 + 2, false);
      } else if ((proto == Protocols.ICMP || proto == Protocols.ICMPV6) && l4 + 1 <= p + len) {
        port = b[l4] & 0xff;
      }
    }
    return new DropEvent(tsNs, false, src, dst, name(proto), port, uid, sport, length);
  }

  /** The name {@link KernelLogParser} gives the protocol, so both sources group alike. */
  static String name(int proto) {
    return switch (proto) {
      case Protocols.TCP -> "tcp";
      case Protocols.UDP -> "udp";
      case Protocols.ICMP -> "icmp";
      case Protocols.ICMPV6 -> "icmp6";
      default -> Integer.toString(proto);
    };
  }

  private static String v4(byte[] b, int p) {
    return (b[p] & 0xff)
        + "."
        + (b[p + 1] & 0xff)
        + "."
        + (b[p + 2] & 0xff)
        + "."
        + (b[p + 3] & 0xff);
  }

  private static String v6(byte[] b, int p) {
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[p + i] & 0xff);
      lo = (lo << 8) | (b[p + 8 + i] & 0xff);
    }
    return IpAddress.of(hi, lo).toString();
  }

  private static int u16(byte[] b, int p, boolean little) {
    return little ? (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 : (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
  }

  private static int be32(byte[] b, int p) {
    return (b[p] & 0xff) << 24
        | (b[p + 1] & 0xff) << 16
        | (b[p + 2] & 0xff) << 8
        | (b[p + 3] & 0xff);
  }
}
