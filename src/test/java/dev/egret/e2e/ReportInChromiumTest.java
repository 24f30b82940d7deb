package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.egret.cli.Egret;
import dev.egret.testutil.Requirements;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egret report} of a synthetic 50-host site over three days, with a host that retries TCP
 * port 25 every 30 s and names that carry markup ({@code egret synth --trojan --hostile}), opened
 * in headless Chromium: no console messages (a script error or a Content-Security-Policy refusal
 * would be one), the key parts present, the beacon's host first and its section filled, the hostile
 * names as text. Screenshots go to {@code target/report-screenshots/} for a reviewer. Without
 * Chromium the test skips locally and fails under {@code CI=true} ({@code scripts/test} installs
 * it).
 */
class ReportInChromiumTest {
  static final Path SHOTS = Path.of("target/report-screenshots");

  @TempDir static Path dir;
  static String chromium;
  static Path report;

  @BeforeAll
  static void siteReport() throws IOException {
    chromium = Requirements.which("chromium");
    if (chromium == null) {
      Requirements.unavailable("chromium is not installed (scripts/test installs it)");
    }
    Path pcap = dir.resolve("site.pcap");
    egret(
        "synth",
        "-o",
        pcap.toString(),
        "--hosts",
        "50",
        "--days",
        "3",
        "--size",
        "6M",
        "--trojan",
        "--hostile");
    Path baseline = dir.resolve("baseline.json");
    egret("learn", pcap.toString(), "-b", baseline.toString());
    Path policy = dir.resolve("policy.yaml");
    egret("policy", baseline.toString(), "-o", policy.toString());
    report = dir.resolve("report.html");
    egret(
        "report",
        baseline.toString(),
        "--policy",
        policy.toString(),
        "--check",
        pcap.toString(),
        "-o",
        report.toString());
  }

  @Test
  void opensWithoutConsoleMessagesAndShowsTheBeaconAndTheNamesAsText() throws Exception {
    Files.createDirectories(SHOTS);
    String url = report.toUri() + "?open=h0";
    Browser dom = browse(url, "--dump-dom");
    List<String> console = new ArrayList<>();
    for (String line : dom.log().split("\n")) {
      if (line.contains(":CONSOLE")) {
        console.add(line);
      }
    }
    assertEquals(List.of(), console, "console messages");
    String html = dom.stdout();
    for (String id : List.of("glance", "caveats", "anomalies", "blocked", "timeline", "heatmap")) {
      assertTrue(html.contains("<section id=\"" + id + "\">"), id);
    }
    assertTrue(html.contains("<svg class=\"timeline\""));
    assertTrue(html.contains("<svg class=\"heatmap\""));
    assertTrue(html.contains("<section id=\"rules\">"));
    // The trojan's host leads the list, opened by ?open=h0, its section copied in by the script.
    Matcher h0 = Pattern.compile("<details class=\"lazy host\" id=\"h0\"[^>]*>").matcher(html);
    assertTrue(h0.find(), "host section h0");
    assertTrue(
        h0.group().contains("open=\"\"") && h0.group().contains("data-filled=\"1\""), h0.group());
    String first = html.substring(h0.start(), html.indexOf("</details>", h0.start()));
    assertTrue(first.contains("1 beacon</span>"), first);
    assertTrue(first.contains("all day, every ~30 s"), first);
    // Markup from the wire is text: one script element (the report's own), no injected handler.
    assertEquals(1, count(html, "<script"));
    assertEquals(0, count(html, "<img"));
    assertTrue(!Pattern.compile("<[^>]*\\sonmouseover=").matcher(html).find(), "no onmouseover");
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.example.com"));
    // A space in a name is kept as \\032 (RFC 4343 2.1), a quote as it is.
    assertTrue(html.contains("\"onmouseover=alert(1)\\032x=\".example.com"));

    shoot(report.toUri().toString(), "1400,2600", "report-top.png");
    shoot(url, "1400,9000", "report-beacon-host-open.png");
  }

  private static void shoot(String url, String size, String name) throws Exception {
    Path png = SHOTS.resolve(name).toAbsolutePath();
    Files.deleteIfExists(png);
    browse(url, "--screenshot=" + png, "--window-size=" + size, "--hide-scrollbars");
    assertTrue(Files.size(png) > 10_000, png + " written");
  }

  record Browser(String stdout, String log) {}

  /** Runs headless Chromium on {@code url} with a fresh profile. */
  private static Browser browse(String url, String... extra) throws Exception {
    Path profile = Files.createTempDirectory(dir, "chromium");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=5000"));
    cmd.addAll(List.of(extra));
    cmd.add(url);
    Path out = dir.resolve("chromium.out");
    Path err = dir.resolve("chromium.err");
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish in 120 s");
    }
    String log = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), log);
    return new Browser(Files.readString(out, StandardCharsets.UTF_8), log);
  }

  private static String egret(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Egret.run(args, new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, code, String.join(" ", args) + "\n" + err);
    return out.toString();
  }

  private static int count(String s, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
