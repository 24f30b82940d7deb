package dev.egret.baseline;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Child process for {@link BaselineCrashSafetyTest}: writes two large baselines to one file in
 * turn, forever, printing {@code ready} after the first write so the parent knows writing has
 * started. Arguments: the file, the number of random baselines merged into each.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    int size = Integer.parseInt(args[1]);
    Baseline[] content = {RandomBaselines.big(1, size), RandomBaselines.big(2, size)};
    for (long i = 0; ; i++) {
      long t = System.nanoTime();
      BaselineJson.write(file, content[(int) (i & 1)]);
      if (i == 0) {
        System.out.println("ready " + (System.nanoTime() - t) / 1_000_000);
        System.out.flush();
      }
    }
  }
}
