package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

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

  static boolean ci() {
    return "true".equals(System.getenv("CI"));
  }

  static boolean root() {
    try {
      return run(List.of("id", "-u"), null, 10).output().trim().equals("0");
    } catch (IOException e) {
      return false;
    }
  }

  static String find(String cmd) {
    for (String dir : PATH) {
      Path p = Path.of(dir, cmd);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  /** Skips (locally) or fails (CI) unless running as root with every named tool installed. */
  static void require(String... cmds) {
    List<String> missing = new ArrayList<>();
    for (String c : cmds) {
      if (find(c) == null) {
        missing.add(c);
      }
    }
    String why = null;
    if (!missing.isEmpty()) {
      why = "missing tools: " + String.join(", ", missing);
    } else if (!root()) {
      why = "needs root (network namespaces)";
    }
    if (why != null) {
      if (ci()) {
        fail(why + " (CI=true: the tools and root are expected)");
      }
      Assumptions.abort(why);
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
