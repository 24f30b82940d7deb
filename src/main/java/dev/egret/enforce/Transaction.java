package dev.egret.enforce;

import dev.egret.io.Escape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One {@code egret apply}, like iptables-apply: save what is loaded, check and load the new rules,
 * and put the old ones back unless someone confirms in time. Whatever fails, the kernel is left as
 * it was, or the result says that restoring failed too, with both errors.
 */
public final class Transaction {
  /** How an apply ended. */
  public enum Outcome {
    /** The new rules were confirmed and stay. */
    KEPT,
    /** No confirmation in time: the previous rules are back. */
    NOT_CONFIRMED,
    /** A tool failed or timed out (rules that do not check, a load that failed): rolled back. */
    TOOL_FAILED,
    /** Restoring the previous rules failed as well. */
    ROLLBACK_FAILED
  }

  /** The outcome and one line for the user (tools' output made safe for a terminal). */
  public record Result(Outcome outcome, String message) {}

  /** Asks whether to keep the loaded rules; false when no one says so in time. */
  @FunctionalInterface
  public interface Confirmation {
    boolean confirmed() throws InterruptedException;
  }

  private final Firewall firewall;
  private final Tools tools;

  public Transaction(Firewall firewall, Tools tools) {
    this.firewall = firewall;
    this.tools = tools;
  }

  /** Applies the rules {@code egret compile -o dir} wrote; the files must exist. */
  public Result apply(Path dir, Confirmation confirmation)
      throws IOException, InterruptedException {
    Path scratch = Files.createTempDirectory("egret-apply-");
    try {
      Firewall.Change change;
      try {
        change = firewall.prepare(dir, scratch, tools);
      } catch (ToolException e) {
        return failed(Outcome.TOOL_FAILED, e.getMessage());
      }
      try {
        runAll(change.checks());
      } catch (ToolException e) {
        return rollBack(change, e.getMessage(), e.getMessage());
      }
      try {
        runAll(change.load());
      } catch (ToolException e) {
        return rollBack(
            change, e.getMessage(), "loading failed, previous rules restored: " + e.getMessage());
      }
      if (confirmation.confirmed()) {
        return new Result(Outcome.KEPT, "confirmed, new rules kept");
      }
      Result back = rollBack(change, "the new rules were not confirmed", null);
      return back != null ? back : new Result(Outcome.NOT_CONFIRMED, "previous rules restored");
    } finally {
      deleteTree(scratch);
    }
  }

  /**
   * Restores; the result carries {@code done} when that worked (null: nothing to say beyond the
   * caller's), or both errors when it did not.
   */
  private Result rollBack(Firewall.Change change, String cause, String done) {
    for (List<String> c : change.restore()) {
      try {
        tools.run(c);
      } catch (ToolException e) {
        return failed(
            Outcome.ROLLBACK_FAILED,
            cause + "; restoring the previous rules failed too: " + e.getMessage());
      }
    }
    return done == null ? null : failed(Outcome.TOOL_FAILED, done);
  }

  private void runAll(List<List<String>> commands) {
    for (List<String> c : commands) {
      tools.run(c);
    }
  }

  private static Result failed(Outcome o, String message) {
    return new Result(o, Escape.forTerminal(message));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
