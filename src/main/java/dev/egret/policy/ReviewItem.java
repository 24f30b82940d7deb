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
 * @param id what a decision about it is keyed by ({@link DecisionId}); null in files written before
 *     decisions
 */
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"id"})
public record ReviewItem(
    String host,
    String destination,
    String protocol,
    int port,
    List<String> names,
    String reason,
    Evidence evidence,
    String id) {
  public ReviewItem {
    names = List.copyOf(names == null ? List.of() : names);
  }

  public ReviewItem(
      String host,
      String destination,
      String protocol,
      int port,
      List<String> names,
      String reason,
      Evidence evidence) {
    this(host, destination, protocol, port, names, reason, evidence, null);
  }

  ReviewItem withReason(String r) {
    return new ReviewItem(host, destination, protocol, port, names, r, evidence, id);
  }
}
