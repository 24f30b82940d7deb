package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropsCommandTest {
  @TempDir Path dir;

  Path log() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      lines.add(
          String.format(
              "2026-11-29T20:0%d:%02d+0000 gw kernel: egret-drop IN= OUT=eth0 SRC=10.20.0.10"
                  + " DST=10.20.1.99 LEN=60 PROTO=TCP SPT=4000%d DPT=25 SYN URGP=0 UID=33 GID=33",
              i / 2, (i % 2) * 30, i));
    }
    lines.add(
        "2026-11-29T20:09:00+0000 gw kernel: egret-drop IN= OUT=eth0 SRC=10.20.0.10 DST=10.20.0.2 PROTO=UDP SPT=5 DPT=53");
    lines.add("2026-11-29T20:09:01+0000 gw kernel: egret-drop truncated SRC=10.20.0.10");
    lines.add("2026-11-29T20:09:02+0000 gw sshd[7]: unrelated");
    return Files.write(dir.resolve("kern.log"), lines);
  }

  @Test
  void csvGroupsWithCountsTimesAndTheRetryInterval() throws Exception {
    Cli c = Cli.run("drops", log().toString(), "--format", "csv").ok();
    assertEquals(
        "host,uid,destination,protocol,port,attempts,first,last,interval_s,periodic,names\n"
            + "10.20.0.10,33,10.20.1.99,tcp,25,6,2026-11-29T20:00:00Z,2026-11-29T20:02:30Z,30.0,true,\n"
            + "10.20.0.10,,10.20.0.2,udp,53,1,2026-11-29T20:09:00Z,2026-11-29T20:09:00Z,0.0,false,\n",
        c.out());
    assertEquals(
        "egret: drops: 7 blocked attempts in 2 groups from 1 host; 1 lines with the prefix lacked"
            + " SRC= or DST=\n",
        c.err());
  }

  @Test
  void namesComeFromTheBaselineAndTheTableMarksTheLoop() throws Exception {
    Path b = dir.resolve("b.json");
    Cli.run("learn", "captures/webserver.pcapng", "-b", b.toString()).ok();
    Cli c = Cli.run("drops", log().toString(), "--baseline", b.toString()).ok();
    String[] lines = c.out().split("\n");
    assertEquals(3, lines.length, c.out());
    assertEquals(true, lines[0].startsWith("host "), lines[0]);
    // The capture's host 10.20.0.10 reached 10.20.1.99 under backup.example.net.
    assertEquals(
        true,
        lines[1].matches(
            "10\\.20\\.0\\.10 +33 10\\.20\\.1\\.99 .* every 30 s +backup\\.example\\.net"),
        lines[1]);
  }

  /**
   * A box retrying port 25 every 30 s, each try a new connection whose SYN the kernel logs again
   * when the sender retransmits it 1 and 3 s later (same source port): 5 attempts every 30 s, not
   * 15 with intervals of 1, 2 and 27 s. UDP datagrams resent from one port are all kept.
   */
  @Test
  void retransmittedSynsAreOneAttemptAndTheLoopStaysPeriodic() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      for (int retry : new int[] {0, 1, 3}) {
        int s = i * 30 + retry;
        lines.add(
            String.format(
                "2026-11-29T20:%02d:%02d+0000 gw kernel: egret-drop IN= OUT=eth0 SRC=10.20.0.10"
                    + " DST=10.20.1.99 LEN=60 PROTO=TCP SPT=4100%d DPT=25 SYN URGP=0",
                s / 60, s % 60, i));
      }
    }
    for (int s = 0; s < 3; s++) {
      lines.add(
          String.format(
              "2026-11-29T21:00:%02d+0000 gw kernel: egret-drop IN= OUT=eth0 SRC=10.20.0.10"
                  + " DST=10.20.1.98 LEN=40 PROTO=UDP SPT=5000 DPT=4444",
              s * 10));
    }
    Path f = Files.write(dir.resolve("retries.log"), lines);
    Cli c = Cli.run("drops", f.toString(), "--format", "csv").ok();
    assertEquals(
        "host,uid,destination,protocol,port,attempts,first,last,interval_s,periodic,names\n"
            + "10.20.0.10,,10.20.1.99,tcp,25,5,2026-11-29T20:00:00Z,2026-11-29T20:02:00Z,30.0,true,\n"
            + "10.20.0.10,,10.20.1.98,udp,4444,3,2026-11-29T21:00:00Z,2026-11-29T21:00:20Z,10.0,false,\n",
        c.out());
    assertEquals(
        "egret: drops: 8 blocked attempts in 2 groups from 1 host; 10 retransmitted SYNs counted"
            + " with their attempts\n",
        c.err());
    java.io.InputStream stdin = System.in;
    try {
      System.setIn(Files.newInputStream(f));
      Cli follow = Cli.run("drops", "-", "--follow", "--format", "csv").ok();
      assertEquals(8, follow.out().split("\n").length, follow.out());
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void jsonLines() throws Exception {
    Cli c = Cli.run("drops", log().toString(), "--format", "json").ok();
    assertEquals(
        "{\"host\":\"10.20.0.10\",\"uid\":33,\"destination\":\"10.20.1.99\",\"protocol\":\"tcp\","
            + "\"port\":25,\"attempts\":6,\"first\":\"2026-11-29T20:00:00Z\","
            + "\"last\":\"2026-11-29T20:02:30Z\",\"interval_s\":30.0,\"periodic\":true,\"names\":[]}",
        c.out().split("\n")[0]);
  }

  @Test
  void followPrintsEachAttemptAsItIsRead() throws Exception {
    java.io.InputStream stdin = System.in;
    try {
      System.setIn(Files.newInputStream(log()));
      Cli c = Cli.run("drops", "-", "--follow", "--format", "csv").ok();
      String[] lines = c.out().split("\n");
      assertEquals(7, lines.length, c.out());
      assertEquals("2026-11-29T20:00:00Z,10.20.0.10,33,10.20.1.99,tcp,25", lines[0]);
      assertEquals("2026-11-29T20:09:00Z,10.20.0.10,,10.20.0.2,udp,53", lines[6]);
    } finally {
      System.setIn(stdin);
    }
  }

  @Test
  void badUsageIsOneLineAndExitTwo() throws Exception {
    Cli missing = Cli.run("drops", dir.resolve("none.log").toString());
    assertEquals(2, missing.rc());
    assertEquals("egret: " + dir.resolve("none.log") + ": no such file\n", missing.err());
    Cli empty = Cli.run("drops", log().toString(), "--prefix", " ");
    assertEquals(2, empty.rc());
    assertEquals("egret: --prefix must not be empty\n", empty.err());
    Cli format = Cli.run("drops", log().toString(), "--format", "xml");
    assertEquals(2, format.rc());
    assertEquals(
        "egret: Invalid value for option '--format': expected one of [table, csv, json] (case-sensitive) but was 'xml'",
        format.err().split("\n")[0]);
    Cli two = Cli.run("drops", log().toString(), log().toString(), "--follow");
    assertEquals(2, two.rc());
    assertEquals("egret: --follow reads one log, not 2\n", two.err());
  }

  @Test
  void liveAndFileOptionsAreExclusiveAndForNeedsTheGroup() throws Exception {
    Cli none = Cli.run("drops");
    assertEquals(2, none.rc());
    assertEquals(
        "egret: give a LOG to read, or --log-group N to read an NFLOG group live\n", none.err());
    Cli both = Cli.run("drops", log().toString(), "--log-group", "5");
    assertEquals(2, both.rc());
    assertEquals(
        "egret: --log-group reads the group live: give no LOG files with it\n", both.err());
    Cli forOnly = Cli.run("drops", log().toString(), "--for", "5m");
    assertEquals(2, forOnly.rc());
    assertEquals("egret: --for applies to --log-group only\n", forOnly.err());
    Cli badGroup = Cli.run("drops", "--log-group", "70000");
    assertEquals(2, badGroup.rc());
    assertEquals(
        "egret: --log-group must be an NFLOG group from 0 to 65535, not 70000\n", badGroup.err());
    Cli badFor = Cli.run("drops", "--log-group", "5", "--for", "soon");
    assertEquals(2, badFor.rc());
    assertEquals(
        "egret: --for: not a duration: \"soon\" (expected e.g. 30s, 5m, 1h, 3d)\n", badFor.err());
  }

  @Test
  void aCaptureOfAnotherLinkTypeIsRefusedWithWhatToDo() {
    Cli c = Cli.run("drops", "captures/webserver.pcapng");
    assertEquals(2, c.rc());
    assertEquals(
        "egret: captures/webserver.pcapng: link type 1, not NFLOG (239): write it with tcpdump -i"
            + " nflog:N -w FILE\n",
        c.err());
  }

  @Test
  void aGzippedKernelLogIsReadLikeAPlainOne() throws Exception {
    Path gz = dir.resolve("kern.log.2.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(log()));
    }
    assertEquals(
        Cli.run("drops", log().toString(), "--format", "csv").ok().out(),
        Cli.run("drops", gz.toString(), "--format", "csv").ok().out());
  }
}
