package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.cli.Egret;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyYaml;
import dev.egret.policy.Rule;
import dev.egret.testutil.Requirements;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-user rules learned from an audit run on a real kernel. A host ({@link KernelTestBed}, the
 * world answering every port) loads the audit ruleset of a policy that allows nothing; user 1001
 * connects to server A on tcp/443, user 1002 sends datagrams to server B on udp/5353, while tcpdump
 * keeps the NFLOG group. {@code egret learn} on that capture, {@code egret policy} with defaults
 * and {@code egret compile} (nftables, then iptables) give a ruleset under which 1001 reaches A:443
 * only, 1002 B:5353 only, and user 1003 neither. {@code egret check} agrees with the kernel: it
 * blocks nothing of the learning run, and exactly the attempts that the learned policy's audit
 * ruleset logs.
 */
class PerUserAuditTest {
  static final String HOST = "10.1.0.10";
  static final String A = "198.51.100.10";
  static final String B = "198.51.100.53";
  static final int GROUP = 11;

  @TempDir static Path dir;
  static KernelTestBed bed;

  @BeforeAll
  static void bed() throws IOException {
    if (!Requirements.root()) {
      Requirements.unavailable("the per-user audit test needs root (network namespaces, nftables)");
      return;
    }
    List<String> missing =
        Requirements.missing("ip", "nft", "iptables-restore", "tcpdump", "setpriv");
    if (!missing.isEmpty()) {
      Requirements.unavailable("the per-user audit test needs " + String.join(", ", missing));
      return;
    }
    bed = KernelTestBed.create(List.of(HOST));
  }

  @AfterAll
  static void close() throws IOException {
    if (bed != null) {
      bed.close();
    }
  }

  static String[] egret(int expected, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Egret.run(args, new PrintWriter(out), new PrintWriter(err));
    assertEquals(expected, rc, String.join(" ", args) + ": " + out + err);
    return new String[] {out.toString(), err.toString()};
  }

  /** A policy for the host that allows nothing: in audit mode, every new connection is logged. */
  static Path nothingAllowed() throws IOException {
    Path p = dir.resolve("nothing.yaml");
    Files.writeString(
        p,
        String.join(
            "\n",
            "apiVersion: egret/v1",
            "kind: EgressPolicy",
            "metadata: {windowStart: '2026-11-01T00:00:00Z', windowEnd: '2026-11-08T00:00:00Z',"
                + " days: 7, sources: [test.pcap], packets: 0, malformed: 0, dropped: 0,"
                + " thresholds: {}}",
            "roles:",
            "  - {name: web, hosts: [" + HOST + "/32], description: web}",
            "rules: []",
            "defaults: {action: drop, allowEstablished: true, allowLoopback: true, logRate: 3,"
                + " logBurst: 10, logPrefix: 'egret-drop ', keepAccess: [tcp/22]}",
            ""));
    return p;
  }

  void load(Path out, String target) throws IOException {
    bed.unload();
    bed.sh(
        bed.hosts.get(HOST),
        "iptables -F; iptables -X; "
            + (target.equals("nftables")
                ? "nft -f " + out.resolve("egret.nft")
                : "iptables-restore " + out.resolve("rules.v4")));
  }

  /** Each user's probes ({@code proto destination port}) run as that user, at once. */
  static Map<String, Boolean> probe(Map<Integer, List<String>> byUser) throws Exception {
    Map<Integer, Process> running = new TreeMap<>();
    for (var e : byUser.entrySet()) {
      Process p =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  bed.hosts.get(HOST),
                  "setpriv",
                  "--reuid",
                  "" + e.getKey(),
                  "--regid",
                  "" + e.getKey(),
                  "--clear-groups",
                  KernelTestBed.python(),
                  "-c",
                  KernelTestBed.PROBE)
              .redirectErrorStream(true)
              .start();
      try (var w = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
        List<String> ps = e.getValue();
        for (int i = 0; i < ps.size(); i++) {
          w.write(i + " " + ps.get(i) + " 0\n");
        }
      }
      running.put(e.getKey(), p);
    }
    Map<String, Boolean> out = new TreeMap<>();
    for (var e : running.entrySet()) {
      Process p = e.getValue();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probes ended");
      for (String line : text.split("\n")) {
        String[] w = line.trim().split(" ");
        assertEquals(2, w.length, text);
        String probe = byUser.get(e.getKey()).get(Integer.parseInt(w[0]));
        // Repeated probes of one user must agree; they are one key.
        Boolean was = out.put(e.getKey() + " " + probe, w[1].equals("allowed"));
        assertTrue(was == null || was == w[1].equals("allowed"), e.getKey() + " " + probe);
      }
    }
    return out;
  }

  /** Runs {@code work} while tcpdump keeps NFLOG group {@link #GROUP} in {@code pcap}. */
  static void captured(Path pcap, int records, NflogCapture.Work work) throws Exception {
    NflogCapture.during(bed.hosts.get(HOST), GROUP, pcap, records, work);
  }

  static final List<String> ALL = List.of("tcp " + A + " 443", "udp " + B + " 5353");

  @Test
  void anAuditRunLearnsRulesThatLetEachUserDoOnlyItsOwn() throws Exception {
    // 1. Audit: every new connection logged with its user, and let through.
    Path audit = Files.createDirectories(dir.resolve("audit"));
    egret(
        0,
        "compile",
        "--target",
        "nftables",
        nothingAllowed().toString(),
        "--audit",
        "--log-group",
        "" + GROUP,
        "-o",
        audit.toString());
    load(audit, "nftables");
    Path log = dir.resolve("audit.pcap");
    Map<String, Boolean> learning = new TreeMap<>();
    captured(
        log,
        8,
        () ->
            learning.putAll(
                probe(
                    Map.of(
                        1001, Collections.nCopies(4, "tcp " + A + " 443"),
                        1002, Collections.nCopies(4, "udp " + B + " 5353")))));
    assertEquals(
        Map.of("1001 tcp " + A + " 443", true, "1002 udp " + B + " 5353", true),
        learning,
        "the audit ruleset lets everything through");

    // 2. Learn and generate with defaults.
    Path baseline = dir.resolve("baseline.json");
    String[] learned = egret(0, "learn", log.toString(), "-b", baseline.toString());
    assertTrue(
        learned[1].contains("egret: 1 audit log, ")
            && learned[1].contains(": 8 connection attempts"),
        learned[1]);
    Path policyFile = dir.resolve("policy.yaml");
    egret(0, "policy", baseline.toString(), "-o", policyFile.toString());
    Policy policy = PolicyYaml.read(policyFile);
    List<String> rules = new ArrayList<>();
    for (Rule r : policy.rules()) {
      rules.add(r.uid() + " " + r.protocol() + " " + r.ports() + " " + r.destination().addresses());
    }
    assertEquals(
        List.of("1001 tcp [443] [" + A + "/32]", "1002 udp [5353] [" + B + "/32]"),
        rules,
        "one rule per user");

    // 3. Enforce: each user its own, a third user nothing.
    Map<Integer, List<String>> everyone = Map.of(1001, ALL, 1002, ALL, 1003, ALL);
    Map<String, Boolean> expected = new TreeMap<>();
    for (int uid : List.of(1001, 1002, 1003)) {
      expected.put(uid + " tcp " + A + " 443", uid == 1001);
      expected.put(uid + " udp " + B + " 5353", uid == 1002);
    }
    for (String target : List.of("nftables", "iptables")) {
      Path enforce = Files.createDirectories(dir.resolve(target));
      egret(0, "compile", "--target", target, policyFile.toString(), "-o", enforce.toString());
      load(enforce, target);
      assertEquals(expected, probe(everyone), target + " enforcing the learned policy");
    }

    // 4. check agrees with the kernel: nothing of the learning run is blocked, and what the
    // learned policy's audit ruleset logs (what it would block) is what check blocks.
    String[] none = egret(0, "check", "--policy", policyFile.toString(), log.toString());
    assertEquals("", none[0]);
    Path reaudit = Files.createDirectories(dir.resolve("reaudit"));
    egret(
        0,
        "compile",
        "--target",
        "nftables",
        policyFile.toString(),
        "--audit",
        "--log-group",
        "" + GROUP,
        "-o",
        reaudit.toString());
    load(reaudit, "nftables");
    Path attempts = dir.resolve("attempts.pcap");
    Map<String, Boolean> all = new TreeMap<>();
    captured(attempts, 4, () -> all.putAll(probe(everyone)));
    assertTrue(all.values().stream().allMatch(v -> v), "audit lets everything through: " + all);
    String csv =
        egret(1, "check", "--policy", policyFile.toString(), "--csv", attempts.toString())[0];
    List<String> blocked = new ArrayList<>();
    for (String l : csv.lines().skip(1).toList()) {
      String[] f = l.split(",", -1);
      blocked.add(f[7] + " " + f[2] + " " + f[1] + " " + f[3] + " x" + f[4]);
    }
    Collections.sort(blocked);
    assertEquals(
        List.of(
            "1001 udp " + B + " 5353 x1",
            "1002 tcp " + A + " 443 x1",
            "1003 tcp " + A + " 443 x1",
            "1003 udp " + B + " 5353 x1"),
        blocked,
        "check blocks what the kernel would, per user");
  }
}
