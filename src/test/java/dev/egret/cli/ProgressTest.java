package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
  long now;

  @Test
  void oneLineWithPercentRateAndTimeLeftRedrawnAtMostFourTimesASecond() {
    StringWriter sw = new StringWriter();
    Progress p = new Progress(new PrintWriter(sw), () -> now);
    p.begin("day1.pcap", 100L << 20);
    for (int i = 0; i < 4096; i++) {
      now = i * 10_000L; // 4096 packets in 41 ms: no redraw yet
      p.advance(1024);
    }
    assertEquals("", sw.toString());
    now = 2_000_000_000L;
    for (int i = 0; i < 4096; i++) {
      p.advance(1024);
    }
    assertEquals(
        "\r\033[Kegret: day1.pcap   8% 8.0 MiB of 100 MiB, 8192 packets, 4.0 MiB/s, 23 s left",
        sw.toString());
    p.end();
    assertEquals(
        "\r\033[Kegret: day1.pcap   8% 8.0 MiB of 100 MiB, 8192 packets, 4.0 MiB/s, 23 s left"
            + "\r\033[K",
        sw.toString());
  }

  @Test
  void withoutATotalNoPercentAndNoTimeLeft() {
    Progress p = new Progress(new PrintWriter(new StringWriter()), () -> now);
    p.begin("-", -1);
    now = 1_000_000_000L;
    p.advance(3 << 20);
    assertEquals("egret: - 3.0 MiB, 1 packets, 3.0 MiB/s", p.line(now));
  }

  @Test
  void offPrintsNothingAndWireTextIsEscaped() {
    StringWriter sw = new StringWriter();
    Progress.OFF.begin("x", 10);
    Progress.OFF.advance(5);
    Progress.OFF.step("y");
    Progress.OFF.end();
    assertFalse(Progress.OFF.on());
    Progress p = new Progress(new PrintWriter(sw), () -> now);
    p.step("reading a\033[2Jb.json");
    assertEquals("\r\033[Kegret: reading a\\u001b[2Jb.json (0.0 s)", sw.toString());
  }

  @Test
  void sizesOfPlainFilesOnlyCount(@TempDir Path dir) throws Exception {
    Path plain = Files.write(dir.resolve("a.pcap"), new byte[1234]);
    Path gz = dir.resolve("b.pcap");
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(new byte[5000]);
    }
    assertEquals(1234, Progress.sizeOf(plain.toString()));
    assertEquals(-1, Progress.sizeOf(gz.toString()));
    assertEquals(-1, Progress.sizeOf("-"));
    assertEquals(-1, Progress.sizeOf(dir.toString()));
  }

  @Test
  void aPipedRunShowsNoProgress() {
    Cli c = Cli.run("flows", "captures/webserver.pcapng").ok();
    assertFalse(c.err().contains("\r"), c.err());
  }
}
