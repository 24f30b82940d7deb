package dev.egret.flow;

import dev.egret.decode.DecodedPacket;
import dev.egret.net.TcpFlags;

/**
 * Decides who started a flow from the first packet the tracker sees of it. The answer is packed in
 * an int (rule ordinal, a reverse bit, a mid-stream bit) so that deciding allocates nothing.
 *
 * <p>The sender of a SYN without ACK; the receiver of a SYN-ACK; for TCP picked up mid-stream and
 * for UDP, the sender unless the packet goes from a service port to an ephemeral one ({@link
 * ServicePorts}), which makes it a reply (for UDP, only while a request could have gone unheard: at
 * the start of the capture or of an input that does not follow on from the one before); for ICMP,
 * the sender of an echo request, or the receiver of an echo reply seen alone. A broadcast or
 * multicast address never becomes the initiator.
 */
final class Initiators {
  private static final int REVERSE = 1 << 8;
  private static final int MIDSTREAM = 1 << 9;
  private static final InitiatorRule[] RULES = InitiatorRule.values();

  private Initiators() {}

  /**
   * @param sp the packet's source port (ICMP: its type)
   * @param dp the packet's destination port (ICMP: the counterpart type)
   * @param heard true when the tracker has heard the link without a break for longer than the UDP
   *     idle timeout before this packet: a UDP request sent within that time would have its flow in
   *     the table, so a reply-looking datagram that starts a flow answers nothing
   */
  static int decide(DecodedPacket p, int sp, int dp, boolean heard) {
    boolean reverse;
    InitiatorRule rule;
    int extra = 0;
    if (p.isTcp()) {
      int fl = p.tcpFlags & (TcpFlags.SYN | TcpFlags.ACK);
      if (fl == TcpFlags.SYN) {
        reverse = false;
        rule = InitiatorRule.SYN;
      } else if (fl == (TcpFlags.SYN | TcpFlags.ACK)) {
        reverse = true;
        rule = InitiatorRule.SYN_ACK;
      } else {
        extra = MIDSTREAM;
        reverse = ServicePorts.looksLikeReply(sp, dp);
        rule =
            reverse || ServicePorts.looksLikeReply(dp, sp)
                ? InitiatorRule.PORTS
                : InitiatorRule.FIRST_PACKET;
      }
    } else if (p.icmpType >= 0) {
      // An echo reply seen without its request: the host that receives it pinged.
      reverse = Icmp.isEchoReply(p.proto, p.icmpType);
      rule =
          Icmp.isEcho(p.proto, p.icmpType) ? InitiatorRule.ICMP_ECHO : InitiatorRule.FIRST_PACKET;
    } else if (p.isUdp()) {
      // A datagram from a service port that answers no request heard is, to a firewall's
      // connection tracking, a new connection its sender opens (and a way out it must judge: a
      // compromised host sending from port 53 or 123). A DHCP server's unicast offer to a client
      // port follows a broadcast request of another flow, and stays a reply.
      reverse = ServicePorts.looksLikeReply(sp, dp) && !(heard && !ServicePorts.isDhcpClient(dp));
      rule = reverse ? InitiatorRule.PORTS : InitiatorRule.FIRST_PACKET;
    } else {
      reverse = false;
      rule = InitiatorRule.FIRST_PACKET;
    }
    if (reverse && rule != InitiatorRule.SYN_ACK && GroupAddress.is(p.dstHi, p.dstLo)) {
      // A broadcast or multicast address never sends, so it cannot have started the flow: a
      // reply-looking packet to one (a DHCP offer broadcast from port 67 to 68) starts it.
      reverse = false;
      rule = InitiatorRule.FIRST_PACKET;
    }
    return rule.ordinal() | (reverse ? REVERSE : 0) | extra;
  }

  static boolean reverse(int decision) {
    return (decision & REVERSE) != 0;
  }

  static boolean midstream(int decision) {
    return (decision & MIDSTREAM) != 0;
  }

  static InitiatorRule rule(int decision) {
    return RULES[decision & 0xff];
  }
}
