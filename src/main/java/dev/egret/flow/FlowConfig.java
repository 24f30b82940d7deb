package dev.egret.flow;

/**
 * Flow tracker settings.
 *
 * @param tcpIdleNanos idle time after which a TCP flow ends
 * @param udpIdleNanos idle time after which a UDP flow (or other protocol) ends
 * @param icmpIdleNanos idle time after which an ICMP flow ends
 * @param closeLingerNanos how long a closed TCP flow stays to absorb its last packets
 * @param maxFlows table bound; past it the longest-idle flows are ended early (counted)
 * @param decapsulate whether the flows inside tunnels are tracked too, besides the tunnel's own
 */
public record FlowConfig(
    long tcpIdleNanos,
    long udpIdleNanos,
    long icmpIdleNanos,
    long closeLingerNanos,
    int maxFlows,
    boolean decapsulate) {
  /** The most flows a table can be asked to hold (about 5 GB of table at 104 bytes a slot). */
  public static final int MAX_FLOWS = 50_000_000;

  public FlowConfig {
    if (tcpIdleNanos <= 0 || udpIdleNanos <= 0 || icmpIdleNanos <= 0 || closeLingerNanos < 0) {
      throw new IllegalArgumentException("flow timeouts must be positive");
    }
    if (maxFlows < 16) {
      throw new IllegalArgumentException("max flows too small: " + maxFlows + " (minimum 16)");
    }
    if (maxFlows > MAX_FLOWS) {
      throw new IllegalArgumentException(
          "max flows too large: " + maxFlows + " (maximum " + MAX_FLOWS + ")");
    }
  }

  /** Settings without decapsulation. */
  public FlowConfig(
      long tcpIdleNanos,
      long udpIdleNanos,
      long icmpIdleNanos,
      long closeLingerNanos,
      int maxFlows) {
    this(tcpIdleNanos, udpIdleNanos, icmpIdleNanos, closeLingerNanos, maxFlows, false);
  }

  public static FlowConfig defaults() {
    return new FlowConfig(
        300_000_000_000L, 60_000_000_000L, 60_000_000_000L, 5_000_000_000L, 1 << 20);
  }

  public FlowConfig withMaxFlows(int n) {
    return new FlowConfig(
        tcpIdleNanos, udpIdleNanos, icmpIdleNanos, closeLingerNanos, n, decapsulate);
  }

  public FlowConfig withDecapsulate(boolean on) {
    return new FlowConfig(
        tcpIdleNanos, udpIdleNanos, icmpIdleNanos, closeLingerNanos, maxFlows, on);
  }
}
