package dev.egret.capture;

/**
 * Which packets of a capture replayed into the flow stage may be delivered without most of their
 * payload: the framing thread ({@link PacketPrefetch}) then copies a packet's headers and one byte
 * of its payload instead of all of it. Opt-in, for one replay at a time (its state runs across the
 * files of the replay, as the flow table's does); other readers get every packet whole.
 *
 * <p>What the flow stage reads, and so what must stay whole: every header (link, IP, TCP; the IP
 * length gives the flow's byte counts), whether a payload is there (one byte says so), and the
 * payload of DNS (port 53, UDP and TCP), of every UDP datagram (QUIC), of ICMP errors, of tunnels,
 * of fragments, and of the first {@value #SEGMENTS_READ} payload segments a TCP connection's
 * initiator sends (the name tap reads its first 4, or 8 on STARTTLS ports and after plaintext or an
 * HTTP CONNECT, for a TLS ClientHello or an HTTP Host). So only one kind of packet is cut: a TCP
 * segment with payload, not to or from port 53, of a connection whose SYN was seen, that is past
 * the {@value #SEGMENTS_READ}th payload segment in its direction. Counting per direction needs no
 * knowledge of which side the flow table takes for the initiator.
 *
 * <p>Why that is safe: the flow table's flow for the connection began at the SYN or before it, so
 * it has counted at least the segments counted here, as long as it has not ended the flow and begun
 * a new one since, which it does only (1) after a FIN or RST (the connection is then forgotten
 * here: whole again until the next SYN), (2) after the TCP idle timeout (a segment is cut only
 * within {@code tcpIdle / 2} of the connection's previous packet, by a clock at least as far as the
 * table's), (3) on a new SYN (which starts the count again here), or (4) to make room when the
 * table is full, which cannot happen while the packets of the longest timeout's span are fewer than
 * the flows it keeps after making room ({@link LiveWindow}). Anything this class does not parse the
 * way the decoder does (other link types, MPLS, LLC, IPv6 extension headers, TCP fragments, odd
 * lengths) could be a TCP segment of a known connection, so it makes every connection unknown
 * (whole until its next SYN). With tunnels decapsulated nothing is cut.
 */
public final class PayloadTrim {
  /** Payload segments per direction that may be read whole: the name tap's most (STARTTLS). */
  public static final int SEGMENTS_READ = 8;

  /** Bytes copied before a packet is classified: more than any headers parsed here. */
  static final int HEAD = 128;

  private static final int DNS_PORT = 53;
  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86dd;
  private static final int TCP = 6;
  private static final int FIN = 0x01;
  private static final int SYN = 0x02;
  private static final int RST = 0x04;
  private static final int ACK = 0x10;

  private final long quietNanos;
  private final long flowLimit;
  private final LiveWindow window;
  private final TcpStarts starts = new TcpStarts();

  /** Newest packet time seen: at least the flow table's clock. */
  private long newest = Long.MIN_VALUE;

  /** Newest time of a packet the flow table surely took: at most its clock. */
  private long surelySeen = Long.MIN_VALUE;

  private long cut;
  private long unknown;

  private PayloadTrim(long tcpIdleNanos, long longestTimeoutNanos, long flowLimit) {
    this.quietNanos = tcpIdleNanos / 2;
    this.flowLimit = flowLimit;
    this.window = new LiveWindow(longestTimeoutNanos);
  }

  /**
   * The rules for a flow table with these settings, or null when nothing may be cut.
   *
   * @param tcpIdleNanos the idle time after which the table ends a TCP flow
   * @param longestTimeoutNanos the longest of its timeouts (TCP, UDP, ICMP, the close linger)
   * @param keptAfterEviction how many flows the table keeps when it makes room
   * @param decapsulate whether the flows inside tunnels are tracked too
   */
  public static PayloadTrim forFlowTable(
      long tcpIdleNanos, long longestTimeoutNanos, long keptAfterEviction, boolean decapsulate) {
    if (decapsulate || tcpIdleNanos < 2 || longestTimeoutNanos <= 0) {
      return null;
    }
    return new PayloadTrim(tcpIdleNanos, longestTimeoutNanos, keptAfterEviction);
  }

  /** Packets delivered cut so far. */
  public long cut() {
    return cut;
  }

  /** Packets not parsed here so far, each of which made every connection unknown. */
  long unknown() {
    return unknown;
  }

  /**
   * How many of a packet's {@code caplen} bytes to deliver; the first {@code min(caplen, HEAD)} of
   * them are at {@code b[off..]}.
   *
   * @param origLen the length on the wire, at least {@code caplen}
   */
  int keep(int linkType, long ts, byte[] b, int off, int caplen, int origLen) {
    if (ts > newest) {
      newest = ts;
    }
    window.add(ts);
    if (window.count() > flowLimit) {
      starts.forgetAll(); // the table may be making room by ending live flows
    }
    int end = off + Math.min(caplen, HEAD);
    int type;
    int ip;
    switch (linkType) {
      case 1 -> { // Ethernet
        if (end - off < 14) {
          return unknown(caplen);
        }
        type = u16(b, off + 12);
        ip = off + 14;
      }
      case 113 -> { // Linux cooked v1: protocol at 14
        if (end - off < 16) {
          return unknown(caplen);
        }
        type = u16(b, off + 14);
        ip = off + 16;
      }
      case 276 -> { // Linux cooked v2: protocol at 0
        if (end - off < 20) {
          return unknown(caplen);
        }
        type = u16(b, off);
        ip = off + 20;
      }
      case 12, 14, 101 -> { // raw IP: the version says which
        if (end - off < 1) {
          return unknown(caplen);
        }
        int v = (b[off] & 0xff) >>> 4;
        type = v == 4 ? ETHERTYPE_IPV4 : v == 6 ? ETHERTYPE_IPV6 : -1;
        ip = off;
        if (type < 0) {
          return caplen; // LinkLayer: not IP
        }
      }
      case 228 -> {
        type = ETHERTYPE_IPV4;
        ip = off;
      }
      case 229 -> {
        type = ETHERTYPE_IPV6;
        ip = off;
      }
      default -> {
        return unknown(caplen);
      }
    }
    for (int tags = 0; type == 0x8100 || type == 0x88a8 || type == 0x9100; tags++) {
      // IEEE 802.1Q tags: 2 bytes TCI, then the next EtherType
      if (tags == 4 || end - ip < 4) {
        return unknown(caplen);
      }
      type = u16(b, ip + 2);
      ip += 4;
    }
    if (type == ETHERTYPE_IPV4) {
      return ipv4(ts, b, off, ip, end, caplen, origLen);
    }
    if (type == ETHERTYPE_IPV6) {
      return ipv6(ts, b, off, ip, end, caplen, origLen);
    }
    return notIp(type) ? caplen : unknown(caplen);
  }

  /** EtherTypes the decoder takes for not IP (those it walks to IP are VLAN, MPLS, PPPoE...). */
  private static boolean notIp(int type) {
    return type >= 0x0600
        && type != 0x8847
        && type != 0x8848
        && type != 0x8864
        && type != 0x8903
        && type != 0x88e7
        && type != 0x8926;
  }

  /** RFC 791 3.1, checked as decode's Ipv4 does; anything it might take otherwise is unknown. */
  private int ipv4(long ts, byte[] b, int off, int ip, int end, int caplen, int origLen) {
    if (end - ip < 20 || (b[ip] & 0xf0) != 0x40) {
      return unknown(caplen);
    }
    if ((b[ip + 9] & 0xff) != TCP) {
      return caplen; // not TCP, and no tunnels: no TCP connection's count or state changes
    }
    int headerLen = (b[ip] & 0x0f) * 4;
    int total = u16(b, ip + 2);
    int ipOff = ip - off;
    if ((u16(b, ip + 6) & 0x3fff) != 0 // a fragment
        || headerLen < 20
        || total < headerLen // (0 included: a TSO packet, whose length is the frame's)
        || origLen < caplen
        || total > origLen - ipOff
        || headerLen > caplen - ipOff) {
      return unknown(caplen);
    }
    long src = u32(b, ip + 12);
    long dst = u32(b, ip + 16);
    return tcp(ts, b, off, ip + headerLen, ip + total, end, caplen, 4, 0, src, 0, dst);
  }

  /** RFC 8200: TCP straight after the fixed header; extension headers are unknown. */
  private int ipv6(long ts, byte[] b, int off, int ip, int end, int caplen, int origLen) {
    if (end - ip < 40 || (b[ip] & 0xf0) != 0x60) {
      return unknown(caplen);
    }
    int next = b[ip + 6] & 0xff;
    if (next != TCP) {
      // hop-by-hop, routing, fragment, destination options, AH: decode walks them, maybe to TCP
      return next == 0 || next == 43 || next == 44 || next == 60 || next == 51
          ? unknown(caplen)
          : caplen;
    }
    int length = 40 + u16(b, ip + 4);
    if (origLen < caplen || length > origLen - (ip - off)) {
      return unknown(caplen);
    }
    return tcp(
        ts,
        b,
        off,
        ip + 40,
        ip + length,
        end,
        caplen,
        6,
        i64(b, ip + 8),
        i64(b, ip + 16),
        i64(b, ip + 24),
        i64(b, ip + 32));
  }

  /** RFC 9293 3.1, checked as decode's Transport does; then the connection's count. */
  private int tcp(
      long ts,
      byte[] b,
      int off,
      int t,
      int statedEnd,
      int end,
      int caplen,
      int version,
      long srcHi,
      long srcLo,
      long dstHi,
      long dstLo) {
    int capEnd = Math.min(statedEnd, off + caplen);
    if (capEnd - t < 20 || end - t < 20) {
      return unknown(caplen);
    }
    int headerLen = (b[t + 12] & 0xf0) >>> 2;
    if (headerLen < 20 || headerLen > capEnd - t) {
      return unknown(caplen);
    }
    // The decoder takes this packet, so the flow table's clock is at least its time.
    if (ts > surelySeen) {
      surelySeen = ts;
      window.advance(ts);
    }
    int srcPort = u16(b, t);
    int dstPort = u16(b, t + 2);
    int flags = b[t + 13] & 0xff;
    if ((flags & (SYN | ACK | FIN | RST)) == SYN) {
      starts.open(version, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort, ts);
      return caplen;
    }
    int slot = starts.find(version, srcHi, srcLo, srcPort, dstHi, dstLo, dstPort);
    if (slot < 0) {
      return caplen;
    }
    if ((flags & (FIN | RST)) != 0 || newest - starts.last(slot) > quietNanos) {
      starts.forget(slot); // closing (the table may end the flow after its linger), or idle
      return caplen;
    }
    starts.seen(slot, ts);
    int payloadOff = t + headerLen;
    if (capEnd - payloadOff <= 0) {
      return caplen;
    }
    int segments = starts.countPayload(slot);
    if (segments <= SEGMENTS_READ || srcPort == DNS_PORT || dstPort == DNS_PORT) {
      return caplen;
    }
    cut++;
    return payloadOff + 1 - off;
  }

  /** A packet not parsed here: whole, and no connection's count can be trusted any more. */
  private int unknown(int caplen) {
    unknown++;
    starts.forgetAll();
    return caplen;
  }

  private static int u16(byte[] b, int p) {
    return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
  }

  private static long u32(byte[] b, int p) {
    return (long) u16(b, p) << 16 | u16(b, p + 2);
  }

  private static long i64(byte[] b, int p) {
    return u32(b, p) << 32 | u32(b, p + 4);
  }
}
