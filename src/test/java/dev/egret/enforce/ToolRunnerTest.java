package dev.egret.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tool that hangs is killed at the timeout, whatever it writes; errors are one line. */
class ToolRunnerTest {
  private final ToolRunner runner = new ToolRunner(List.of(), Duration.ofSeconds(1));

  @Test
  void returnsTheOutputOfATheToolThatSucceeds() {
    assertEquals("ok\n", runner.run(List.of("sh", "-c", "echo ok")));
  }

  @Test
  void aNamespaceNameCannotBeAPathOrShellText() {
    assertTrue(ToolRunner.isNamespaceName("egret-1.a_b"));
    for (String bad : List.of("", "a/b", "../x", "a b", "a;b", "x".repeat(65))) {
      assertEquals(false, ToolRunner.isNamespaceName(bad), bad);
      assertThrows(IllegalArgumentException.class, () -> ToolRunner.in(bad, Duration.ofSeconds(1)));
    }
    assertEquals("ok\n", ToolRunner.in(null, Duration.ofSeconds(1)).run(List.of("echo", "ok")));
  }

  @Test
  void firewallsAreNamedAndSayWhichFileIsMissing(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    assertEquals("nftables", Firewall.named("nftables").orElseThrow().name());
    assertEquals("iptables", Firewall.named("iptables").orElseThrow().name());
    assertTrue(Firewall.named("ufw").isEmpty());
    Firewall ipt = Firewall.named("iptables").orElseThrow();
    java.nio.file.Files.writeString(dir.resolve("rules.v4"), "");
    assertEquals(java.util.Optional.of(dir.resolve("rules.v6")), ipt.missingFile(dir));
    java.nio.file.Files.writeString(dir.resolve("rules.v6"), "");
    assertTrue(ipt.missingFile(dir).isEmpty());
  }

  @Test
  void aFailingToolGivesItsErrorInOneLine() {
    ToolException e =
        assertThrows(
            ToolException.class,
            () -> runner.run(List.of("sh", "-c", "echo 'line one' >&2; echo two >&2; exit 3")));
    assertEquals(
        "sh -c echo 'line one' >&2; echo two >&2; exit 3 failed (exit 3): line one two",
        e.getMessage());
  }

  @Test
  void aHungToolIsKilledAtTheTimeout() {
    long start = System.nanoTime();
    ToolException e =
        assertThrows(ToolException.class, () -> runner.run(List.of("sh", "-c", "sleep 60")));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals("sh -c sleep 60: no answer within 1 s, killed", e.getMessage());
    assertTrue(ms < 10_000, "took " + ms + " ms");
  }

  @Test
  void aToolThatWritesWithoutEndIsKilledToo() {
    // Reading all output before waiting would never return here: the timeout must still hold.
    long start = System.nanoTime();
    ToolException e =
        assertThrows(
            ToolException.class,
            () -> runner.run(List.of("sh", "-c", "while :; do echo flood; echo err >&2; done")));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.getMessage().endsWith(": no answer within 1 s, killed"), e.getMessage());
    assertTrue(ms < 10_000, "took " + ms + " ms");
  }

  @Test
  void aMissingToolIsAToolError() {
    ToolException e =
        assertThrows(
            ToolException.class, () -> runner.run(List.of("/nonexistent/egret-no-such-tool")));
    assertTrue(
        e.getMessage().startsWith("/nonexistent/egret-no-such-tool: cannot start"), e.getMessage());
  }
}
