package dev.egret.capture;

/**
 * Receives packets from a {@link PacketSource}. The bytes are valid only during the call: the
 * source reuses its buffer for the next packet, so a handler that keeps data must copy it.
 */
@FunctionalInterface
public interface PacketHandler {
  /**
   * @param linkType the pcap LINKTYPE_ value of the interface the packet came from
   * @param tsNanos capture time in nanoseconds since the Unix epoch
   * @param buf buffer holding the captured bytes
   * @param off offset of the first captured byte in {@code buf}
   * @param caplen number of captured bytes (never more than the snapshot length)
   * @param origLen length of the packet on the wire (at least {@code caplen})
   */
  void onPacket(int linkType, long tsNanos, byte[] buf, int off, int caplen, int origLen);

  /**
   * The packets after this call come from another input (the next capture file): what was on the
   * wire between the two inputs may not have been captured.
   */
  default void inputStarted() {}
}
