package dev.egret.baseline;

import java.util.List;

/**
 * Flows of one internal host to one protocol and port that were counted but not kept per
 * destination: a scan, a crawler or a resolver touching more destinations than a baseline keeps
 * entries for ({@code fanout}), or flows learned after the entry table was full ({@code
 * entry-limit}). Nothing summarised is allowed by a policy; the summary says how much there was.
 *
 * @param host the internal host that initiated
 * @param protocol {@code tcp}, {@code udp}, {@code icmp}, {@code icmp6} or a protocol number
 * @param port destination port; for ICMP the type
 * @param reason {@code fanout} or {@code entry-limit}
 * @param flows flows summarised
 * @param answered of those, answered
 * @param unanswered of those, never answered
 * @param rejected of those, refused
 * @param firstSeenNs start of the first, ns since the epoch
 * @param lastSeenNs end of the last, ns since the epoch
 * @param lowest the lowest destination address summarised (with {@code highest}, the spread)
 * @param highest the highest destination address summarised
 * @param sample the first destinations summarised, at most {@value #SAMPLE}, sorted
 */
public record SummaryRecord(
    String host,
    String protocol,
    int port,
    String reason,
    long flows,
    long answered,
    long unanswered,
    long rejected,
    long firstSeenNs,
    long lastSeenNs,
    String lowest,
    String highest,
    List<String> sample) {
  public static final int SAMPLE = 8;
  public static final String FANOUT = "fanout";
  public static final String ENTRY_LIMIT = "entry-limit";

  public SummaryRecord {
    if (host == null || protocol == null || reason == null || lowest == null || highest == null) {
      throw new BaselineException(
          "summary record needs host, protocol, reason, lowest and highest");
    }
    if (!reason.equals(FANOUT) && !reason.equals(ENTRY_LIMIT)) {
      throw new BaselineException("summary reason must be fanout or entry-limit: " + reason);
    }
    if (port < 0 || port > 65535) {
      throw new BaselineException("summary port out of range: " + port);
    }
    if (flows < 0 || answered < 0 || unanswered < 0 || rejected < 0) {
      throw new BaselineException("summary counts must not be negative");
    }
    sample = List.copyOf(sample == null ? List.of() : sample);
    if (sample.size() > SAMPLE) {
      throw new BaselineException("summary sample over " + SAMPLE + " destinations");
    }
  }

  /** The key summaries are merged on. */
  public String key() {
    return host + " " + protocol + " " + port + " " + reason;
  }
}
