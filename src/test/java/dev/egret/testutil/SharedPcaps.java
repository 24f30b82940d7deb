package dev.egret.testutil;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The public captures in {@code ../shared/pcaps}. A user's clone does not have them: tests that
 * need them are skipped there with the reason. In CI ({@code CI=true}) they must run, so a missing
 * folder fails the test instead.
 */
public final class SharedPcaps {
  private SharedPcaps() {}

  /** The folder, or a skip (fail under CI) when it is not there. */
  public static Path dir() {
    Path p = Path.of(System.getProperty("egret.shared", "../shared"), "pcaps");
    if (!Files.isDirectory(p)) {
      String why = "shared captures not found at " + p + " (tests against real captures need them)";
      Requirements.unavailable(why);
    }
    return p;
  }

  public static Path file(String relative) {
    Path p = dir().resolve(relative);
    if (!Files.isRegularFile(p)) {
      fail("missing shared capture " + p);
    }
    return p;
  }
}
