package dev.egret.baseline;

import dev.egret.flow.FlowKey;
import dev.egret.net.Ip;
import dev.egret.net.Protocols;

/**
 * Traffic that is not egress to a destination: broadcast, multicast, link-local and neighbour
 * discovery. It is counted apart and not learned unless the config asks for it.
 */
final class Chatter {
  private Chatter() {}

  static boolean is(FlowKey k) {
    return is(k.initHi(), k.initLo(), k.initPort(), k.respHi(), k.respLo(), k.proto());
  }

  /** {@link #is(FlowKey)} of a key's fields. */
  static boolean is(long initHi, long initLo, int initPort, long hi, long lo, int proto) {
    if (Ip.isV4(hi, lo)) {
      int v4 = (int) lo;
      int top = (v4 >>> 24) & 0xff;
      return (top >= 224 && top <= 239) // RFC 5771 multicast
          || v4 == -1 // limited broadcast 255.255.255.255
          || (v4 >>> 16) == 0xa9fe // RFC 3927 169.254.0.0/16
          || unspecified(initHi, initLo);
    }
    int first16 = (int) (hi >>> 48);
    if ((first16 & 0xff00) == 0xff00 // RFC 4291 2.7 multicast ff00::/8
        || (first16 & 0xffc0) == 0xfe80 // link-local fe80::/10
        || unspecified(initHi, initLo)) {
      return true;
    }
    // RFC 4861: router and neighbour solicitations/advertisements, redirects.
    return proto == Protocols.ICMPV6 && initPort >= 133 && initPort <= 137;
  }

  private static boolean unspecified(long hi, long lo) {
    return (hi == 0 && lo == 0) || (hi == 0 && lo == Ip.V4_MAPPED_PREFIX);
  }
}
