package dev.egret.logs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Zeek uids of connections found inside tunnels, so that the dns, ssl, http and quic rows of
 * those connections (which carry no {@code tunnel_parents} of their own) are skipped as their
 * conn.log rows are: egret does not decapsulate, so it names only outer flows. Bounded: the oldest
 * {@value #MAX} are kept, which covers far more than the time between a connection's conn.log row
 * and its other rows in any log rotation.
 */
final class TunnelledUids {
  static final int MAX = 100_000;

  private final Map<String, Boolean> uids =
      new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
          return size() > MAX;
        }
      };

  void add(String uid) {
    if (uid != null && !uid.isEmpty() && !uid.equals("-")) {
      uids.put(uid, Boolean.TRUE);
    }
  }

  boolean contains(String uid) {
    return uid != null && uids.containsKey(uid);
  }

  boolean isEmpty() {
    return uids.isEmpty();
  }
}
