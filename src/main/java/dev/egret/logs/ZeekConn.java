package dev.egret.logs;

import dev.egret.flow.FlowState;
import dev.egret.flow.Icmp;
import dev.egret.flow.InitiatorRule;
import dev.egret.net.Ip;
import dev.egret.net.Protocols;

/**
 * One Zeek conn.log row as egret's flow record. The readers (TSV and JSON) fill the public fields
 * of one reused instance, which {@link FlowHandoff#flow(ZeekConn)} hands on as a flow; the mapping,
 * field by field:
 *
 * <ul>
 *   <li>{@code id.orig_h/p} is the initiator, {@code id.resp_h/p} the responder. Zeek decided who
 *       started the connection; {@code history} tells how: {@code S} (the originator's SYN) is
 *       egret's {@link InitiatorRule#SYN}; {@code h} without {@code S} (only the SYN-ACK seen) is
 *       {@link InitiatorRule#SYN_ACK}; {@code ^} means Zeek flipped the endpoints by its
 *       likely-server-ports heuristic, egret's {@link InitiatorRule#PORTS} (for UDP only within the
 *       UDP timeout of the log's start: later, the flow answers nothing heard and {@link
 *       FlowHandoff} turns it back); an ICMP echo is {@link InitiatorRule#ICMP_ECHO}; anything else
 *       the sender of the first packet.
 *   <li>{@code proto} {@code tcp}, {@code udp}, {@code icmp} (ICMPv6 too, told apart by the address
 *       family), else {@code ip_proto} when the column exists. For ICMP the ports are the type and
 *       its counterpart, as egret keys ICMP; ICMP errors (Zeek logs an unreachable as its own row)
 *       are not flows in egret and are skipped, so the flow they answer stays unanswered here where
 *       egret, seeing the packets, marks it refused.
 *   <li>State: refused ({@link FlowState#REJECTED}) for {@code conn_state} {@code REJ} (a SYN
 *       answered by a reset), or a TCP history where the responder only reset ({@code r} without
 *       {@code h}, {@code a}, {@code d} or {@code f}), which is egret's rule (RFC 9293 3.5.2).
 *       Otherwise answered when {@code resp_pkts > 0}: {@link FlowState#CLOSED} when the history
 *       shows a reset ({@code R}/{@code r}) or a FIN from both sides ({@code F} and {@code f}),
 *       else {@link FlowState#ESTABLISHED}; never answered ({@link FlowState#ATTEMPTED}) when
 *       {@code resp_pkts} is 0. So {@code S0}, {@code SH} and {@code RSTOS0} are attempts, {@code
 *       S1}, {@code SF}, {@code S2}, {@code S3}, {@code RSTO}, {@code RSTR}, {@code RSTRH} and
 *       {@code SHR} answered. {@code OTH} (no SYN seen, mid-stream) is answered only if the
 *       responder sent a packet: ambiguous in Zeek too, and egret's own tracker decides the same
 *       way for a flow picked up mid-stream. Without a {@code history} column, {@code conn_state}
 *       alone decides: {@code REJ} refused, the rest by {@code resp_pkts}.
 *   <li>Counts: {@code orig_pkts}, {@code orig_ip_bytes}, {@code resp_pkts}, {@code resp_ip_bytes}
 *       (IP bytes, as egret counts); {@code ts} is the start and {@code ts + duration} the end.
 *   <li>Rows with {@code tunnel_parents} set are connections Zeek found inside a tunnel. By default
 *       egret learns from packets only the tunnel's own (outer) flow, so these rows are skipped
 *       (counted as {@code tunnelled}), with the dns, ssl, http and quic rows of the same {@code
 *       uid} ({@link TunnelJoin}). With {@code --decapsulate}, as egret then learns the flows
 *       inside tunnels from packets, they are read. Zeek logs a UDP tunnel's outer flow (VXLAN,
 *       Geneve, GTP-U, Teredo) as a row of its own, but not the outer flow of IP in IP or GRE
 *       (ERSPAN included): from those logs egret never learns the outer GRE flow that it learns
 *       from the packets.
 * </ul>
 */
final class ZeekConn {
  long tsNs;
  long durationNs;
  final long[] orig = new long[2];
  final long[] resp = new long[2];
  int origPort;
  int respPort;

  /** {@link Protocols} number, or -1 for {@code icmp} (family decided by the addresses). */
  int proto;

  boolean rejState;
  boolean hasHistory;
  int history;
  long origPkts;
  long origBytes;
  long respPkts;
  long respBytes;
  boolean tunnelled;

  static final int H_SYN = 1;
  static final int H_SYN_ACK = 2;
  static final int H_FLIP = 4;
  static final int H_RST_ORIG = 8;
  static final int H_RST_RESP = 16;
  static final int H_FIN_ORIG = 32;
  static final int H_FIN_RESP = 64;
  static final int H_RESP_OTHER = 128;

  /** Marker for {@code icmp} in {@link #proto}. */
  static final int ICMP_EITHER = -1;

  /** Why a row gave no flow. */
  enum Skip {
    TUNNELLED,
    ICMP_ERROR
  }

  /** Zeek's history letters (upper case: originator, lower: responder) as flag bits. */
  static int history(byte[] b, int s, int e) {
    int h = 0;
    for (int i = s; i < e; i++) {
      h |=
          switch (b[i]) {
            case 'S' -> H_SYN;
            case 'h' -> H_SYN_ACK;
            case '^' -> H_FLIP;
            case 'R' -> H_RST_ORIG;
            case 'r' -> H_RST_RESP;
            case 'F' -> H_FIN_ORIG;
            case 'f' -> H_FIN_RESP;
            case 'a', 'd' -> H_RESP_OTHER;
            default -> 0;
          };
    }
    return h;
  }

  static int history(String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    return history(b, 0, b.length);
  }

  /** The skip reason for this row, or null when it is a flow. */
  Skip skip() {
    if (tunnelled) {
      return Skip.TUNNELLED;
    }
    int p = protocol();
    if ((p == Protocols.ICMP || p == Protocols.ICMPV6) && Icmp.isError(p, origPort)) {
      return Skip.ICMP_ERROR;
    }
    return null;
  }

  int protocol() {
    if (proto != ICMP_EITHER) {
      return proto;
    }
    return Ip.isV4(orig[0], orig[1]) ? Protocols.ICMP : Protocols.ICMPV6;
  }

  /** The end: {@code ts + duration}. */
  long end() {
    return durationNs > 0 ? tsNs + durationNs : tsNs;
  }

  /** The flow's state, for {@link #protocol()} {@code p}. */
  FlowState state(int p) {
    if (rejState) {
      return FlowState.REJECTED;
    }
    if (p == Protocols.TCP && hasHistory) {
      int h = history;
      boolean answeredOtherwise = (h & (H_SYN_ACK | H_RESP_OTHER | H_FIN_RESP)) != 0;
      if ((h & H_RST_RESP) != 0 && !answeredOtherwise) {
        return FlowState.REJECTED;
      }
      if (respPkts == 0) {
        return FlowState.ATTEMPTED;
      }
      boolean closed =
          (h & (H_RST_ORIG | H_RST_RESP)) != 0
              || (h & (H_FIN_ORIG | H_FIN_RESP)) == (H_FIN_ORIG | H_FIN_RESP);
      return closed ? FlowState.CLOSED : FlowState.ESTABLISHED;
    }
    return respPkts > 0 ? FlowState.ESTABLISHED : FlowState.ATTEMPTED;
  }

  /** Zeek turned the endpoints round by its likely-server-ports rule ({@code ^}). */
  boolean flipped() {
    return (history & H_FLIP) != 0;
  }

  /** How the initiator was told, for {@link #protocol()} {@code p}. */
  InitiatorRule rule(int p) {
    if ((history & H_FLIP) != 0) {
      return InitiatorRule.PORTS;
    }
    if (p == Protocols.TCP) {
      if ((history & H_SYN) != 0) {
        return InitiatorRule.SYN;
      }
      if ((history & H_SYN_ACK) != 0) {
        return InitiatorRule.SYN_ACK;
      }
      return InitiatorRule.FIRST_PACKET;
    }
    if ((p == Protocols.ICMP || p == Protocols.ICMPV6) && Icmp.isEcho(p, origPort)) {
      return InitiatorRule.ICMP_ECHO;
    }
    return InitiatorRule.FIRST_PACKET;
  }

  void clear() {
    tsNs = 0;
    durationNs = 0;
    orig[0] = orig[1] = resp[0] = resp[1] = 0;
    origPort = respPort = 0;
    proto = 0;
    rejState = false;
    hasHistory = false;
    history = 0;
    origPkts = origBytes = respPkts = respBytes = 0;
    tunnelled = false;
  }
}
