package dev.egret.flow;

import dev.egret.net.Protocols;

/** ICMP (RFC 792) and ICMPv6 (RFC 4443, RFC 4861) message types as the flow stage needs them. */
public final class Icmp {
  private Icmp() {}

  /** Error messages quote the packet that caused them; they are not flows. */
  public static boolean isError(int proto, int type) {
    if (proto == Protocols.ICMPV6) {
      return type < 128; // RFC 4443 2.1: types 0-127 are errors
    }
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
  }

  static boolean isUnreachable(int proto, int type) {
    return proto == Protocols.ICMPV6 ? type == 1 : type == 3;
  }

  public static boolean isEcho(int proto, int type) {
    return proto == Protocols.ICMPV6 ? type == 128 || type == 129 : type == 8 || type == 0;
  }

  static boolean isEchoReply(int proto, int type) {
    return proto == Protocols.ICMPV6 ? type == 129 : type == 0;
  }

  /**
   * The type that answers {@code type} (and the reverse), so that a request and its reply share a
   * flow key, as Zeek keys ICMP: 8/0 echo, 13/14 timestamp, 15/16 information, 17/18 mask, 10/9
   * router; ICMPv6 128/129 echo, 133/134 router, 135/136 neighbour, 130/131 listener, 139/140 node
   * information, 144/145 home agent discovery (RFC 6275 6.5). A message with no answer (an MLDv2
   * report, 143) is one-way: like Zeek, its code stands in for the counterpart.
   */
  public static int counterpart(int proto, int type, int code) {
    if (proto == Protocols.ICMPV6) {
      return switch (type) {
        case 128 -> 129;
        case 129 -> 128;
        case 133 -> 134;
        case 134 -> 133;
        case 135 -> 136;
        case 136 -> 135;
        case 130 -> 131;
        case 131 -> 130;
        case 139 -> 140;
        case 140 -> 139;
        case 144 -> 145;
        case 145 -> 144;
        default -> code;
      };
    }
    return switch (type) {
      case 8 -> 0;
      case 0 -> 8;
      case 13 -> 14;
      case 14 -> 13;
      case 15 -> 16;
      case 16 -> 15;
      case 17 -> 18;
      case 18 -> 17;
      case 10 -> 9;
      case 9 -> 10;
      default -> code;
    };
  }
}
