package dev.egret.drops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelLogParserTest {
  static final KernelLogParser P = new KernelLogParser("egret-drop ", 2026, ZoneOffset.UTC);

  static final String FIELDS =
      "egret-drop IN= OUT=eth0 SRC=10.0.0.5 DST=203.0.113.25 LEN=60 TOS=0x00 PREC=0x00 TTL=64"
          + " ID=54321 DF PROTO=TCP SPT=40000 DPT=25 WINDOW=64240 RES=0x00 SYN URGP=0";

  static long ns(String iso) {
    Instant t = Instant.parse(iso);
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  @Test
  void everyKernelLogFormHasItsTime() {
    record Case(String line, long ns, boolean uptime) {}
    long at = ns("2026-11-29T20:00:01Z");
    for (Case c :
        List.of(
            // /var/log/kern.log (rsyslog) and journalctl -k
            new Case("Nov 29 20:00:01 gw kernel: [ 1234.567890] " + FIELDS, at, false),
            new Case("Nov 29 20:00:01 gw kernel: " + FIELDS, at, false),
            // journalctl -k -o short-iso and short-iso-precise
            new Case("2026-11-29T20:00:01+0000 gw kernel: " + FIELDS, at, false),
            new Case(
                "2026-11-29T21:00:01.250000+01:00 gw kernel: " + FIELDS, at + 250_000_000L, false),
            // dmesg -T and plain dmesg
            new Case("[Sun Nov 29 20:00:01 2026] " + FIELDS, at, false),
            new Case("[ 1234.567890] " + FIELDS, 1_234_567_890_000L, true),
            new Case(FIELDS, 0, false))) {
      DropEvent e = P.parse(c.line());
      assertEquals(
          new DropEvent(c.ns(), c.uptime(), "10.0.0.5", "203.0.113.25", "tcp", 25, -1, 40000, 60),
          e,
          c.line());
    }
  }

  @Test
  void udpIcmpIpv6AndTheUser() {
    assertEquals(
        new DropEvent(0, false, "fd00::5", "2001:db8::1", "udp", 53, 33, 5353, 80),
        P.parse(
            "egret-drop IN= OUT=eth0 SRC=fd00:0::5 DST=2001:db8::1 LEN=80 TC=0 HOPLIMIT=64"
                + " FLOWLBL=0 PROTO=UDP SPT=5353 DPT=53 LEN=40 UID=33 GID=33"));
    assertEquals(
        new DropEvent(0, false, "10.0.0.6", "192.0.2.1", "icmp", 8, -1),
        P.parse("egret-drop IN= OUT=eth0 SRC=10.0.0.6 DST=192.0.2.1 PROTO=ICMP TYPE=8 CODE=0"));
    assertEquals(
        new DropEvent(0, false, "fd00::6", "2001:db8::2", "icmp6", 128, -1),
        P.parse("egret-drop SRC=fd00::6 DST=2001:db8::2 PROTO=ICMPv6 TYPE=128 CODE=0"));
    assertEquals("47", P.parse("egret-drop SRC=10.0.0.1 DST=192.0.2.9 PROTO=47").protocol());
  }

  @Test
  void otherLinesAndBrokenFieldsAreNotEvents() {
    assertFalse(P.matches("Nov 29 20:00:01 gw sshd[1]: Accepted publickey"));
    assertNull(P.parse("Nov 29 20:00:01 gw sshd[1]: Accepted publickey"));
    assertTrue(P.matches("Nov 29 20:00:01 gw kernel: egret-drop garbage"));
    assertNull(P.parse("Nov 29 20:00:01 gw kernel: egret-drop garbage"));
    assertNull(P.parse("egret-drop SRC=10.0.0.999 DST=192.0.2.1 PROTO=TCP DPT=25"));
    assertNull(P.parse("egret-drop SRC=<script> DST=192.0.2.1 PROTO=TCP DPT=25"));
    // A port out of range or not a number is kept as 0, the attempt still counted.
    assertEquals(0, P.parse("egret-drop SRC=10.0.0.1 DST=192.0.2.1 PROTO=TCP DPT=99999").port());
    assertEquals(0, P.parse("egret-drop SRC=10.0.0.1 DST=192.0.2.1 PROTO=TCP DPT=2$5").port());
    // Another prefix: lines of egret's audit rules are read only when asked for.
    KernelLogParser audit = new KernelLogParser("egret-audit ", 2026, ZoneOffset.UTC);
    assertNull(audit.parse(FIELDS));
  }

  @Test
  void aThirtySecondRetryLoopIsPeriodicAndAOneOffIsNot() {
    DropLog log = new DropLog();
    long t0 = ns("2026-11-29T20:00:00Z");
    // Lines out of order, as several log files may give them.
    for (int i = 11; i >= 0; i--) {
      log.add(
          new DropEvent(
              t0 + i * 30_000_000_000L + (i % 2) * 500_000_000L,
              false,
              "10.0.0.5",
              "203.0.113.25",
              "tcp",
              25,
              -1));
    }
    log.add(new DropEvent(t0, false, "10.0.0.6", "192.0.2.1", "tcp", 443, -1));
    log.add(new DropEvent(t0 + 1_000_000_000L, false, "10.0.0.6", "192.0.2.1", "tcp", 443, -1));
    log.add(new DropEvent(t0 + 900_000_000_000L, false, "10.0.0.6", "192.0.2.1", "tcp", 443, -1));
    List<DropGroup> groups = log.groups(null);
    assertEquals(2, groups.size());
    DropGroup loop = groups.get(0);
    assertEquals(12, loop.count());
    assertEquals(t0, loop.firstNs());
    assertEquals(t0 + 330_500_000_000L, loop.lastNs());
    assertEquals(30.05, loop.meanIntervalSeconds(), 0.01);
    assertTrue(loop.periodic());
    assertFalse(groups.get(1).periodic());
    assertEquals(15, log.attempts());
  }
}
