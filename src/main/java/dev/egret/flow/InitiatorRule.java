package dev.egret.flow;

/** How the tracker decided which side started a flow. */
public enum InitiatorRule {
  /** The sender of a SYN without ACK. */
  SYN,
  /** Only the SYN-ACK was seen: its receiver. */
  SYN_ACK,
  /** The sender of an ICMP echo request (or the receiver of an echo reply seen first). */
  ICMP_ECHO,
  /** The sender of the first packet (UDP, other protocols, TCP mid-stream with no port hint). */
  FIRST_PACKET,
  /** Inferred from ports: the side on a service port is the responder (mid-stream or reply). */
  PORTS;

  private final String label = name().toLowerCase(java.util.Locale.ROOT);

  public String label() {
    return label;
  }
}
