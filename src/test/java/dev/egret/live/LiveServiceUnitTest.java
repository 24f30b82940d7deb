package dev.egret.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.testutil.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** scripts/egret-capture.service: an unprivileged, confined service that restarts on failure. */
class LiveServiceUnitTest {
  private static final Path UNIT = Path.of("scripts/egret-capture.service");

  private static List<String> lines() throws Exception {
    return Files.readAllLines(UNIT).stream().map(String::strip).toList();
  }

  @Test
  void itRunsAsAnUnprivilegedUserWithOnlyTheCaptureCapabilities() throws Exception {
    List<String> l = lines();
    assertTrue(l.contains("User=egret"), "a dedicated user");
    assertTrue(l.contains("AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN"));
    assertTrue(l.contains("CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN"));
    assertTrue(l.contains("NoNewPrivileges=yes"));
  }

  @Test
  void itSeesTheSystemReadOnlyAndWritesOnlyItsStateDirectory() throws Exception {
    List<String> l = lines();
    assertTrue(l.contains("ProtectSystem=strict"));
    assertTrue(l.contains("StateDirectory=egret"));
    assertTrue(l.contains("PrivateTmp=yes"), "JNA needs a writable temporary directory");
    String exec = String.join(" ", l).replace("\\ ", "");
    assertTrue(exec.contains("--baseline /var/lib/egret/baseline.json"), exec);
  }

  @Test
  void itRestartsOnFailureAndStopsWithSigterm() throws Exception {
    List<String> l = lines();
    assertTrue(l.contains("Restart=on-failure"));
    assertTrue(l.contains("KillSignal=SIGTERM"));
  }

  /** Both units next to each other in scripts/ pass systemd's own check. */
  @ParameterizedTest
  @ValueSource(strings = {"scripts/egret-capture.service", "scripts/egret-resolve.service"})
  void systemdAcceptsIt(String unit) throws Exception {
    String analyze = Requirements.which("systemd-analyze");
    if (analyze == null) {
      Requirements.unavailable("systemd-analyze not installed (Debian package systemd)");
      return;
    }
    Process p = new ProcessBuilder(analyze, "verify", unit).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), out);
    assertEquals("", out.strip(), "systemd-analyze verify " + unit + " warns");
  }
}
