package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a namespace lab ({@link DnsLab}, {@link AnswerLab}) makes and starts: namespaces, and
 * processes run in them with their output in a log file of the lab's folder. {@link #close()} stops
 * every process and removes every namespace made here.
 */
final class LabProcesses implements AutoCloseable {
  /** A condition a started process is waited for. */
  interface Check {
    boolean ok() throws IOException;
  }

  private final Path dir;
  private final List<Process> started = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();

  LabProcesses(Path dir) {
    this.dir = dir;
  }

  /** Makes a namespace, removed by {@link #close()}. */
  void netns(String ns) throws IOException {
    namespaces.add(ns);
    ip("netns", "add", ns);
  }

  /** Starts {@code cmd} in namespace {@code ns}, its output to {@code log} in the lab's folder. */
  Process start(String ns, String log, String... cmd) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(cmd));
    Process p =
        new ProcessBuilder(full)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(log).toFile())
            .start();
    started.add(p);
    return p;
  }

  /** The processes started, in order. */
  List<Process> started() {
    return List.copyOf(started);
  }

  /** Waits up to 5 s for {@code check}; fails when {@code p} exits first or time runs out. */
  static void waitFor(Check check, Process p) throws IOException {
    for (int i = 0; i < 100; i++) {
      if (check.ok()) {
        return;
      }
      if (!p.isAlive()) {
        throw new IOException("exited " + p.exitValue() + ": " + p.info().commandLine().orElse(""));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    throw new IOException("did not start within 5 s: " + p.info().commandLine().orElse(""));
  }

  /** Runs {@code ip ARGS}; fails the test on a non-zero exit. */
  static void ip(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Tools.Result r = Tools.run(cmd, null, 20);
    assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r.output());
  }

  @Override
  public void close() {
    for (Process p : started) {
      p.destroyForcibly();
    }
    for (Process p : started) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (String ns : namespaces) {
      try {
        Tools.run(List.of("ip", "netns", "del", ns), null, 10);
      } catch (IOException e) {
        // gone already
      }
    }
  }
}
