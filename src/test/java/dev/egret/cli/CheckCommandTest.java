package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.policy.Anomaly;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyYaml;
import dev.egret.policy.ReviewItem;
import dev.egret.testutil.SharedPcaps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/policy");

  @TempDir Path tmp;

  static String policy(String name) {
    return GOLDEN.resolve(name + ".yaml").toString();
  }

  static List<String> lines(String s) {
    return s.isEmpty()
        ? List.of()
        : List.of(s.split("\n", -1)).subList(0, s.split("\n", -1).length - 1);
  }

  @Test
  void nothingBlockedExitsZero() {
    Run r = Run.of("check", "--policy", policy("names"), PolicyCases.baseline("names"));
    assertEquals(0, r.exit(), r.toString());
    assertEquals("", r.out());
    assertEquals("egret: check: nothing would be blocked\n", r.err());
  }

  @Test
  void blockedEntriesAsATableExitOne() {
    Run r = Run.of("check", "--policy", policy("review"), PolicyCases.baseline("review"));
    assertEquals(1, r.exit(), r.toString());
    List<String> lines = lines(r.out());
    assertEquals(3, lines.size(), r.out());
    assertTrue(
        lines.get(0).matches("host +destination +proto +port +flows +first seen +names"),
        lines.get(0));
    assertTrue(
        lines
            .get(1)
            .matches(
                "10\\.0\\.0\\.5 +192\\.0\\.2\\.22 +tcp +443 +10 +2024-03-01T01:00:00Z +once\\.example\\.net"),
        lines.get(1));
    assertTrue(
        lines.get(2).matches("10\\.0\\.0\\.5 +192\\.0\\.2\\.21 +tcp +443 +6 +2024-03-01T01:00:00Z"),
        lines.get(2));
    assertEquals(
        "egret: check: 2 host/destination/port groups (16 connections) would be blocked\n",
        r.err());
  }

  @Test
  void blockedEntriesAsCsv() {
    Run r = Run.of("check", "--policy", policy("review"), "--csv", PolicyCases.baseline("review"));
    assertEquals(1, r.exit(), r.toString());
    assertEquals(
        "host,destination,protocol,port,flows,first_seen,names,uid\n"
            + "10.0.0.5,192.0.2.22,tcp,443,10,2024-03-01T01:00:00Z,once.example.net,\n"
            + "10.0.0.5,192.0.2.21,tcp,443,6,2024-03-01T01:00:00Z,,\n",
        r.out());
  }

  @Test
  void csvWithNothingBlockedIsJustTheHeader() {
    Run r = Run.of("check", "--policy", policy("names"), "--csv", PolicyCases.baseline("names"));
    assertEquals(0, r.exit(), r.toString());
    assertEquals("host,destination,protocol,port,flows,first_seen,names,uid\n", r.out());
  }

  @Test
  void anotherHostsPolicyBlocksEverything() {
    Run r = Run.of("check", "--policy", policy("ipv6"), "--csv", PolicyCases.baseline("names"));
    assertEquals(1, r.exit(), r.toString());
    assertEquals(1 + 4, lines(r.out()).size(), r.out());
  }

  @Test
  void aMissingPolicyIsAnError() {
    Run r =
        Run.of(
            "check",
            "--policy",
            tmp.resolve("none.yaml").toString(),
            PolicyCases.baseline("names"));
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("none.yaml: no such file"), r.err());
  }

  @Test
  void aBrokenPolicyIsAnError() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "apiVersion: egret/v1\nkind: EgressPolicy\nrules: [1, 2\n");
    Run r = Run.of("check", "--policy", bad.toString(), PolicyCases.baseline("names"));
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().startsWith("egret: " + bad), r.err());
    assertEquals("", r.out());
  }

  @Test
  void aFileThatIsNeitherCaptureNorBaselineIsAnError() throws Exception {
    Path junk = tmp.resolve("junk.bin");
    Files.writeString(junk, "<html>not a capture</html>");
    Run r = Run.of("check", "--policy", policy("names"), junk.toString());
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("junk.bin"), r.err());
  }

  @Test
  void noPolicyOptionIsAUsageError() {
    Run r = Run.of("check", PolicyCases.baseline("names"));
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("--policy"), r.err());
  }

  /**
   * A real capture: learn it, make a policy, check the same capture. What is blocked is exactly
   * what the policy lists under review and anomalies: nothing with one flow enough, the entries
   * below the default minimum of three flows otherwise.
   */
  @Test
  void aCaptureCheckedAgainstItsOwnPolicyBlocksNothing() throws Exception {
    assertEquals(0, checkCaptureAgainstItsPolicy("--min-flows", "1"));
  }

  @Test
  void aCaptureCheckedAgainstItsOwnStrictPolicyBlocksItsReviewItems() throws Exception {
    assertTrue(checkCaptureAgainstItsPolicy("--min-flows", "3") > 0);
  }

  /** The number of withheld (host, destination, protocol, port). */
  private int checkCaptureAgainstItsPolicy(String... flags) throws Exception {
    String pcap = SharedPcaps.file("real/tcpreplay/test.pcap").toString();
    Path baseline = tmp.resolve("baseline.json");
    Path policyFile = tmp.resolve("policy.yaml");
    Run learn =
        Run.of("learn", pcap, "--baseline", baseline.toString(), "--internal", "172.16.0.0/12");
    assertEquals(0, learn.exit(), learn.toString());
    Run policy =
        Run.of(
            "policy",
            baseline.toString(),
            flags[0],
            flags[1],
            "--min-days",
            "1",
            "-o",
            policyFile.toString());
    assertEquals(0, policy.exit(), policy.toString());
    Policy p = PolicyYaml.read(policyFile);
    assertTrue(p.rules().size() > 0, Files.readString(policyFile, StandardCharsets.UTF_8));
    Set<String> withheld = new TreeSet<>();
    for (ReviewItem i : p.review()) {
      withheld.add(i.host() + "," + i.destination() + "," + i.protocol() + "," + i.port());
    }
    for (Anomaly a : p.anomalies()) {
      for (String d : a.destinations()) {
        withheld.add(a.host() + "," + d + "," + a.protocol() + "," + a.port());
      }
    }
    Run check =
        Run.of(
            "check",
            "--policy",
            policyFile.toString(),
            "--csv",
            "--internal",
            "172.16.0.0/12",
            pcap);
    Set<String> blocked = new TreeSet<>();
    for (String line : lines(check.out()).subList(1, lines(check.out()).size())) {
      String[] f = line.split(",");
      blocked.add(f[0] + "," + f[1] + "," + f[2] + "," + f[3]);
    }
    assertEquals(withheld, blocked, check.toString());
    assertEquals(withheld.isEmpty() ? 0 : 1, check.exit(), check.toString());
    // The same check on the baseline gives the same answer as on the capture.
    Run onBaseline =
        Run.of("check", "--policy", policyFile.toString(), "--csv", baseline.toString());
    assertEquals(check.out(), onBaseline.out());
    return withheld.size();
  }

  /**
   * A DNS tunnel goes through whichever resolver answers, so no rule blocks it: check says so on
   * stderr, names escaped, and its exit code stays about what would be blocked.
   */
  @Test
  void aDnsTunnelIsAWarning() throws Exception {
    Path site = tmp.resolve("office");
    assertEquals(
        0,
        Run.of("synth", "--site", "--profile", "office", "-o", site.toString(), "--days", "2")
            .exit());
    Path b = tmp.resolve("b.json");
    Path p = tmp.resolve("p.yaml");
    assertEquals(
        0, Run.of("learn", site.resolve("day1.pcap").toString(), "-b", b.toString()).exit());
    assertEquals(0, Run.of("policy", b.toString(), "-o", p.toString()).exit());
    Run r = Run.of("check", "--policy", p.toString(), site.resolve("day2.pcap").toString());
    assertEquals(1, r.exit(), r::toString);
    java.util.List<String> warnings =
        r.err().lines().filter(l -> l.startsWith("egret: check: warning: ")).toList();
    assertEquals(
        java.util.List.of(
            "egret: check: warning: 10.1.0.101 asked 240 distinct names under exfil.test, 74-115"
                + " characters before it, asked 240 times: data carried in DNS questions (a"
                + " tunnel), through whichever resolver answers"),
        warnings,
        r.err());
  }
}
