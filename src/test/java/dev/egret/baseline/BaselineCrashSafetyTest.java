package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that writes a baseline over and over ({@link CrashWriter}) at random moments (20
 * ms to three times a write after its first write): after each kill the file must read back as
 * exactly one of the two baselines it writes, never a torn mix. A kill between creating and
 * renaming the temporary file leaves that file behind ({@code .state.json.<random>.tmp}); it is
 * garbage, never read, and harmless beside the baseline.
 */
class BaselineCrashSafetyTest {
  private static final int KILLS = 10;
  private static final int SIZE = 3000;

  @Test
  void killedWriterLeavesOldOrNewFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("state.json");
    Baseline one = RandomBaselines.big(1, SIZE);
    Baseline two = RandomBaselines.big(2, SIZE);
    assertTrue(BaselineJson.toBytes(one).length > 1_000_000, "large enough to be cut mid-write");
    BaselineJson.write(file, two);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Random r = new Random(11);
    int sawOne = 0;
    int sawTwo = 0;
    long started = System.nanoTime();
    for (int k = 0; k < KILLS; k++) {
      Process p =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  CrashWriter.class.getName(),
                  file.toString(),
                  Integer.toString(SIZE))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String ready = out.readLine();
        assertTrue(ready != null && ready.startsWith("ready "), "child started: " + ready);
        int writeMs = Integer.parseInt(ready.substring(6));
        Thread.sleep(20 + r.nextInt(Math.max(281, 3 * writeMs)));
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child ended");
      } finally {
        p.destroyForcibly();
      }
      Baseline read = BaselineJson.read(file);
      if (read.equals(one)) {
        sawOne++;
      } else {
        assertEquals(two, read, "kill " + k + ": neither the old nor the new baseline");
        sawTwo++;
      }
    }
    assertEquals(KILLS, sawOne + sawTwo);
    System.out.printf(
        "crash test: %d kills, old %d, new %d, %d temporary files left, %.1f s%n",
        KILLS, sawTwo, sawOne, leftovers(dir), (System.nanoTime() - started) / 1e9);
  }

  /** Temporary files a kill left behind; anything else in the folder fails the test. */
  private static long leftovers(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      long n = 0;
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.equals("state.json")) {
          assertTrue(name.matches("\\.state\\.json\\..*\\.tmp"), name);
          n++;
        }
      }
      return n;
    }
  }
}
