package dev.egret.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egret apply} as a process, with an {@code nft} on its PATH that hangs when it loads the
 * new rules: the hung tool (and the child it started) is killed after {@code --tool-timeout}, the
 * previous rules are restored, and the exit code says so (3); when restoring fails too, both errors
 * are in the one line and the exit code is 4. Nothing here touches a real firewall.
 */
class ApplyHungToolTest {
  @TempDir Path tmp;

  /** An nft that checks and lists fine, hangs loading egret.nft and may fail restoring. */
  static final String FAKE_NFT =
      "#!/bin/sh\n"
          + "case \"$*\" in\n"
          + "  '-c -f '*) exit 0 ;;\n"
          + "  'list ruleset') echo 'table inet site {'; echo '}'; exit 0 ;;\n"
          + "  '-f '*egret.nft) sleep 60 & echo $! > \"$EGRET_TEST_DIR/sleep.pid\"; wait ;;\n"
          + "  '-f '*) if [ -n \"$EGRET_TEST_RESTORE_FAILS\" ]; then\n"
          + "      echo 'restore broke' >&2; exit 1; fi; exit 0 ;;\n"
          + "esac\n"
          + "exit 9\n";

  private record Run(int code, String err, long millis) {}

  private Run apply(boolean restoreFails) throws IOException, InterruptedException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path nft = bin.resolve("nft");
    Files.writeString(nft, FAKE_NFT, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(nft, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path rules = Files.createDirectories(tmp.resolve("rules"));
    Files.writeString(rules.resolve("egret.nft"), "table inet egret {\n}\n");
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "dev.egret.cli.Egret",
            "apply",
            "--target",
            "nftables",
            "--timeout",
            "1",
            "--tool-timeout",
            "1",
            rules.toString());
    Map<String, String> env = pb.environment();
    env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
    env.put("EGRET_TEST_DIR", tmp.toString());
    if (restoreFails) {
      env.put("EGRET_TEST_RESTORE_FAILS", "1");
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    long start = System.nanoTime();
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "apply hung with the tool");
    return new Run(p.exitValue(), err, (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  void aHungLoadIsKilledAndRolledBackWithExit3() throws Exception {
    Run r = apply(false);
    assertEquals(3, r.code(), r.err());
    assertEquals(
        "egret: loading failed, previous rules restored: nft -f "
            + tmp.resolve("rules").resolve("egret.nft")
            + ": no answer within 1 s, killed\n",
        r.err());
    assertTrue(r.millis() < 20_000, "took " + r.millis() + " ms");
    long sleeper = Long.parseLong(Files.readString(tmp.resolve("sleep.pid")).trim());
    assertFalse(running(sleeper), "the hung tool's child is still running");
  }

  /** Whether a process runs (a zombie waiting for its reaper does not), within 5 s. */
  private static boolean running(long pid) throws IOException, InterruptedException {
    Path stat = Path.of("/proc/" + pid + "/stat");
    for (int i = 0; i < 50; i++) {
      String s;
      try {
        s = Files.readString(stat);
      } catch (java.nio.file.NoSuchFileException e) {
        return false;
      }
      if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  @Test
  void aRollbackThatFailsTooExits4WithBothErrors() throws Exception {
    Run r = apply(true);
    assertEquals(4, r.code(), r.err());
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r.err());
    String nft = "nft -f " + tmp.resolve("rules").resolve("egret.nft");
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "egret: "
                    + nft
                    + ": no answer within 1 s, killed; restoring the"
                    + " previous rules failed too: nft -f "),
        lines.get(0));
    assertTrue(lines.get(0).endsWith(" failed (exit 1): restore broke"), lines.get(0));
  }
}
