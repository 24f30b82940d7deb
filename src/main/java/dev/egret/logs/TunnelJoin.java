package dev.egret.logs;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Joins the dns, ssl, http and quic rows of a Zeek log to their conn.log rows by {@code uid}, to
 * skip the names of connections Zeek found inside a tunnel (their conn.log row has {@code
 * tunnel_parents}; the other rows carry no mark of their own), as their flows are skipped. Only
 * those connections are kept, each with its start time, and memory stays bounded on months of logs:
 *
 * <ul>
 *   <li>A time window: a connection is dropped once a conn.log row starting {@link #window} later
 *       has been read. Logs are read rotation by rotation, conn.log first ({@link
 *       LogFiles#readOrder}), so a connection's other rows, which Zeek writes while it is open,
 *       come within the hour or two after its conn.log row.
 *   <li>A hard cap of {@link #cap} connections; past it the oldest is dropped.
 * </ul>
 *
 * Both are counted ({@link #evicted}). A name row that starts no later than the newest connection
 * dropped may have lost its join: those rows are counted ({@link #late}), read as not tunnelled.
 * With {@code --decapsulate} nothing is kept or skipped: the flows inside tunnels are learned.
 */
final class TunnelJoin {
  static final long WINDOW_NANOS = 2 * 3_600_000_000_000L;
  static final int CAP = 100_000;

  private final boolean decapsulate;
  private final long window;
  private final int cap;
  private final LinkedHashMap<String, Long> starts = new LinkedHashMap<>();
  private long newest = Long.MIN_VALUE;
  private long horizon = Long.MIN_VALUE;
  private long evicted;
  private long late;
  private long joined;

  TunnelJoin(boolean decapsulate) {
    this(decapsulate, WINDOW_NANOS, CAP);
  }

  TunnelJoin(boolean decapsulate, long window, int cap) {
    this.decapsulate = decapsulate;
    this.window = window;
    this.cap = cap;
  }

  /** Whether rows inside tunnels are skipped: unless decapsulating. */
  boolean skipsTunnelled() {
    return !decapsulate;
  }

  /** The conn.log row of connection {@code uid}, starting at {@code startNs}, was tunnelled. */
  void tunnelled(String uid, long startNs) {
    if (decapsulate || uid == null || uid.isEmpty() || uid.equals("-")) {
      return;
    }
    starts.put(uid, startNs);
    newest = Math.max(newest, startNs);
    Iterator<Map.Entry<String, Long>> it = starts.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> oldest = it.next();
      if (starts.size() <= cap && oldest.getValue() >= newest - window) {
        break;
      }
      horizon = Math.max(horizon, oldest.getValue());
      it.remove();
      evicted++;
    }
  }

  /**
   * Whether the name row of {@code uid}, starting at {@code startNs}, belongs to a tunnelled
   * connection and is to be skipped.
   */
  boolean isTunnelled(String uid, long startNs) {
    if (decapsulate || uid == null) {
      return false;
    }
    if (starts.containsKey(uid)) {
      joined++;
      return true;
    }
    if (startNs <= horizon) {
      late++;
    }
    return false;
  }

  /** Nothing kept: a name row needs no join. */
  boolean isEmpty() {
    return starts.isEmpty() && evicted == 0;
  }

  /** Connections kept now. */
  int size() {
    return starts.size();
  }

  /** Connections dropped, by the time window or the cap. */
  long evicted() {
    return evicted;
  }

  /** Name rows that started no later than a dropped connection: their join may be lost. */
  long late() {
    return late;
  }

  /** Name rows joined to a tunnelled connection (and skipped). */
  long joined() {
    return joined;
  }
}
