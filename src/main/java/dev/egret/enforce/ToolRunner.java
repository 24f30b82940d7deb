package dev.egret.enforce;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one firewall tool ({@code nft}, {@code iptables-restore}, {@code ipset}, ...) and gives back
 * its standard output, or throws {@link ToolException} with its error text. A tool never gets more
 * than the timeout: both output streams are read on their own threads while the runner waits, so a
 * tool that hangs, with or without writing, is killed (with its children) when time is up. A tool's
 * input is {@code /dev/null}.
 */
public final class ToolRunner implements Tools {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final List<String> prefix;
  private final Duration timeout;

  /**
   * @param prefix put before every command, e.g. {@code ip netns exec NAME}; empty for none
   * @param timeout the most one invocation may take
   */
  public ToolRunner(List<String> prefix, Duration timeout) {
    this.prefix = List.copyOf(prefix);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("tool timeout must be positive, not " + timeout);
    }
    this.timeout = timeout;
  }

  /** Runs tools inside the network namespace {@code netns} ({@code ip netns exec}); null: here. */
  public static ToolRunner in(String netns, Duration timeout) {
    if (netns != null && !isNamespaceName(netns)) {
      throw new IllegalArgumentException("not a network namespace name: " + netns);
    }
    return new ToolRunner(
        netns == null ? List.of() : List.of("ip", "netns", "exec", netns), timeout);
  }

  /** A plain namespace name: letters, digits and {@code _.-}, at most 64 (no path, no spaces). */
  public static boolean isNamespaceName(String name) {
    return name.matches("[A-Za-z0-9_.-]{1,64}");
  }

  /** Runs {@code cmd}; its standard output when it exits 0 within the timeout. */
  @Override
  public String run(List<String> cmd) {
    List<String> full = new ArrayList<>(prefix);
    full.addAll(cmd);
    String shown = String.join(" ", cmd);
    Process p;
    try {
      p =
          new ProcessBuilder(full)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new ToolException(shown + ": cannot start (" + e.getMessage() + ")");
    }
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    boolean done;
    try {
      done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      kill(p);
      Thread.currentThread().interrupt();
      throw new ToolException(shown + ": interrupted");
    }
    if (!done) {
      kill(p);
      throw new ToolException(shown + ": no answer within " + timeout.toSeconds() + " s, killed");
    }
    if (p.exitValue() != 0) {
      String e = err.join().trim().replace('\n', ' ');
      throw new ToolException(shown + " failed (exit " + p.exitValue() + "): " + e);
    }
    return out.join();
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads a stream to its end on a daemon thread of its own, so that a full pipe never blocks. */
  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
              }
            },
            "egret-tool-output");
    t.setDaemon(true);
    t.start();
    return f;
  }
}
