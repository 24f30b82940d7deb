package dev.egret.decode;

/**
 * Scratch holder the decoder fills for one packet and the caller reuses for the next, so that
 * decoding allocates nothing. Fields are valid only after {@link PacketDecoder#decode} returned
 * {@code true} and until the next call. Addresses are 128-bit: an IPv4 address is stored
 * IPv4-mapped (RFC 4291 2.5.5.2: {@code ::ffff:a.b.c.d}, so {@code hi == 0} and {@code lo ==
 * 0x0000_ffff_0000_0000L | ipv4}).
 */
public final class DecodedPacket {
  /** Capture time, nanoseconds since the epoch (set by the caller, not the decoder). */
  public long tsNanos;

  /** The frame went to the whole link (Ethernet or cooked-capture broadcast). */
  public boolean linkBroadcast;

  /** 4 or 6: version of the outermost IP header. */
  public int ipVersion;

  public long srcHi;
  public long srcLo;
  public long dstHi;
  public long dstLo;

  /** IANA protocol number of the transport header (after IPv6 extension headers). */
  public int proto;

  /** TCP/UDP ports; 0 for other protocols. */
  public int srcPort;

  public int dstPort;

  /** TCP flags byte (FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10); 0 for non-TCP. */
  public int tcpFlags;

  /** TCP sequence and acknowledgement numbers, unsigned 32-bit in a long. */
  public long tcpSeq;

  public long tcpAck;

  /** ICMP/ICMPv6 type and code; -1 when the packet is not ICMP. */
  public int icmpType;

  public int icmpCode;

  /** Length of the IP packet as its header states (IPv4 total length, IPv6 40 + payload). */
  public int ipLength;

  /** The buffer the packet was decoded from and where the transport payload starts in it. */
  public byte[] buf;

  public int payloadOff;

  /** Captured payload bytes (may be less than on the wire when the snapshot was short). */
  public int payloadLen;

  /**
   * For an ICMP/ICMPv6 error (destination unreachable, time exceeded, parameter problem, packet too
   * big): the header it quotes, as sent by the original sender. {@code innerValid} is false when
   * the error quotes nothing usable.
   */
  public boolean innerValid;

  public long innerSrcHi;
  public long innerSrcLo;
  public long innerDstHi;
  public long innerDstLo;
  public int innerProto;
  public int innerSrcPort;
  public int innerDstPort;

  /** A fragment's place in its datagram (bytes), M/MF flag and identification, for reassembly. */
  int fragOffset;

  boolean fragMore;
  long fragId;

  /** Resets every field but the buffer reference; called by the decoder before each packet. */
  public void clear() {
    linkBroadcast = false;
    ipVersion = 0;
    srcHi = srcLo = dstHi = dstLo = 0;
    proto = 0;
    srcPort = dstPort = 0;
    tcpFlags = 0;
    tcpSeq = tcpAck = 0;
    icmpType = -1;
    icmpCode = 0;
    ipLength = 0;
    payloadOff = payloadLen = 0;
    innerValid = false;
    innerSrcHi = innerSrcLo = innerDstHi = innerDstLo = 0;
    innerProto = innerSrcPort = innerDstPort = 0;
  }

  public boolean isTcp() {
    return proto == 6;
  }

  public boolean isUdp() {
    return proto == 17;
  }

  public boolean isIcmp() {
    return proto == 1 || proto == 58;
  }
}
