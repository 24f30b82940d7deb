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
  private final DecodeStats stats;

  public PacketDecoder(DecodeStats stats) {
    this.stats = stats;
  }

  public DecodeStats stats() {
    return stats;
  }

  /**
   * Decodes one packet whose length on the wire is not known: an IP length beyond the captured
   * bytes is taken for a short snapshot.
   *
   * @return true when {@code out} holds an IP packet with its transport fields (ports for the first
   *     fragment only); false when the packet was counted as skipped or malformed
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
    out.clear();
    out.buf = buf;
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
    int ip = (int) link;
    out.linkBroadcast = LinkLayer.broadcast(linkType, buf, off, end);
    long net =
        (link >>> 32) == 4
            ? Ipv4.parse(buf, ip, end, wireEnd, out)
            : Ipv6.parse(buf, ip, end, wireEnd, out);
    if (net < 0) {
      return skip(net, linkType);
    }
    int t = (int) net;
    boolean firstFragment = (net & Ipv4.MORE_FRAGMENTS) != 0;
    int statedEnd = ip + out.ipLength;
    int r = Transport.parse(buf, t, statedEnd, Math.min(statedEnd, end), firstFragment, out);
    if (r < 0) {
      return skip(r, linkType);
    }
    stats.count(Kind.DECODED);
    return true;
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
