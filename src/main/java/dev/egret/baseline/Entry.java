package dev.egret.baseline;

import java.util.List;

/**
 * What one internal host did towards one destination, protocol and port over the learning window.
 *
 * @param host the internal host that initiated
 * @param destination the responder's address
 * @param protocol {@code tcp}, {@code udp}, {@code icmp}, {@code icmp6} or a protocol number
 * @param port destination port; for ICMP the type of the first message (8 for echo)
 * @param internalDestination true when the destination is inside (east-west traffic)
 * @param flows connections started
 * @param answered connections the destination answered
 * @param unanswered connections that got no reply at all
 * @param rejected connections refused (RST, ICMP unreachable)
 * @param packetsOut packets host to destination
 * @param bytesOut IP bytes host to destination
 * @param packetsIn packets destination to host
 * @param bytesIn IP bytes destination to host
 * @param firstSeenNs start of the first connection, ns since the epoch
 * @param lastSeenNs end of the last connection, ns since the epoch
 * @param days distinct UTC days (yyyy-MM-dd) with a connection, sorted
 * @param hours distinct UTC hours of the day (0-23) with a connection, sorted
 * @param gaps intervals measured between consecutive connection starts
 * @param gapSumMs sum of those intervals, milliseconds
 * @param gapSumSqMs sum of their squares, for the spread (periodic beacons have little); integer
 *     and saturating, so that merging stays exactly associative
 * @param uid the sending user on the host, known only from an audit log (the kernel's {@code UID=}
 *     or NFLOG's UID); null when unknown (packets and flow logs never say), which is the only value
 *     a baseline of schema 1.1 or older holds. Part of the key: the same destination reached by two
 *     users is two entries.
 */
public record Entry(
    String host,
    String destination,
    String protocol,
    int port,
    boolean internalDestination,
    long flows,
    long answered,
    long unanswered,
    long rejected,
    long packetsOut,
    long bytesOut,
    long packetsIn,
    long bytesIn,
    long firstSeenNs,
    long lastSeenNs,
    List<String> days,
    List<Integer> hours,
    long gaps,
    long gapSumMs,
    long gapSumSqMs,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Integer uid) {
  /** An entry without a user: what packets and flow logs give. */
  public Entry(
      String host,
      String destination,
      String protocol,
      int port,
      boolean internalDestination,
      long flows,
      long answered,
      long unanswered,
      long rejected,
      long packetsOut,
      long bytesOut,
      long packetsIn,
      long bytesIn,
      long firstSeenNs,
      long lastSeenNs,
      List<String> days,
      List<Integer> hours,
      long gaps,
      long gapSumMs,
      long gapSumSqMs) {
    this(
        host,
        destination,
        protocol,
        port,
        internalDestination,
        flows,
        answered,
        unanswered,
        rejected,
        packetsOut,
        bytesOut,
        packetsIn,
        bytesIn,
        firstSeenNs,
        lastSeenNs,
        days,
        hours,
        gaps,
        gapSumMs,
        gapSumSqMs,
        null);
  }

  public Entry {
    if (host == null || destination == null || protocol == null) {
      throw new BaselineException(
          "an entry needs host, destination and protocol; "
              + (host == null ? "host" : destination == null ? "destination" : "protocol")
              + " is missing");
    }
    if (port < 0 || port > 65535) {
      throw new BaselineException("port " + port + " out of range (0 to 65535)");
    }
    if (flows < 0 || answered < 0 || unanswered < 0 || rejected < 0) {
      throw new BaselineException(
          "flows, answered, unanswered and rejected must not be negative, found "
              + flows
              + ", "
              + answered
              + ", "
              + unanswered
              + ", "
              + rejected);
    }
    // A host, a protocol and a day recur across thousands of entries; read from a file each would
    // be a string of its own (a million entries held about 180 MB of copies).
    host = host.intern();
    protocol = protocol.intern();
    days = days == null ? List.of() : canonical(days);
    hours = List.copyOf(hours == null ? List.of() : hours);
  }

  private static List<String> canonical(List<String> days) {
    String[] a = new String[days.size()];
    boolean same = true;
    for (int i = 0; i < a.length; i++) {
      String d = days.get(i);
      a[i] = d == null ? null : d.intern();
      same &= a[i] == d;
    }
    return same ? List.copyOf(days) : List.of(a); // a shared list of interned days stays shared
  }

  /** Mean interval between connection starts, seconds; 0 when fewer than two. */
  public double meanGapSeconds() {
    return gaps == 0 ? 0 : gapSumMs / 1000.0 / gaps;
  }

  /** Coefficient of variation of the intervals (stddev / mean); 0 means perfectly periodic. */
  public double gapVariation() {
    if (gaps < 2 || gapSumMs == 0) {
      return Double.NaN;
    }
    double mean = (double) gapSumMs / gaps;
    double var = Math.max(0, gapSumSqMs / gaps - mean * mean);
    return Math.sqrt(var) / mean;
  }

  /** Addition that sticks at Long.MAX_VALUE instead of wrapping (both operands non-negative). */
  public static long saturatingAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }

  static long saturatingSquare(long ms) {
    return ms > 3_037_000_499L ? Long.MAX_VALUE : ms * ms;
  }

  /** The same entry under another spelling of its protocol ({@code icmp6} for {@code 58}). */
  public Entry withProtocol(String p) {
    return new Entry(
        host,
        destination,
        p,
        port,
        internalDestination,
        flows,
        answered,
        unanswered,
        rejected,
        packetsOut,
        bytesOut,
        packetsIn,
        bytesIn,
        firstSeenNs,
        lastSeenNs,
        days,
        hours,
        gaps,
        gapSumMs,
        gapSumSqMs,
        uid);
  }

  /**
   * Connections whose outcome is unknown: attempts read from an audit log, which shows the packet
   * that opened a connection but not whether anything answered it.
   */
  public long unknownOutcome() {
    return Math.max(0, flows - answered - unanswered - rejected);
  }

  /** The key entries are merged on; the user, when known, comes last. */
  public String key() {
    String k = host + " " + destination + " " + protocol + " " + port;
    return uid == null ? k : k + " " + uid;
  }
}
