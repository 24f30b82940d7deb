package dev.egret.decode;

import dev.egret.decode.DecodeStats.Kind;

/**
 * Decodes link, network and transport headers by offset from raw bytes into a reused {@link
 * DecodedPacket}; allocates nothing per packet. Every length is checked before a read; a packet
 * that fails a check is counted in {@link DecodeStats} by kind and skipped.
 *
 * <p>Layers: {@link LinkLayer} finds the IP header, {@link Ipv4} or {@link Ipv6} reads it (and the
 * IPv6 extension headers), {@link Transport} reads TCP, UDP or ICMP. Not thread-safe: use one
 * decoder, stats and scratch packet per thread.
 */
public final class PacketDecoder {
  /** Tunnels opened inside each other at most, with decapsulation on. */
  static final int MAX_TUNNELS = 3;

  private final DecodeStats stats;
  private final Fragments fragments;
  private final boolean decapsulate;
  private final DecodedPacket[] inner = new DecodedPacket[MAX_TUNNELS];
  private int innerCount;

  public PacketDecoder(DecodeStats stats) {
    this(stats, false);
  }

  /**
   * @param decapsulate whether to open tunnels ({@link Tunnels}) and give the packets inside them
   *     besides the outer one ({@link #innerCount}, {@link #inner})
   */
  public PacketDecoder(DecodeStats stats, boolean decapsulate) {
    this.stats = stats;
    this.fragments = new Fragments(stats);
    this.decapsulate = decapsulate;
    for (int i = 0; i < MAX_TUNNELS; i++) {
      inner[i] = new DecodedPacket();
    }
  }

  public DecodeStats stats() {
    return stats;
  }

  /**
   * Decodes one packet whose length on the wire is not known: an IP length beyond the captured
   * bytes is taken for a short snapshot.
   *
   * @return true when {@code out} holds an IP packet with its transport fields (a fragmented
   *     datagram once its last fragment came); false when the packet was counted as skipped, held
   *     or malformed
   */
  public boolean decode(int linkType, byte[] buf, int off, int caplen, DecodedPacket out) {
    return decode(linkType, buf, off, caplen, -1, out);
  }

  /**
   * Decodes one packet. With {@code origLen} (the length on the wire) known, an IP length that runs
   * past the end of the frame as it was sent is counted as {@link Kind#BAD_TOTAL_LENGTH}, while one
   * that only runs past a short snapshot is accepted.
   *
   * @param origLen the packet's length on the wire, or -1 when unknown
   * @return true when {@code out} holds an IP packet with its transport fields; false when the
   *     packet was counted as skipped or malformed
   */
  public boolean decode(
      int linkType, byte[] buf, int off, int caplen, int origLen, DecodedPacket out) {
    return decode(linkType, Long.MIN_VALUE, buf, off, caplen, origLen, out);
  }

  /**
   * Decodes one packet captured at {@code tsNanos}, the clock of fragment reassembly: a fragment is
   * held (counted as {@link Kind#FRAGMENT}) until its datagram is complete, and the packet that
   * completes it is decoded as the whole datagram, with {@code out.buf} then the reassembly buffer.
   *
   * @param origLen the packet's length on the wire, or -1 when unknown
   * @return true when {@code out} holds an IP packet with its transport fields; false when the
   *     packet was counted as skipped, held or malformed
   */
  public boolean decode(
      int linkType, long tsNanos, byte[] buf, int off, int caplen, int origLen, DecodedPacket out) {
    out.clear();
    out.buf = buf;
    innerCount = 0;
    if (buf == null || off < 0 || caplen < 0 || off > buf.length - caplen) {
      stats.count(Kind.TRUNCATED_LINK);
      return false;
    }
    int end = off + caplen;
    int wireEnd = origLen >= caplen && origLen <= Integer.MAX_VALUE - off ? off + origLen : -1;

    long link = LinkLayer.locate(linkType, buf, off, end);
    if (link < 0) {
      return skip(link, linkType);
    }
    out.linkBroadcast = LinkLayer.broadcast(linkType, buf, off, end);
    long r = network(link, buf, end, wireEnd, tsNanos, true, out);
    if (r < 0) {
      return skip(r, linkType);
    }
    stats.count(Kind.DECODED);
    if (decapsulate) {
      decapsulate(out);
    }
    return true;
  }

  /** The IP header {@code LinkLayer.locate} found and the transport header behind it. */
  private long network(
      long link,
      byte[] buf,
      int end,
      int wireEnd,
      long tsNanos,
      boolean reassemble,
      DecodedPacket out) {
    int ip = (int) link;
    long net =
        (link >>> 32) == 4
            ? Ipv4.parse(buf, ip, end, wireEnd, out)
            : Ipv6.parse(buf, ip, end, wireEnd, out);
    if (net < 0) {
      return net;
    }
    int t = (int) net;
    int statedEnd = ip + out.ipLength;
    if ((net & Ipv4.FRAGMENTED) != 0) {
      return fragment(ip, t, statedEnd, reassemble ? end : -1, end, tsNanos, buf, out);
    }
    return Transport.parse(buf, t, statedEnd, Math.min(statedEnd, end), false, out);
  }

  /**
   * With {@code --decapsulate}: the packets inside {@code outer}'s tunnels, up to {@value
   * #MAX_TUNNELS} deep, into {@link #inner}. An inner packet that does not decode ends the walk and
   * is counted ({@link DecodeStats#innerMalformed}); inner fragments are not reassembled (the first
   * gives its ports).
   */
  private void decapsulate(DecodedPacket outer) {
    DecodedPacket cur = outer;
    for (int depth = 0; depth < MAX_TUNNELS; depth++) {
      long in = Tunnels.inner(cur);
      if (in < 0) {
        return;
      }
      int q = (int) in;
      int end = cur.payloadOff + cur.payloadLen;
      byte[] buf = cur.buf;
      long link =
          (in >>> 32) == Tunnels.ETHERNET
              ? LinkLayer.locate(LinkTypes.ETHERNET, buf, q, end)
              : (long) (buf[q] >>> 4 & 0x0f) << 32 | q;
      DecodedPacket next = inner[depth];
      next.clear();
      next.buf = buf;
      long r = link < 0 ? link : network(link, buf, end, -1, Long.MIN_VALUE, false, next);
      if (r < 0) {
        if (Outcome.kind(r).malformed()) {
          stats.countInnerMalformed(); // not for ARP or a held fragment inside
        }
        return;
      }
      innerCount = depth + 1;
      stats.countDecapsulated();
      cur = next;
    }
  }

  /** Packets found inside the last decoded packet's tunnels (with {@code --decapsulate}). */
  public int innerCount() {
    return innerCount;
  }

  /** The {@code i}th of them, outermost first; valid until the next decode. */
  public DecodedPacket inner(int i) {
    if (i < 0 || i >= innerCount) {
      throw new IndexOutOfBoundsException(i);
    }
    return inner[i];
  }

  /**
   * A fragment: held until its datagram is complete, then the datagram's transport header read from
   * the reassembly buffer. A fragment the capture cut short (past {@code reassemblyEnd}; -1 when
   * not to reassemble) cannot be reassembled: the first one still gives the transport header when
   * it holds it (as without reassembly), the others are skipped.
   */
  private int fragment(
      int ip,
      int t,
      int statedEnd,
      int reassemblyEnd,
      int end,
      long ts,
      byte[] buf,
      DecodedPacket out) {
    boolean v6 = out.ipVersion == 6;
    if (statedEnd > reassemblyEnd) {
      if (out.fragOffset != 0) {
        return Outcome.fail(Kind.FRAGMENT);
      }
      int upper = t;
      if (v6) {
        long w = Ipv6.walk(buf, t, out.proto, statedEnd, end, null);
        if (w < 0) {
          return (int) w;
        }
        out.proto = (int) (w >>> 32) & 0xff;
        upper = (int) w;
      }
      return Transport.parse(buf, upper, statedEnd, end, true, out);
    }
    int header = t - ip - (v6 ? 8 : 0); // the reassembled packet has no fragment header
    int slot =
        fragments.add(
            out,
            out.fragId,
            out.fragOffset,
            out.fragMore,
            out.proto,
            header,
            buf,
            t,
            statedEnd - t,
            ts);
    if (slot < 0) {
      return Outcome.fail(
          slot == Fragments.HELD
              ? Kind.FRAGMENT
              : slot == Fragments.OVERLAP ? Kind.FRAGMENT_OVERLAP : Kind.BAD_FRAGMENT);
    }
    byte[] d = fragments.data(slot);
    int len = fragments.length(slot);
    out.buf = d;
    out.ipLength = fragments.headerLength(slot) + len;
    int upper = 0;
    out.proto = fragments.next(slot);
    if (v6) {
      long w = Ipv6.walk(d, 0, out.proto, len, len, null);
      if (w < 0) {
        return (int) w;
      }
      out.proto = (int) (w >>> 32) & 0xff;
      upper = (int) w;
    }
    return Transport.parse(d, upper, len, len, false, out);
  }

  /** The input has ended: datagrams still missing fragments are counted as incomplete. */
  public void finish() {
    fragments.finish();
  }

  private boolean skip(long code, int linkType) {
    Kind kind = Outcome.kind(code);
    if (kind == Kind.UNSUPPORTED_LINK) {
      stats.countUnsupportedLink(linkType);
    } else {
      stats.count(kind);
    }
    return false;
  }
}
