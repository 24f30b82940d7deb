package dev.egret.flow;

import dev.egret.net.TcpFlags;

/**
 * What a flow's packets said so far, as bits of one int kept in its table row: who sent SYN, FIN
 * and RST, whether the responder answered, whether an ICMP error rejected it. Pure functions, so
 * the state a flow ends in follows from its flags alone.
 */
final class FlowFlags {
  static final int SYN = 1;
  static final int SYN_ACK = 1 << 1;
  static final int ANSWERED = 1 << 2;
  static final int RST_BY_RESP = 1 << 3;
  static final int RST_BY_INIT = 1 << 4;
  static final int FIN_BY_INIT = 1 << 5;
  static final int FIN_BY_RESP = 1 << 6;
  static final int UNREACHABLE = 1 << 7;
  static final int LINK_BROADCAST = 1 << 8;

  private FlowFlags() {}

  /**
   * The flags after one more packet.
   *
   * @param tcpFlags the packet's TCP flags byte, or -1 when it is not TCP
   */
  static int onPacket(int f, int tcpFlags, boolean fromInitiator) {
    if (tcpFlags < 0) {
      return fromInitiator ? f : f | ANSWERED;
    }
    if (fromInitiator) {
      if ((tcpFlags & (TcpFlags.SYN | TcpFlags.ACK)) == TcpFlags.SYN) {
        f |= SYN;
      }
      if ((tcpFlags & TcpFlags.RST) != 0) {
        f |= RST_BY_INIT;
      }
      if ((tcpFlags & TcpFlags.FIN) != 0) {
        f |= FIN_BY_INIT;
      }
      return f;
    }
    if ((tcpFlags & (TcpFlags.SYN | TcpFlags.ACK)) == (TcpFlags.SYN | TcpFlags.ACK)) {
      f |= SYN_ACK | ANSWERED;
    }
    // RFC 9293 3.5.2: a closed port answers a SYN with a reset, so a reset from the responder is
    // a refusal (unless it answered before); anything else it sends is an answer.
    f |= (tcpFlags & TcpFlags.RST) != 0 ? RST_BY_RESP : ANSWERED;
    if ((tcpFlags & TcpFlags.FIN) != 0) {
      f |= FIN_BY_RESP;
    }
    return f;
  }

  /** Reset by either side, or FIN from both. */
  static boolean closed(int f) {
    return (f & (RST_BY_INIT | RST_BY_RESP)) != 0
        || (f & (FIN_BY_INIT | FIN_BY_RESP)) == (FIN_BY_INIT | FIN_BY_RESP);
  }

  /** The state a flow with these flags ends in. */
  static FlowState state(int f) {
    if ((f & ANSWERED) != 0) {
      return closed(f) ? FlowState.CLOSED : FlowState.ESTABLISHED;
    }
    if ((f & (RST_BY_RESP | UNREACHABLE)) != 0) {
      return FlowState.REJECTED;
    }
    return FlowState.ATTEMPTED;
  }
}
