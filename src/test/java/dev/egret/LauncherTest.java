package dev.egret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/egret builds the jar on first use: two launchers started together build it once, the
 * second waiting for the first, instead of two Maven runs on one target/ where one fails.
 */
class LauncherTest {
  @TempDir Path tmp;

  private static void executable(Path p, String text) throws Exception {
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void twoLaunchersStartedTogetherBuildTheJarOnce() throws Exception {
    Path root = tmp.resolve("egret");
    Files.createDirectories(root.resolve("scripts"));
    Files.createDirectories(root.resolve("src/main"));
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    executable(root.resolve("scripts/egret"), Files.readString(Path.of("scripts/egret")));
    // A Maven that takes a while and counts its runs, and a java that says it ran.
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    executable(
        bin.resolve("mvn"),
        "#!/bin/sh\necho build >> \""
            + tmp.resolve("builds")
            + "\"\nsleep 2\n"
            + "mkdir -p target && touch target/egret.jar\n");
    executable(bin.resolve("java"), "#!/bin/sh\necho ran\n");
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ProcessBuilder pb =
          new ProcessBuilder(root.resolve("scripts/egret").toString(), "--version")
              .redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.put("PATH", bin + ":" + env.get("PATH"));
      env.put("EGRET_CDS", "0");
      ps.add(pb.start());
    }
    for (Process p : ps) {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.exitValue(), out);
      assertTrue(out.endsWith("ran\n"), out);
    }
    assertEquals(List.of("build"), Files.readAllLines(tmp.resolve("builds")));
  }
}
