package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.DayPcap;
import dev.egret.io.LockHolder;
import dev.egret.io.WriterLock;
import dev.egret.testutil.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several egret processes on one baseline: no capture is lost, a second writer is refused with the
 * holder named, and Ctrl-C while reading writes nothing and says so.
 */
class ConcurrentWritersTest {
  @TempDir Path dir;

  private static ProcessBuilder egret(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Egret.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  private Path capture(int i) throws IOException {
    return new DayPcap()
        .tcp(
            "2024-03-04T10:00:0" + i + "Z",
            "10.1.0.10",
            40000 + i,
            "192.0.2." + (10 + i),
            443,
            null)
        .write(dir.resolve("day" + i + ".pcap"));
  }

  @Test
  void concurrentLearnsWithWaitLoseNoCapture() throws Exception {
    Path b = dir.resolve("baseline.json");
    int n = 4;
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ps.add(
          egret("learn", "--wait", "-b", b.toString(), capture(i).toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("out" + i + ".txt").toFile())
              .start());
    }
    for (int i = 0; i < n; i++) {
      assertTrue(ps.get(i).waitFor(60, TimeUnit.SECONDS), "learn " + i + " ended");
      assertEquals(0, ps.get(i).exitValue(), Files.readString(dir.resolve("out" + i + ".txt")));
    }
    Baseline after = BaselineJson.read(b);
    assertEquals(n, after.sources().size(), "every capture recorded");
    Set<String> dests = new TreeSet<>();
    after.entries().forEach(e -> dests.add(e.destination()));
    assertEquals(Set.of("192.0.2.10", "192.0.2.11", "192.0.2.12", "192.0.2.13"), dests);
  }

  @Test
  void learnIsRefusedWhileACaptureHoldsTheBaseline() throws Exception {
    Path b = dir.resolve("baseline.json");
    Cli.run("learn", "-b", b.toString(), capture(1).toString()).ok();
    byte[] before = Files.readAllBytes(b);
    Process holder = LockHolder.start(b, "egret capture");
    try {
      Cli c = Cli.run("learn", "-b", b.toString(), capture(2).toString());
      assertEquals(
          "egret: "
              + b
              + ": in use by PID "
              + holder.pid()
              + " (egret capture); try again when it ends, or add --wait to wait for it\n",
          c.err());
      assertEquals(ExitCodes.USAGE, c.rc());
      Cli m = Cli.run("baseline", "merge", b.toString(), b.toString(), "-o", b.toString());
      assertEquals(ExitCodes.USAGE, m.rc(), m.err());
      assertTrue(m.err().contains(" (egret capture); try again"), m.err());
      assertArrayEquals(before, Files.readAllBytes(b), "the baseline is untouched");
    } finally {
      holder.getOutputStream().close();
      holder.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void interruptedWhileReadingWritesNothingAndSaysSo() throws Exception {
    Path b = dir.resolve("baseline.json");
    Cli.run("learn", "-b", b.toString(), capture(1).toString()).ok();
    byte[] before = Files.readAllBytes(b);
    // learn from stdin, which stays open: it reads until interrupted.
    Process p =
        egret("learn", "-b", b.toString(), "-")
            .redirectError(dir.resolve("err.txt").toFile())
            .start();
    p.getOutputStream().write(Files.readAllBytes(capture(2)), 0, 24); // a pcap header only
    p.getOutputStream().flush();
    Path lock = WriterLock.lockFile(b);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.readString(lock).startsWith(p.pid() + " ")) {
      assertTrue(System.nanoTime() < deadline, "learn took the lock");
      Thread.sleep(20);
    }
    p.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hooks run
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(
        "egret: interrupted; nothing written, " + b + " is as it was\n",
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    assertArrayEquals(before, Files.readAllBytes(b));
    try (var s = Files.list(dir)) {
      assertEquals(List.of(), s.filter(f -> f.toString().endsWith(".tmp")).toList());
    }
  }

  /** Starts {@code learn} from a stdin that stays open: it holds the lock until it is ended. */
  private Process learnHoldingTheLock(Path b) throws Exception {
    Process p =
        egret("learn", "-b", b.toString(), "-")
            .redirectError(dir.resolve("learn-err.txt").toFile())
            .start();
    p.getOutputStream().write(Files.readAllBytes(capture(2)), 0, 24); // a pcap header only
    p.getOutputStream().flush();
    awaitHolder(b, p, "egret learn");
    return p;
  }

  private static void awaitHolder(Path b, Process p, String command) throws Exception {
    Path lock = WriterLock.lockFile(b);
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.exists(lock) || !Files.readString(lock).startsWith(p.pid() + " " + command)) {
      assertTrue(p.isAlive(), command + " ended before taking the lock");
      assertTrue(System.nanoTime() < deadline, command + " took the lock");
      Thread.sleep(20);
    }
  }

  @Test
  void captureIsRefusedWhileALearnProcessHoldsTheBaseline() throws Exception {
    Path b = dir.resolve("baseline.json");
    Cli.run("learn", "-b", b.toString(), capture(1).toString()).ok();
    byte[] before = Files.readAllBytes(b);
    Process learn = learnHoldingTheLock(b);
    try {
      // Refused before any interface is opened: no root needed.
      Cli c = Cli.run("capture", "-i", "lo", "-b", b.toString(), "--duration", "1s");
      assertEquals(
          "egret: "
              + b
              + ": in use by PID "
              + learn.pid()
              + " (egret learn); try again when it ends, or add --wait to wait for it\n",
          c.err());
      assertEquals(ExitCodes.USAGE, c.rc());
      assertArrayEquals(before, Files.readAllBytes(b));
    } finally {
      learn.destroy();
      assertTrue(learn.waitFor(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void learnIsRefusedWhileARealCaptureRuns() throws Exception {
    if (!Requirements.root()) {
      Requirements.unavailable("capturing on lo needs root");
    }
    Path b = dir.resolve("baseline.json");
    Cli.run("learn", "-b", b.toString(), capture(1).toString()).ok();
    Process capture =
        egret(
                "capture",
                "-i",
                "lo",
                "-b",
                b.toString(),
                "--duration",
                "120s",
                "--status",
                "log",
                "--status-every",
                "1s")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("capture-out.txt").toFile())
            .start();
    try {
      awaitHolder(b, capture, "egret capture");
      Cli c = Cli.run("learn", "-b", b.toString(), capture(2).toString());
      assertEquals(
          "egret: "
              + b
              + ": in use by PID "
              + capture.pid()
              + " (egret capture); try again when it ends, or add --wait to wait for it\n",
          c.err());
      assertEquals(ExitCodes.USAGE, c.rc());
      // A status line says the capture runs (its signal handling is in place): stop it then. The
      // banner before it is printed before the signal handling is installed.
      Path out = dir.resolve("capture-out.txt");
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (Files.readAllLines(out).stream().noneMatch(l -> !l.contains("capturing on"))) {
        assertTrue(capture.isAlive() && System.nanoTime() < deadline, Files.readString(out));
        Thread.sleep(50);
      }
    } finally {
      capture.destroy(); // SIGTERM: the capture writes its last checkpoint and ends
      assertTrue(capture.waitFor(60, TimeUnit.SECONDS), "capture ended");
    }
    assertEquals(0, capture.exitValue(), Files.readString(dir.resolve("capture-out.txt")));
    // Its work and the first learn's are both in the baseline; the refused learn added nothing.
    Baseline after = BaselineJson.read(b);
    assertTrue(
        after.entries().stream().anyMatch(e -> e.destination().equals("192.0.2.11")),
        "the first learn's entry is kept");
    assertTrue(
        after.entries().stream().noneMatch(e -> e.destination().equals("192.0.2.12")),
        "the refused learn added nothing");
  }
}
