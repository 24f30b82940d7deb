package dev.egret.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Entry;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyYaml;
import dev.egret.policy.ReviewItem;
import dev.egret.policy.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log to per-user rules, in process: kernel log lines of an audit ruleset (two days, two
 * users, retransmitted SYNs, a hostile line, a line without a date) learned into a baseline with
 * users, a policy with a rule per user, compiled with the owner match, and checked per user.
 */
class PerUserRulesTest {
  static final String HOST = "10.0.0.5";
  static final String A = "198.51.100.10";
  static final String B = "198.51.100.53";

  @TempDir Path tmp;

  static String line(String time, String dst, String proto, int sport, int dport, Integer uid) {
    return time
        + " web kernel: egret-drop IN= OUT=eth0 SRC="
        + HOST
        + " DST="
        + dst
        + " LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO="
        + proto
        + " SPT="
        + sport
        + " DPT="
        + dport
        + (proto.equals("TCP") ? " WINDOW=64240 RES=0x00 SYN URGP=0" : " LEN=40")
        + (uid == null ? "" : " UID=" + uid + " GID=" + uid);
  }

  /** Two days: 1001 to A tcp/443 and 1002 to B udp/5353 four times a day; 33 to A once. */
  Path auditLog() throws Exception {
    List<String> lines = new ArrayList<>();
    for (String day : List.of("2026-11-27", "2026-11-28")) {
      for (int i = 0; i < 4; i++) {
        String t = day + "T1" + i + ":00:00+00:00";
        lines.add(line(t, A, "TCP", 40000 + i, 443, 1001));
        lines.add(line(day + "T1" + i + ":00:01+00:00", A, "TCP", 40000 + i, 443, 1001));
        lines.add(line(day + "T1" + i + ":00:03+00:00", A, "TCP", 40000 + i, 443, 1001));
        lines.add(line(t, B, "UDP", 50000 + i, 5353, 1002));
      }
    }
    lines.add(line("2026-11-27T12:30:00+00:00", A, "TCP", 41000, 25, 33));
    lines.add("2026-11-28T12:31:00+00:00 web kernel: egret-drop SRC=<script>x</script> DST=" + A);
    lines.add(line("2026-11-28T12:31:00+00:00", A, "TCP", 41001, 22, null) + " UID=-1\u001b[2J");
    lines.add("[ 1234.567890] " + line("", B, "UDP", 50009, 5353, 1002).substring(13));
    lines.add("2026-11-28T12:32:00+00:00 web kernel: usb 1-1: new high-speed USB device");
    Path log = tmp.resolve("kern.log");
    Files.writeString(log, String.join("\n", lines) + "\n");
    return log;
  }

  @Test
  void anAuditLogLearnsPerUserRules() throws Exception {
    Path log = auditLog();
    Path baseline = tmp.resolve("b.json");
    Run learn = Run.of("learn", log.toString(), "-b", baseline.toString());
    assertEquals(0, learn.exit(), learn.toString());
    List<String> err = learn.err().lines().toList();
    assertEquals(
        "egret: warning: "
            + log
            + ": 3 audit lines skipped (addresses or user unreadable, or no date: plain dmesg counts from boot;"
            + " use journalctl -k -o short-iso or dmesg -T)",
        err.get(0));
    assertEquals(
        "egret: 1 audit log, 36 logged packets: 17 connection attempts, 16 retransmissions folded"
            + " in, 3 skipped",
        err.get(1));
    assertFalse(learn.err().contains("<script>") || learn.err().contains("\u001b"), learn.err());

    List<Entry> es = BaselineJson.read(baseline).entries();
    assertEquals(3, es.size(), es.toString());
    assertEquals(HOST + " " + A + " tcp 25 33", es.get(0).key());
    assertEquals(HOST + " " + A + " tcp 443 1001", es.get(1).key());
    assertEquals(HOST + " " + B + " udp 5353 1002", es.get(2).key());
    Entry web = es.get(1);
    assertEquals(8, web.flows(), "retransmissions are not connections");
    assertEquals(0, web.answered() + web.unanswered() + web.rejected(), "outcome unknown");
    assertEquals(8, web.unknownOutcome());
    assertEquals(List.of("2026-11-27", "2026-11-28"), web.days());

    Run export = Run.of("baseline", "export", baseline.toString());
    assertEquals(0, export.exit(), export.toString());
    assertTrue(export.out().lines().findFirst().orElse("").endsWith(",names,uid"), export.out());
    assertTrue(export.out().contains("\n" + HOST + "," + A + ",false,tcp,443,8,0,0,0,"));
    assertTrue(
        export
            .out()
            .lines()
            .anyMatch(l -> l.startsWith(HOST + "," + A + ",false,tcp,443,") && l.endsWith(",1001")),
        export.out());

    Path policyFile = tmp.resolve("policy.yaml");
    Run policy = Run.of("policy", baseline.toString(), "-o", policyFile.toString());
    assertEquals(0, policy.exit(), policy.toString());
    Policy p = PolicyYaml.read(policyFile);
    List<String> rules = new ArrayList<>();
    for (Rule r : p.rules()) {
      rules.add(r.name() + " uid " + r.uid() + " " + r.protocol() + " " + r.ports());
    }
    assertEquals(
        List.of(
            "host-10-0-0-5-tcp443-u1001-addresses uid 1001 tcp [443]",
            "host-10-0-0-5-udp5353-u1002-addresses uid 1002 udp [5353]"),
        rules);
    List<String> review = p.review().stream().map(ReviewItem::reason).toList();
    assertEquals(
        List.of("user 33: 1 answered or audit-logged connection, fewer than minFlows 3"), review);

    Path nft = tmp.resolve("nft");
    Run c = Run.of("compile", "--target", "nftables", policyFile.toString(), "-o", nft.toString());
    assertEquals(0, c.exit(), c.toString());
    String ruleset = Files.readString(nft.resolve("egret.nft"));
    assertTrue(ruleset.contains(" meta skuid 1001 tcp dport 443 counter accept "), ruleset);
    assertTrue(ruleset.contains(" meta skuid 1002 udp dport 5353 counter accept "), ruleset);

    Path ipt = tmp.resolve("ipt");
    c = Run.of("compile", "--target", "iptables", policyFile.toString(), "-o", ipt.toString());
    assertEquals(0, c.exit(), c.toString());
    String v4 = Files.readString(ipt.resolve("rules.v4"));
    assertTrue(
        v4.contains(
            "-A EGRET-EGRESS -d " + A + "/32 -m owner --uid-owner 1001 -p tcp -m tcp --dport 443 "),
        v4);
    assertTrue(v4.contains(" -m owner --uid-owner 1002 -p udp -m udp --dport 5353 "), v4);

    for (String target : List.of("nftables", "iptables")) {
      Path gw = tmp.resolve("gw-" + target);
      c =
          Run.of(
              "compile",
              "--target",
              target,
              "--mode",
              "gateway",
              policyFile.toString(),
              "-o",
              gw.toString());
      assertEquals(0, c.exit(), c.toString());
      assertEquals(
          "egret: warning: gateway mode: 2 per-user rules apply to every user of their hosts (a"
              + " router cannot tell users apart; --mode host on each host keeps them per user)",
          c.err().lines().findFirst().orElse(""),
          target);
      for (Path f : Files.list(gw).toList()) {
        String text = Files.readString(f);
        assertFalse(text.contains("skuid") || text.contains("--uid-owner"), f + ": " + text);
      }
    }

    Run ufw = Run.of("compile", "--target", "ufw", policyFile.toString(), "-o", tmp.toString());
    assertEquals(2, ufw.exit(), ufw.toString());
    assertEquals(
        "egret: host-10-0-0-5-tcp443-u1001-addresses contains unsupported keywords (uid 1001, as"
            + " ufw cannot match the sending user) for target ufw;"
            + " host-10-0-0-5-udp5353-u1002-addresses contains unsupported keywords (uid 1002, as"
            + " ufw cannot match the sending user) for target ufw\n",
        ufw.err());

    // Each user to the other's server, a third user to both, and a capture's view (no user).
    Path attempts = tmp.resolve("attempts.log");
    Files.writeString(
        attempts,
        String.join(
            "\n",
            line("2026-11-29T10:00:00+00:00", A, "TCP", 42000, 443, 1001),
            line("2026-11-29T10:00:00+00:00", B, "UDP", 42001, 5353, 1002),
            line("2026-11-29T10:00:01+00:00", B, "UDP", 42002, 5353, 1001),
            line("2026-11-29T10:00:02+00:00", A, "TCP", 42003, 443, 1002),
            line("2026-11-29T10:00:03+00:00", A, "TCP", 42004, 443, 1003),
            line("2026-11-29T10:00:04+00:00", B, "UDP", 42005, 5353, 1003),
            line("2026-11-29T10:00:05+00:00", A, "TCP", 42006, 443, null),
            ""));
    Run check = Run.of("check", "--policy", policyFile.toString(), "--csv", attempts.toString());
    assertEquals(1, check.exit(), check.toString());
    assertEquals(
        List.of(
            "host,destination,protocol,port,flows,first_seen,names,uid",
            HOST + "," + A + ",tcp,443,1,2026-11-29T10:00:02Z,,1002",
            HOST + "," + A + ",tcp,443,1,2026-11-29T10:00:03Z,,1003",
            HOST + "," + B + ",udp,5353,1,2026-11-29T10:00:01Z,,1001",
            HOST + "," + B + ",udp,5353,1,2026-11-29T10:00:04Z,,1003"),
        check.out().lines().toList());
  }

  @Test
  void formatAuditReadsKernelLogTextOnStandardInput() throws Exception {
    Path baseline = tmp.resolve("b.json");
    String log = line("2026-11-27T10:00:00+00:00", A, "TCP", 40000, 443, 33) + "\n";
    java.io.InputStream stdin = System.in;
    Run r;
    try {
      System.setIn(new java.io.ByteArrayInputStream(log.getBytes(UTF_8)));
      r = Run.of("learn", "--format", "audit", "-", "-b", baseline.toString());
    } finally {
      System.setIn(stdin);
    }
    assertEquals(0, r.exit(), r.toString());
    List<Entry> es = BaselineJson.read(baseline).entries();
    assertEquals(List.of(HOST + " " + A + " tcp 443 33"), es.stream().map(Entry::key).toList());
    assertEquals("audit - ", BaselineJson.read(baseline).sources().get(0).key().substring(0, 8));

    Run flows = Run.of("flows", "--format", "audit", tmp.resolve("b.json").toString());
    assertEquals(2, flows.exit(), flows.toString());
    assertEquals("egret: --format audit: only learn and check read audit logs\n", flows.err());
  }

  @Test
  void usersStayApartWhenBaselinesMerge() throws Exception {
    Path baseline = tmp.resolve("b.json");
    Path day1 = tmp.resolve("day1.log");
    Path day2 = tmp.resolve("day2.log");
    Files.writeString(day1, line("2026-11-27T10:00:00+00:00", A, "TCP", 40000, 443, 1001) + "\n");
    Files.writeString(day2, line("2026-11-28T10:00:00+00:00", A, "TCP", 40000, 443, 1002) + "\n");
    assertEquals(0, Run.of("learn", day1.toString(), "-b", baseline.toString()).exit());
    assertEquals(0, Run.of("learn", day2.toString(), "-b", baseline.toString()).exit());
    List<String> keys = BaselineJson.read(baseline).entries().stream().map(Entry::key).toList();
    assertEquals(List.of(HOST + " " + A + " tcp 443 1001", HOST + " " + A + " tcp 443 1002"), keys);
    Run show = Run.of("baseline", "show", baseline.toString());
    assertEquals(0, show.exit(), show.toString());
    assertTrue(
        show.out().lines().anyMatch(l -> l.matches(" +proto +destination +port +uid +flows.*")),
        show.out());
    assertTrue(
        show.out().lines().anyMatch(l -> l.matches(" +tcp +198\\.51\\.100\\.10 +443 +1002 +1 .*")),
        show.out());
  }
}
