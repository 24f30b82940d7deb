package dev.egret.flow;

import dev.egret.net.Ip;
import dev.egret.net.Protocols;

/**
 * A connection, stored initiator to responder. Addresses are 128-bit (IPv4-mapped for IPv4, see
 * {@link Ip}); for ICMP the ports hold the ICMP type of the first message and its counterpart (8
 * and 0 for an echo), as Zeek's conn.log does.
 */
public record FlowKey(
    long initHi, long initLo, int initPort, long respHi, long respLo, int respPort, int proto) {

  public FlowKey {
    if ((initPort | respPort) >>> 16 != 0) {
      throw new IllegalArgumentException(
          "port out of range: " + initPort + " -> " + respPort + " (expected 0-65535)");
    }
    if (proto >>> 8 != 0) {
      throw new IllegalArgumentException("protocol out of range: " + proto + " (expected 0-255)");
    }
  }

  /** Whether a key of these ports and protocol can be made (the constructor's checks). */
  public static boolean valid(int initPort, int respPort, int proto) {
    return (initPort | respPort) >>> 16 == 0 && proto >>> 8 == 0;
  }

  public String initiator() {
    return Ip.toString(initHi, initLo);
  }

  public String responder() {
    return Ip.toString(respHi, respLo);
  }

  /** "tcp", "udp", "icmp", "icmp6" or the protocol number. */
  public String protoName() {
    return Protocols.name(proto);
  }
}
