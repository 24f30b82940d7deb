package dev.egret.policy;

import java.util.List;

/**
 * Traffic seen but not allowed: below a threshold, for a person to decide.
 *
 * @param host source host
 * @param destination destination address
 * @param protocol protocol name
 * @param port destination port (TCP/UDP) or ICMP type
 * @param names names seen for the destination
 * @param reason which threshold it missed, in words
 * @param evidence what was seen
 */
public record ReviewItem(
    String host,
    String destination,
    String protocol,
    int port,
    List<String> names,
    String reason,
    Evidence evidence) {
  public ReviewItem {
    names = List.copyOf(names == null ? List.of() : names);
  }
}
