package dev.egret.decode;

/**
 * Decodes link, network and transport headers by offset from raw bytes into a reused {@link
 * DecodedPacket}; allocates nothing per packet. Every length is checked before a read; a packet
 * that fails a check is counted in {@link DecodeStats} by kind and skipped.
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
   * Decodes one packet.
   *
   * @return true when {@code out} holds an IP packet with its transport fields (ports for the first
   *     fragment only); false when the packet was counted as skipped or malformed
   */
  public boolean decode(int linkType, byte[] buf, int off, int caplen, DecodedPacket out) {
    throw new UnsupportedOperationException("decoder not written yet");
  }
}
