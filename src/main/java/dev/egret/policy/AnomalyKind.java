package dev.egret.policy;

/**
 * The kinds of anomaly, most hostile first: the policy lists anomalies in this order, and the docs
 * explain each ({@code PolicyDocTest} iterates this enum).
 */
public enum AnomalyKind {
  /** One host's unanswered attempts on one protocol and port reached many addresses. */
  PORT_SCAN("port-scan"),
  /** Many distinct long names under one domain asked by one host: data carried in DNS questions. */
  DNS_TUNNEL("dns-tunnel"),
  /** Unanswered attempts at a steady interval: a beacon, or a dead server retried. */
  PERIODIC_UNANSWERED("periodic-unanswered"),
  /** Answered connections to an outside address at most every 5 minutes, like clockwork. */
  PERIODIC("periodic"),
  /** Connection attempts to a destination that never answered. */
  UNANSWERED("unanswered"),
  /** An answered destination first seen at the end of the window, on that day only. */
  LATE_NEW("late-new");

  private final String id;

  AnomalyKind(String id) {
    this.id = id;
  }

  /** The spelling in the policy file. */
  public String id() {
    return id;
  }

  /** The kind spelled {@code id}; null for a kind this version does not know. */
  public static AnomalyKind of(String id) {
    for (AnomalyKind k : values()) {
      if (k.id.equals(id)) {
        return k;
      }
    }
    return null;
  }
}
