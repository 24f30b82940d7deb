package dev.egret.flow;

import dev.egret.net.Ip;

/** Addresses that name a group of hosts rather than one, so never send and never initiate. */
public final class GroupAddress {
  private GroupAddress() {}

  /** IPv4 limited broadcast or multicast (RFC 5771), IPv6 multicast (RFC 4291 2.7). */
  public static boolean is(long hi, long lo) {
    if (Ip.isV4(hi, lo)) {
      int v4 = (int) lo;
      return v4 == -1 || (v4 >>> 28) == 0xe;
    }
    return (hi >>> 56) == 0xff;
  }
}
