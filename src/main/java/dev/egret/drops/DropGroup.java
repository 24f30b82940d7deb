package dev.egret.drops;

import java.util.List;

/**
 * Blocked attempts of one host to one destination, protocol and port (and user, when logged).
 *
 * @param host the sending host
 * @param destination where it tried to go
 * @param protocol protocol name
 * @param port destination port or ICMP type
 * @param uid the sending user, or -1 when not logged
 * @param count attempts
 * @param firstNs first attempt (see {@link DropEvent#timeNs})
 * @param lastNs last attempt
 * @param uptime true when the times count from boot
 * @param meanIntervalSeconds mean time between attempts, in time order; 0 below two attempts
 * @param variation spread of those intervals (standard deviation / mean); NaN below three attempts
 * @param names names the baseline knows for the destination, most seen first
 */
public record DropGroup(
    String host,
    String destination,
    String protocol,
    int port,
    int uid,
    long count,
    long firstNs,
    long lastNs,
    boolean uptime,
    double meanIntervalSeconds,
    double variation,
    List<String> names) {
  /** At least this many attempts with intervals this regular: a retry loop or a beacon. */
  public static final int PERIODIC_MIN = 5;

  public static final double PERIODIC_MAX_VARIATION = 0.2;

  public DropGroup {
    names = List.copyOf(names == null ? List.of() : names);
  }

  public boolean periodic() {
    return count >= PERIODIC_MIN && !Double.isNaN(variation) && variation <= PERIODIC_MAX_VARIATION;
  }
}
