package dev.egret.testutil;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (root, system tools, the shared captures). Locally a missing
 * need skips the test with the reason; under {@code CI=true} it fails, since CI runs as root with
 * every tool that {@code scripts/test} installs. The one place that decides "skip or fail".
 */
public final class Requirements {
  private static final List<String> SYSTEM_PATH =
      List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin");

  private Requirements() {}

  public static boolean ci() {
    return "true".equals(System.getenv("CI"));
  }

  /** True when this process runs with user id 0. */
  public static boolean root() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[1].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** The executable's path on PATH or in the system directories, or null. */
  public static String which(String tool) {
    List<String> dirs =
        new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(SYSTEM_PATH);
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return Path.of(dir, tool).toString();
      }
    }
    return null;
  }

  /** The named tools that are not installed. */
  public static List<String> missing(String... tools) {
    List<String> out = new ArrayList<>();
    for (String t : tools) {
      if (which(t) == null) {
        out.add(t);
      }
    }
    return out;
  }

  /** Skips the test with {@code why}, or fails it under {@code CI=true}. */
  public static void unavailable(String why) {
    if (ci()) {
      fail(why + "; CI=true, so this is an error");
    }
    Assumptions.abort(why);
  }
}
