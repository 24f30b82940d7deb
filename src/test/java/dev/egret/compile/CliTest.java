package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.cli.ApplyCommand;
import dev.egret.cli.CompileCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
  @TempDir Path tmp;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int run(Object cmd, String... args) {
    CommandLine cl = new CommandLine(cmd);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static String policy(String name) {
    return CompileCases.POLICIES.resolve(name + ".yaml").toString();
  }

  @Test
  void singleFileTargetPrintsToStdout() {
    assertEquals(0, run(new CompileCommand(), "--target", "nftables", policy("single-host")));
    assertTrue(out.toString().startsWith("#!/usr/sbin/nft -f\n"), out.toString());
  }

  @Test
  void multiFileTargetWritesIntoTheDirectory() throws IOException {
    Path dir = tmp.resolve("out");
    assertEquals(
        0,
        run(
            new CompileCommand(),
            "--target",
            "capirca",
            "--mode",
            "gateway",
            policy("cidr"),
            "-o",
            dir.toString()));
    assertTrue(Files.readString(dir.resolve("policies/pol/egret.pol")).contains("term build-ntp"));
    assertTrue(Files.exists(dir.resolve("def/NETWORK.net")));
    assertTrue(err.toString().contains("wrote"), err.toString());
  }

  @Test
  void multiFileTargetWithoutOutputDirIsAUsageError() {
    assertNotEquals(0, run(new CompileCommand(), "--target", "iptables", policy("cidr")));
    assertEquals("", out.toString());
  }

  @Test
  void noKeepAccessDropsTheKeepAccessRule() {
    run(new CompileCommand(), "--target", "nftables", "--no-keep-access", policy("single-host"));
    assertTrue(!out.toString().contains("keep-access"), out.toString());
  }

  @Test
  void badModeIsAUsageError() {
    assertNotEquals(
        0, run(new CompileCommand(), "--target", "ufw", "--mode", "router", policy("cidr")));
  }

  @Test
  void applyRollsBackUnlessConfirmedAndKeepsWhenConfirmed() throws IOException {
    Tools.require("ip", "nft");
    String ns = "egc-ap" + ProcessHandle.current().pid() % 100000;
    Path dir = tmp.resolve("rules");
    assertEquals(
        0,
        run(new CompileCommand(), "--target", "nftables", policy("single-host"), "-o", "" + dir));
    assertEquals(0, Tools.run(List.of("ip", "netns", "add", ns), null, 10).exit());
    try {
      ApplyCommand silent = new ApplyCommand(new ByteArrayInputStream(new byte[0]));
      int code = run(silent, "--target", "nftables", "--timeout", "1", "--netns", ns, "" + dir);
      assertEquals(1, code, err.toString());
      assertEquals("", tables(ns), "not confirmed: the previous (empty) ruleset is back");
      ApplyCommand yes =
          new ApplyCommand(new ByteArrayInputStream("yes\n".getBytes(StandardCharsets.UTF_8)));
      code = run(yes, "--target", "nftables", "--timeout", "5", "--netns", ns, "" + dir);
      assertEquals(0, code, err.toString());
      assertTrue(tables(ns).contains("table inet egret"), tables(ns));
    } finally {
      Tools.run(List.of("ip", "netns", "del", ns), null, 10);
    }
  }

  private static String tables(String ns) throws IOException {
    return Tools.run(List.of("ip", "netns", "exec", ns, "nft", "list", "tables"), null, 10)
        .output()
        .trim();
  }
}
