package dev.egret.live;

import static org.junit.jupiter.api.Assertions.fail;

import dev.egret.testutil.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Two network namespaces, {@code egl-<id>-a} (10.98.N.1, the client) and {@code egl-<id>-b}
 * (10.98.N.2, the servers), joined by a veth pair, IPv6 off so that only the test's own traffic
 * crosses. Everything made here (namespaces, the veth pair, {@code /etc/netns/<a>}, processes) is
 * removed by {@link #close()}.
 */
final class Netns implements AutoCloseable {
  final String a;
  final String b;
  final String vethA;
  final String vethB;
  final String client;
  final String server;
  private final List<Process> started = new ArrayList<>();
  private final Path etcNetns;

  private Netns(String id, int subnet) {
    a = "egl-" + id + "-a";
    b = "egl-" + id + "-b";
    vethA = "egl" + id + "a";
    vethB = "egl" + id + "b";
    client = "10.98." + subnet + ".1";
    server = "10.98." + subnet + ".2";
    etcNetns = Path.of("/etc/netns", a);
  }

  /**
   * Skips the test with the reason when it cannot run here (not root, no {@code ip}), except under
   * {@code CI=true}, where that is a failure.
   */
  static void assumeUsable(String... tools) {
    List<String> missing = Requirements.missing(tools);
    if (!Requirements.root()) {
      Requirements.unavailable("live capture tests need root (network namespaces, capture rights)");
    } else if (!missing.isEmpty()) {
      Requirements.unavailable("live capture tests need " + String.join(", ", missing));
    }
  }

  static boolean isRoot() {
    return Requirements.root();
  }

  static String which(String tool) {
    return Requirements.which(tool);
  }

  /** Python from the system first: an interpreter manager's shim may not be on CI's path. */
  static String python() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  static Netns create() throws IOException, InterruptedException {
    String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    Netns n = new Netns(id, ThreadLocalRandom.current().nextInt(1, 250));
    try {
      n.ip("netns", "add", n.a);
      n.ip("netns", "add", n.b);
      n.ip("link", "add", n.vethA, "type", "veth", "peer", "name", n.vethB);
      n.ip("link", "set", n.vethA, "netns", n.a);
      n.ip("link", "set", n.vethB, "netns", n.b);
      for (String[] side : new String[][] {{n.a, n.vethA, n.client}, {n.b, n.vethB, n.server}}) {
        n.run(side[0], "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        n.run(side[0], "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        n.ip("-n", side[0], "addr", "add", side[2] + "/24", "dev", side[1]);
        n.ip("-n", side[0], "link", "set", side[1], "up");
        n.ip("-n", side[0], "link", "set", "lo", "up");
      }
      // ip netns exec mounts this over /etc/resolv.conf inside the client namespace.
      Files.createDirectories(n.etcNetns);
      Files.writeString(n.etcNetns.resolve("resolv.conf"), "nameserver " + n.server + "\n");
      return n;
    } catch (IOException | InterruptedException | RuntimeException e) {
      n.close();
      throw e;
    }
  }

  private void ip(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    check(cmd, 20);
  }

  /** Runs a command in a namespace to completion; fails the test on a non-zero exit. */
  String run(String ns, String... cmd) throws IOException, InterruptedException {
    return check(inNs(ns, cmd), 60);
  }

  /** Starts a command in a namespace; output goes to {@code log}; stopped by {@link #close()}. */
  Process start(String ns, Path log, String... cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(inNs(ns, cmd)).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    started.add(p);
    return p;
  }

  static List<String> inNs(String ns, String... cmd) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(cmd));
    return full;
  }

  private static String check(List<String> cmd, int seconds)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + String.join(" ", cmd));
    }
    String out = new String(p.getInputStream().readAllBytes());
    if (p.exitValue() != 0) {
      fail(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
    }
    return out;
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
    for (String ns : new String[] {a, b}) {
      try {
        new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(20, TimeUnit.SECONDS);
      } catch (IOException e) {
        // not made, or gone already
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (Files.exists(etcNetns)) {
      try (Stream<Path> s = Files.walk(etcNetns)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
        // /etc/netns itself goes too when nothing else uses it.
        Files.deleteIfExists(etcNetns.getParent());
      } catch (IOException e) {
        // best effort: a leftover /etc/netns/egl-* directory is harmless and named for the test
      }
    }
  }
}
