package dev.egret.drops;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connection attempts from an audit log, one per connection. An audit rule logs every packet of
 * conntrack state NEW, and a connection stays NEW until something answers it: a SYN retransmitted
 * after 1, 3, 7, 15, 31 and 63 s (Linux's {@code tcp_syn_retries} 6) is logged each time, as is a
 * UDP datagram resent before the first one was answered. So packets of one 5-tuple (host, source
 * port, destination, port, protocol) and user within {@value #WINDOW_SECONDS} s of its first logged
 * packet are one attempt; the same 5-tuple later is a new one (a source port reused, a UDP client
 * on a fixed port polling again).
 *
 * <p>Memory: a 5-tuple is forgotten once a packet {@value #WINDOW_SECONDS} s younger has been read
 * (logs are in time order, nearly); at most {@value #MAX_OPEN} are held, the oldest going first.
 */
public final class Attempts {
  static final long WINDOW_SECONDS = 130;
  static final long WINDOW_NS = WINDOW_SECONDS * 1_000_000_000L;
  static final int MAX_OPEN = 1 << 20;

  /** First logged packet per 5-tuple and user, oldest first. */
  private final Map<String, Long> open = new LinkedHashMap<>();

  private long latest = Long.MIN_VALUE;
  private long repeats;

  /**
   * True when {@code e} starts an attempt, false when it repeats one (a retransmission). An event
   * without a source port (ICMP, a line without {@code SPT=}) always starts one.
   */
  public boolean starts(DropEvent e) {
    if (e.sourcePort() == 0) {
      return true;
    }
    latest = Math.max(latest, e.timeNs());
    String key =
        e.host()
            + " "
            + e.sourcePort()
            + " "
            + e.destination()
            + " "
            + e.port()
            + " "
            + e.protocol()
            + " "
            + e.uid();
    Long first = open.get(key);
    if (first != null && e.timeNs() >= first && e.timeNs() - first <= WINDOW_NS) {
      repeats++;
      return false;
    }
    open.remove(key);
    open.put(key, e.timeNs());
    forget();
    return true;
  }

  private void forget() {
    Iterator<Map.Entry<String, Long>> it = open.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> oldest = it.next();
      if (open.size() <= MAX_OPEN && latest - oldest.getValue() <= WINDOW_NS) {
        return;
      }
      it.remove();
    }
  }

  /** Packets that repeated an attempt and were not counted as one. */
  public long repeats() {
    return repeats;
  }
}
