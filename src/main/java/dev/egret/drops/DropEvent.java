package dev.egret.drops;

/**
 * One blocked (or, in audit mode, logged) connection attempt read back from the firewall's log.
 *
 * @param timeNs when: ns since the epoch, or since boot when {@code uptime}; 0 when the line had no
 *     time
 * @param uptime true when {@code timeNs} counts from boot (plain {@code dmesg})
 * @param host the sending internal host ({@code SRC=})
 * @param destination where it tried to go ({@code DST=})
 * @param protocol {@code tcp}, {@code udp}, {@code icmp}, {@code icmp6} or a protocol number
 * @param port destination port ({@code DPT=}); for ICMP the type ({@code TYPE=}); 0 when absent
 * @param uid the sending user ({@code UID=}, with {@code --log-uid} or {@code log flags skuid}), or
 *     -1 when the kernel did not log one
 * @param sourcePort the sender's port ({@code SPT=}), 0 when absent or for ICMP: with the rest, it
 *     tells a retransmitted SYN from a new connection
 * @param length the packet's IP length ({@code LEN=}), 0 when absent
 */
public record DropEvent(
    long timeNs,
    boolean uptime,
    String host,
    String destination,
    String protocol,
    int port,
    int uid,
    int sourcePort,
    int length) {
  /** An event without source port and length. */
  public DropEvent(
      long timeNs,
      boolean uptime,
      String host,
      String destination,
      String protocol,
      int port,
      int uid) {
    this(timeNs, uptime, host, destination, protocol, port, uid, 0, 0);
  }
}
