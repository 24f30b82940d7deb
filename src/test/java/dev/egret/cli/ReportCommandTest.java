package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir static Path dir;
  static Path baseline;
  static Path policy;

  @BeforeAll
  static void learn() {
    baseline = dir.resolve("b.json");
    policy = dir.resolve("p.yaml");
    Cli.run("learn", "captures/webserver.pcapng", "-b", baseline.toString()).ok();
    Cli.run("policy", baseline.toString(), "--min-flows", "1", "-o", policy.toString()).ok();
  }

  @Test
  void writesTheReportAndSaysWhatItHolds() throws Exception {
    Path html = dir.resolve("r.html");
    Cli c =
        Cli.run(
            "report",
            baseline.toString(),
            "--policy",
            policy.toString(),
            "--policy",
            policy.toString(),
            "--check",
            baseline.toString(),
            "-o",
            html.toString());
    assertEquals(0, c.rc(), c.err());
    String page = Files.readString(html);
    assertTrue(page.startsWith("<!DOCTYPE html>"));
    assertTrue(page.contains("<section id=\"changes\"><h2>Changes since the older policy (0)"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "egret: report: \\d+ hosts, \\d+ rules, (\\d+) would be blocked -> .*r\\.html\n")
            .matcher(c.err());
    assertTrue(m.matches(), c.err());
    assertTrue(page.contains("<section id=\"blocked\"><h2>Would be blocked (" + m.group(1) + ")"));
  }

  @Test
  void theFirewallsDropsWithTheirRetryInterval() throws Exception {
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      lines.add(
          String.format(
              "2026-11-29T20:%02d:%02d+0000 gw kernel: egret-drop IN= OUT=eth0 SRC=10.20.0.10"
                  + " DST=10.20.1.99 PROTO=TCP SPT=4000%d DPT=25 SYN URGP=0",
              i / 2, (i % 2) * 30, i));
    }
    Path log = Files.write(dir.resolve("kern.log"), lines);
    Path html = dir.resolve("d.html");
    Cli.run("report", baseline.toString(), "--drops", log.toString(), "-o", html.toString()).ok();
    String page = Files.readString(html);
    int at = page.indexOf("<section id=\"drops\"><h2>Blocked by the firewall (1)</h2>");
    assertTrue(at > 0, page);
    String section = page.substring(at, page.indexOf("</section>", at));
    assertTrue(
        section.contains("<code>10.20.1.99</code></td><td>backup.example.net</td>"), section);
    assertTrue(section.contains("<td>6</td>"), section);
    assertTrue(section.contains("<span class=\"badge bad\">every 30 s</span>"), section);
  }

  @Test
  void badUsageIsOneLineAndExitTwo() {
    Cli three =
        Cli.run(
            "report",
            baseline.toString(),
            "--policy",
            policy.toString(),
            "--policy",
            policy.toString(),
            "--policy",
            policy.toString(),
            "-o",
            "-");
    assertEquals(2, three.rc());
    assertEquals(
        "egret: --policy: give one policy, or two (older, then newer), not 3\n", three.err());
    Cli check = Cli.run("report", baseline.toString(), "--check", baseline.toString(), "-o", "-");
    assertEquals(2, check.rc());
    assertEquals("egret: --check needs --policy\n", check.err());
    Cli missing = Cli.run("report", dir.resolve("nope.json").toString(), "-o", "-");
    assertEquals(2, missing.rc());
    assertEquals("egret: " + dir.resolve("nope.json") + ": no such file\n", missing.err());
  }
}
