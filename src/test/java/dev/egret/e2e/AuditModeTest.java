package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.cli.Egret;
import dev.egret.testutil.Requirements;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compile --audit} on a real kernel: a host ({@link KernelTestBed}, the world answering
 * every port) loads an audit ruleset whose policy allows only tcp/443 to one server; user 1001
 * connects to that server and to tcp/25 elsewhere, user 1002 sends a UDP datagram to port 5353.
 * Every connection gets through, and {@code egret drops} reads back exactly the two the policy
 * would have blocked, each with its user; the enforcing ruleset from the same policy blocks them.
 */
class AuditModeTest {
  static final String HOST = "10.1.0.10";
  static final int GROUP = 9;

  @TempDir static Path dir;
  static KernelTestBed bed;
  static Path policy;

  @BeforeAll
  static void bed() throws IOException {
    if (!Requirements.root()) {
      Requirements.unavailable("the audit mode test needs root (network namespaces, nftables)");
      return;
    }
    List<String> missing =
        Requirements.missing("ip", "nft", "iptables-restore", "tcpdump", "setpriv", "ping");
    if (!missing.isEmpty()) {
      Requirements.unavailable("the audit mode test needs " + String.join(", ", missing));
      return;
    }
    bed = KernelTestBed.create(List.of(HOST));
    policy = dir.resolve("policy.yaml");
    Files.writeString(
        policy,
        String.join(
            "\n",
            PolicyText.HEADER,
            "roles:",
            "  - {name: web, hosts: [" + HOST + "/32], description: web}",
            "rules:",
            "  - name: web-api",
            "    role: web",
            "    protocol: tcp",
            "    ports: ['443']",
            "    icmpTypes: []",
            "    destination: {any: false, names: [], addresses: [198.51.100.10/32]}",
            "    broad: false",
            "    exposure: 1",
            "    evidence: {flows: 50, days: 7, firstSeen: '2026-11-01T00:00:00Z', lastSeen:"
                + " '2026-11-07T00:00:00Z', hosts: [], names: [], addresses: []}",
            "defaults: {action: drop, allowEstablished: true, allowLoopback: true, logRate: 3,"
                + " logBurst: 10, logPrefix: 'egret-drop ', keepAccess: [tcp/22]}",
            ""));
  }

  @AfterAll
  static void close() throws IOException {
    if (bed != null) {
      bed.close();
    }
  }

  static String[] egret(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Egret.run(args, new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, rc, String.join(" ", args) + ": " + err);
    return new String[] {out.toString(), err.toString()};
  }

  /** Runs probes ({@code proto destination port}) as {@code uid}; probe to true when through. */
  static Map<String, Boolean> probe(int uid, List<String> probes) throws Exception {
    Process p =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                bed.hosts.get(HOST),
                "setpriv",
                "--reuid",
                "" + uid,
                "--regid",
                "" + uid,
                "--clear-groups",
                KernelTestBed.python(),
                "-c",
                KernelTestBed.PROBE)
            .redirectErrorStream(true)
            .start();
    try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
      for (int i = 0; i < probes.size(); i++) {
        w.write(i + " " + probes.get(i) + " 0\n");
      }
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probes ended");
    Map<String, Boolean> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      String[] w = line.trim().split(" ");
      assertEquals(2, w.length, text);
      out.put(probes.get(Integer.parseInt(w[0])), w[1].equals("allowed"));
    }
    return out;
  }

  static final List<String> USER_1001 = List.of("tcp 198.51.100.10 443", "tcp 203.0.113.25 25");
  static final List<String> USER_1002 = List.of("udp 198.51.100.53 5353");

  void load(Path out, String target) throws IOException {
    bed.unload();
    bed.sh(
        bed.hosts.get(HOST),
        "iptables -F; iptables -X; "
            + (target.equals("nftables")
                ? "nft -f " + out.resolve("egret.nft")
                : "iptables-restore " + out.resolve("rules.v4")));
  }

  @Test
  void auditAcceptsAndLogsWhatWouldBeBlockedWithEachUser() throws Exception {
    for (String target : List.of("nftables", "iptables")) {
      Path out = Files.createDirectories(dir.resolve(target + "-audit"));
      String[] c =
          egret(
              "compile",
              "--target",
              target,
              policy.toString(),
              "--audit",
              "--log-group",
              "" + GROUP,
              "-o",
              out.toString());
      assertEquals(
          "egret: warning: --audit: these rules block nothing; they log what the policy would"
              + " block and accept it",
          c[1].lines().findFirst().orElse(""));
      load(out, target);
      Path pcap = dir.resolve(target + "-audit.pcap");
      Map<String, Boolean> got = new TreeMap<>();
      NflogCapture.during(
          bed.hosts.get(HOST),
          GROUP,
          pcap,
          2,
          () -> {
            got.putAll(probe(1001, USER_1001));
            got.putAll(probe(1002, USER_1002));
          });
      assertEquals(
          Map.of(
              "tcp 198.51.100.10 443", true,
              "tcp 203.0.113.25 25", true,
              "udp 198.51.100.53 5353", true),
          got,
          target + " in audit mode lets everything through");
      String csv = egret("drops", pcap.toString(), "--format", "csv")[0];
      List<String> groups = new ArrayList<>();
      for (String l : csv.lines().skip(1).toList()) {
        groups.add(String.join(",", Arrays.asList(l.split(",", -1)).subList(0, 6)));
      }
      assertEquals(
          List.of(HOST + ",1002,198.51.100.53,udp,5353,1", HOST + ",1001,203.0.113.25,tcp,25,1"),
          groups,
          target + ": the connections the policy would block, each once, with its user");

      Path enforce = Files.createDirectories(dir.resolve(target + "-enforce"));
      egret("compile", "--target", target, policy.toString(), "-o", enforce.toString());
      load(enforce, target);
      Map<String, Boolean> enforced = new TreeMap<>(probe(1001, USER_1001));
      enforced.putAll(probe(1002, USER_1002));
      assertEquals(
          Map.of(
              "tcp 198.51.100.10 443", true,
              "tcp 203.0.113.25 25", false,
              "udp 198.51.100.53 5353", false),
          enforced,
          target + " enforcing the same policy");
    }
  }
}
