package dev.egret.flow;

/** What became of a connection attempt. */
public enum FlowState {
  /** The initiator sent, nothing ever came back. */
  ATTEMPTED,
  /** The responder answered (SYN-ACK, a UDP reply, an echo reply) and the flow did not close. */
  ESTABLISHED,
  /** The responder refused: a RST to the opening SYN, or an ICMP unreachable for the flow. */
  REJECTED,
  /** Answered, then closed by FIN or RST. */
  CLOSED;

  private final String label = name().toLowerCase(java.util.Locale.ROOT);

  public String label() {
    return label;
  }
}
