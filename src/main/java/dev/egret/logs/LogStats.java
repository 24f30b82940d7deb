package dev.egret.logs;

import java.util.Map;
import java.util.TreeMap;

/**
 * What reading one log file gave: rows, flows and names, what was skipped and why, malformed lines
 * (the first one kept with its line number for the one warning), and the time span of its flows.
 */
public final class LogStats {
  private final String file;
  private final LogFormat format;
  private long lines;
  private long flows;
  private long names;
  private long packets;
  private final Map<String, Long> skipped = new TreeMap<>();
  private long malformed;
  private String firstProblem;
  private String truncation;
  private long firstNs = Long.MAX_VALUE;
  private long lastNs = Long.MIN_VALUE;
  private String sensor = "";

  LogStats(String file, LogFormat format) {
    this.file = file;
    this.format = format;
  }

  void line() {
    lines++;
  }

  void flow(long startNs, long endNs, long pkts) {
    flows++;
    packets += pkts;
    firstNs = Math.min(firstNs, startNs);
    lastNs = Math.max(lastNs, endNs);
  }

  void name() {
    names++;
  }

  void skip(String why) {
    // Event type names come from the file: a hostile one could make the map grow without end.
    String k = skipped.size() >= 32 && !skipped.containsKey(why) ? "other" : why;
    skipped.merge(k, 1L, Long::sum);
  }

  /** A line that could not be read; the first is kept for the warning. */
  void malformed(long line, String what) {
    malformed++;
    if (firstProblem == null) {
      firstProblem = file + ":" + line + ": " + what;
    }
  }

  void truncated(String why) {
    truncation = file + ": " + why;
  }

  void sensor(String s) {
    if (sensor.isEmpty() && s != null && !s.isEmpty()) {
      sensor = s.length() > 64 ? s.substring(0, 64) : s;
    }
  }

  /** The file name as given. */
  public String file() {
    return file;
  }

  public LogFormat format() {
    return format;
  }

  public long lines() {
    return lines;
  }

  public long flows() {
    return flows;
  }

  public long names() {
    return names;
  }

  /** Packets behind the flows, both directions (the logs' packet counts). */
  public long packets() {
    return packets;
  }

  /** Rows or events not used, by reason (tunnelled, icmp-error, other log types, event types). */
  public Map<String, Long> skipped() {
    return Map.copyOf(skipped);
  }

  public long malformed() {
    return malformed;
  }

  /**
   * The one warning for this file, or null: the first malformed line ({@code file:line: what}), the
   * count of the others, and a truncation.
   */
  public String warning() {
    String w = null;
    if (firstProblem != null) {
      w =
          firstProblem
              + (malformed > 1
                  ? "; " + malformed + " malformed lines skipped (first shown)"
                  : "; line skipped");
    }
    if (truncation != null) {
      w = w == null ? truncation : w + "; " + truncation;
    }
    return w;
  }

  /** First flow start, or 0 when there were no flows. */
  public long firstNs() {
    return flows == 0 ? 0 : firstNs;
  }

  /** Last flow end, or 0 when there were no flows. */
  public long lastNs() {
    return flows == 0 ? 0 : lastNs;
  }

  /** The sensor that wrote the log (EVE {@code host}, Zeek {@code _node_name}), or "". */
  public String sensor() {
    return sensor;
  }
}
