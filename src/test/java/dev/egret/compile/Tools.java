package dev.egret.compile;

import dev.egret.testutil.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real firewall tools the tests drive. Locally a missing tool or missing root skips the test
 * with the reason; under {@code CI=true} it fails, since CI runs as root with the tools installed.
 */
final class Tools {
  private static final List<String> PATH =
      List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin");

  /** What a command did. */
  record Result(int exit, String output) {}

  private Tools() {}

  static String find(String cmd) {
    return Requirements.which(cmd);
  }

  /** Skips (locally) or fails (CI) unless running as root with every named tool installed. */
  static void require(String... cmds) {
    List<String> missing = Requirements.missing(cmds);
    if (!missing.isEmpty()) {
      Requirements.unavailable("missing tools: " + String.join(", ", missing));
    } else if (!Requirements.root()) {
      Requirements.unavailable("needs root (network namespaces)");
    }
  }

  static Result run(List<String> cmd, Path dir, int timeoutSeconds) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeoutSeconds + " s: " + cmd);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + cmd, e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.exitValue(), out);
  }

  /** Runs a shell script in a fresh network namespace of its own ({@code unshare -n}). */
  static Result inFreshNetns(String script, Path dir) throws IOException {
    return run(List.of("unshare", "-n", "sh", "-ec", script), dir, 120);
  }

  static void writeFiles(Path dir, java.util.Map<String, String> files) throws IOException {
    for (var e : files.entrySet()) {
      Path f = dir.resolve(e.getKey());
      Files.createDirectories(f.getParent());
      Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
    }
  }
}
