package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The join of name rows to tunnelled conn.log rows keeps a time window and a hard cap, and counts
 * what it drops and the rows that came too late for it.
 */
class TunnelJoinTest {
  private static final long S = 1_000_000_000L;
  private static final long T0 = 1_700_000_000L * S;

  @Test
  void thirtyDaysOfTunnelsKeepTwoHoursAndEveryJoinWithinThemIsFound() {
    TunnelJoin j = new TunnelJoin(false);
    int max = 0;
    int n = 30 * 24 * 360; // one tunnelled connection every 10 s for 30 days
    for (int i = 0; i < n; i++) {
      long t = T0 + i * 10 * S;
      j.tunnelled("C" + i, t);
      max = Math.max(max, j.size());
      // Its dns row, a minute later in the log, and one of the connection an hour before.
      assertTrue(j.isTunnelled("C" + i, t + 60 * S));
      if (i >= 360) {
        assertTrue(j.isTunnelled("C" + (i - 360), t - 3600 * S), "connection " + (i - 360));
      }
      assertFalse(j.isTunnelled("D" + i, t)); // a connection that was not tunnelled
    }
    assertEquals(721, max); // 2 h of connections every 10 s, both ends included
    assertEquals(n - j.size(), j.evicted());
    assertEquals(2L * n - 360, j.joined());
    assertEquals(0, j.late(), "rows after the newest dropped connection are not late");

    // A row of a connection dropped 3 hours ago: not found, and counted.
    assertFalse(j.isTunnelled("C0", T0));
    assertFalse(j.isTunnelled("C" + (n - 3 * 360), T0 + (n - 3 * 360) * 10 * S));
    assertEquals(2, j.late());
  }

  @Test
  void theCapHoldsWhenConnectionsComeFasterThanTheWindowEmpties() {
    TunnelJoin j = new TunnelJoin(false, TunnelJoin.WINDOW_NANOS, 1000);
    for (int i = 0; i < 50_000; i++) {
      j.tunnelled("C" + i, T0 + i * S / 1000); // 50,000 in 50 s
      assertTrue(j.size() <= 1000);
    }
    assertEquals(1000, j.size());
    assertEquals(49_000, j.evicted());
    assertTrue(j.isTunnelled("C49999", T0 + 50 * S));
    assertFalse(j.isTunnelled("C48999", T0 + 48_999 * S / 1000)); // dropped by the cap
    assertEquals(1, j.late());
  }

  @Test
  void decapsulatingKeepsNothingAndSkipsNothing() {
    TunnelJoin j = new TunnelJoin(true);
    j.tunnelled("C1", T0);
    assertFalse(j.skipsTunnelled());
    assertFalse(j.isTunnelled("C1", T0));
    assertEquals(0, j.size());
  }

  @Test
  void namesOfLoggerRotationsJoinTheirOwnHourAndTheCacheDropsOldHours() {
    // Four hourly rotations, each with a tunnelled connection and its dns row: read rotation by
    // rotation, conn first, every dns row finds its connection in a 2-hour window.
    Recorder r = new Recorder();
    LogFiles session = new LogFiles(r, r);
    for (int h = 0; h < 4; h++) {
      String ts = (1_700_000_000L + h * 3600 + 600) + ".000000";
      String conn =
          ZeekLines.HEADER
              + ZeekLines.FIELDS
              + ZeekLines.row(
                  "T" + h,
                  ts,
                  "10.0.0.1",
                  "40000",
                  "10.9.9.9",
                  "53",
                  "udp",
                  "-",
                  "0.1",
                  "SF",
                  "Dd",
                  "1",
                  "60",
                  "1",
                  "90",
                  "CP" + h);
      String dns =
          "#separator \\x09\n#path\tdns\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h"
              + "\tid.resp_p\tquery\trcode\tanswers\tTTLs\n"
              + ZeekLines.row(
                  ts,
                  "T" + h,
                  "10.0.0.1",
                  "40000",
                  "10.9.9.9",
                  "53",
                  "inner.example",
                  "0",
                  "10.9.9.10",
                  "60.0");
      Map<String, Long> skipped = read(session, conn).skipped();
      assertEquals(Map.of("tunnelled", 1L), skipped);
      assertEquals(Map.of("tunnelled", 1L), read(session, dns).skipped(), "hour " + h);
    }
    assertEquals(java.util.List.of(), r.names);
    assertEquals(1, session.joinEvictions()); // hour 0's connection, once hour 3's was read
    assertEquals(0, session.lateJoins());
  }

  private static LogStats read(LogFiles session, String text) {
    try {
      return session.read(
          new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          "log",
          LogFormat.ZEEK);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
