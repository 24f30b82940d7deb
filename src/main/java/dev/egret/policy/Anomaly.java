package dev.egret.policy;

import java.util.List;

/**
 * A suspicious pattern: never allowed, always shown.
 *
 * @param kind {@code unanswered}, {@code periodic-unanswered}, {@code periodic}, {@code port-scan}
 *     or {@code late-new}
 * @param host source host
 * @param destinations destination addresses involved (bounded sample for scans)
 * @param protocol protocol name
 * @param port destination port or ICMP type
 * @param detail what was seen, in words (e.g. "every 30 s, 2880 attempts, never answered")
 * @param evidence the numbers
 * @param id what a decision about it is keyed by ({@link DecisionId}); null in files written before
 *     decisions
 */
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"id"})
public record Anomaly(
    String kind,
    String host,
    List<String> destinations,
    String protocol,
    int port,
    String detail,
    Evidence evidence,
    String id) {
  public Anomaly {
    destinations = List.copyOf(destinations == null ? List.of() : destinations);
  }

  public Anomaly(
      String kind,
      String host,
      List<String> destinations,
      String protocol,
      int port,
      String detail,
      Evidence evidence) {
    this(kind, host, destinations, protocol, port, detail, evidence, null);
  }

  Anomaly withDetail(String d) {
    return new Anomaly(kind, host, destinations, protocol, port, d, evidence, id);
  }
}
