package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.BaselineJson;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What scripts/quality runs, on a small site (6 hosts, 2 days): learn day 1, policy with default
 * settings, check day 2, score. Asserts the scoring arithmetic against the labels and the check
 * output, not how good the policy is.
 */
class ScoreCommandTest {
  @TempDir static Path dir;
  static Path site;
  static String score;

  @BeforeAll
  static void runTheScenario() throws Exception {
    site = dir.resolve("site");
    ok(
        Run.of(
            "synth",
            "--site",
            "-o",
            site.toString(),
            "--days",
            "2",
            "--hosts",
            "6",
            "--seed",
            "5"));
    ok(Run.of("learn", f("day1.pcap"), "-b", f("learn.json")));
    ok(Run.of("policy", f("learn.json"), "-o", f("policy.yaml")));
    Run check = Run.of("check", "--policy", f("policy.yaml"), "--csv", f("day2.pcap"));
    assertEquals(1, check.exit(), check::toString);
    Files.writeString(site.resolve("blocked.csv"), check.out());
    ok(Run.of("learn", f("day1.pcap"), f("day2.pcap"), "-b", f("all.json")));
    ok(Run.of("policy", f("all.json"), "-o", f("detect.yaml")));
    score =
        ok(Run.of(
                "score",
                "--labels",
                f("labels.csv"),
                "--blocked",
                f("blocked.csv"),
                "--policy",
                f("policy.yaml"),
                "--baseline",
                f("learn.json"),
                "--detect",
                f("detect.yaml")))
            .out();
  }

  static String f(String name) {
    return site.resolve(name).toString();
  }

  static Run ok(Run r) {
    assertEquals(0, r.exit(), r::toString);
    return r;
  }

  static long[] figures(String label) {
    Matcher m =
        Pattern.compile("(?m)^" + label + " +(\\d+) of (\\d+) \\((\\d+\\.\\d)%\\)$").matcher(score);
    assertTrue(m.find(), label + " in\n" + score);
    long part = Long.parseLong(m.group(1));
    long whole = Long.parseLong(m.group(2));
    assertEquals(
        String.format(java.util.Locale.ROOT, "%.1f", 100.0 * part / whole), m.group(3), label);
    return new long[] {part, whole};
  }

  @Test
  void totalsComeFromTheLabelsAndBlockedFlowsFromTheCheck() throws Exception {
    long legit = 0;
    long malicious = 0;
    List<String> rows = Files.readAllLines(site.resolve("labels.csv"));
    for (String row : rows.subList(1, rows.size())) {
      String[] c = row.split(",");
      if (c[0].equals("2") && !c[8].equals("inbound")) {
        if (c[6].equals("malicious")) {
          malicious += Long.parseLong(c[5]);
        } else {
          legit += Long.parseLong(c[5]);
        }
      }
    }
    // Two beacons (6 h and 3 h every 30 s), 120 scan probes, a shell and a download.
    assertEquals(720 + 360 + 120 + 1 + 1, malicious);
    long[] mal = figures("malicious flows blocked");
    long[] leg = figures("legitimate flows blocked");
    assertEquals(malicious, mal[1]);
    assertEquals(legit, leg[1]);
    long checked = 0;
    List<String> blocked = Files.readAllLines(site.resolve("blocked.csv"));
    for (String row : blocked.subList(1, blocked.size())) {
      checked += Long.parseLong(row.split(",")[4]);
    }
    assertTrue(score.contains("\nblocked flows without a label  0\n"), score);
    assertEquals(checked, mal[0] + leg[0], "every blocked flow is scored once");
  }

  @Test
  void policyFiguresAreThePolicysAndTheBaselines() throws Exception {
    Policy p = PolicyYaml.read(site.resolve("policy.yaml"));
    int tuples = BaselineJson.read(site.resolve("learn.json")).entries().size();
    assertTrue(
        score.contains(
            String.format(
                java.util.Locale.ROOT,
                "\nrules                          %d rules for %d exact tuples (%.1fx fewer)\n",
                p.rules().size(),
                tuples,
                (double) tuples / p.rules().size())),
        score);
    assertTrue(
        score.contains("\nreview items                   " + p.review().size() + "\n"), score);
  }

  @Test
  void bothBeaconsAreFlaggedPeriodicAndTheScanAScan() {
    assertTrue(score.matches("(?s).*\nbeacon-tls +malicious +720 +\\d+ +720  periodic\n.*"), score);
    assertTrue(
        score.matches("(?s).*\nbeacon-smtp +malicious +360 +\\d+ +360  periodic-unanswered\n.*"),
        score);
    assertTrue(score.matches("(?s).*\nscan +malicious +120 +\\d+ +120  port-scan\n.*"), score);
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws Exception {
    Path labels = dir.resolve("bad.csv");
    Files.writeString(labels, "day,source\n");
    Run r =
        Run.of(
            "score",
            "--labels",
            labels.toString(),
            "--blocked",
            f("blocked.csv"),
            "--policy",
            f("policy.yaml"),
            "--baseline",
            f("learn.json"));
    assertEquals(2, r.exit(), r::toString);
    assertEquals(
        "egret: "
            + labels
            + ":1: not a labels file (expected the header"
            + " day,source,destination,protocol,port,flows,label,behaviour,direction)\n",
        r.err());
    Path missing = dir.resolve("missing.csv");
    r =
        Run.of(
            "score",
            "--labels",
            f("labels.csv"),
            "--blocked",
            missing.toString(),
            "--policy",
            f("policy.yaml"),
            "--baseline",
            f("learn.json"));
    assertEquals(2, r.exit(), r::toString);
    assertEquals("egret: " + missing + ": no such file\n", r.err());
  }
}
