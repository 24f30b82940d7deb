package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decisions: their ids, their file, and that a regenerated policy keeps them. */
class DecisionsTest {
  @TempDir Path tmp;

  @Test
  void idsAreCanonicalAndShortFormsExpand() {
    assertEquals(
        "10.0.1.5/tcp/443/api.example.com",
        DecisionId.parse("10.0.1.5/tcp/443/API.Example.com.").toString());
    assertEquals("10.0.0.5/*/*/*", DecisionId.parse("host:10.0.0.5").toString());
    assertEquals("*/*/*/*.example.com", DecisionId.parse("name:*.example.com").toString());
    assertEquals("*/*/*/203.0.113.0/24", DecisionId.parse("dest:203.0.113.0/24").toString());
    assertEquals("*/tcp/443/198.51.100.7", DecisionId.parse("*/6/443/198.51.100.7/32").toString());
    assertEquals("fd00::5/udp/53/fd00::53", DecisionId.parse("fd00::5/udp/53/fd00::53").toString());
  }

  @Test
  void badIdsSayWhatIsWrong() {
    assertEquals(
        "bad port in decision id \"10.0.1.5/tcp/70000/x.example\" (expected * or 0-65535)",
        assertThrows(PolicyException.class, () -> DecisionId.parse("10.0.1.5/tcp/70000/x.example"))
            .getMessage());
    assertEquals(
        "bad destination in decision id \"*/tcp/443/evil\n.example; rm -rf /\" (expected *, an"
            + " address, a prefix, a host name or *.domain)",
        assertThrows(
                PolicyException.class, () -> DecisionId.parse("*/tcp/443/evil\n.example; rm -rf /"))
            .getMessage());
    assertTrue(
        assertThrows(PolicyException.class, () -> DecisionId.parse("web/tcp/443/x.example"))
            .getMessage()
            .startsWith("bad host in decision id \"web/tcp/443/x.example\""));
    assertEquals(
        "bad decision id \"10.0.0.5\" (expected HOST/PROTOCOL/PORT/DESTINATION, host:ADDR,"
            + " name:NAME or dest:PREFIX)",
        assertThrows(PolicyException.class, () -> DecisionId.parse("10.0.0.5")).getMessage());
  }

  static final String HEAD = "apiVersion: egret/v1\nkind: Decisions\ndecisions:\n";

  @Test
  void fileErrorsNameTheFileAndLine() {
    assertEquals(
        "d.yaml:7: bad action \"permit\" (expected allow, deny or ignore)",
        assertThrows(
                PolicyException.class,
                () ->
                    DecisionsYaml.parse(
                        HEAD
                            + "  - id: host:10.0.0.5\n    action: ignore\n  - id: name:a.example\n"
                                .replace("\n    action: ignore\n", "\n    action: ignore\n")
                            + "    action: permit\n",
                        "d.yaml"))
            .getMessage());
    assertEquals(
        "d.yaml:5: unknown key \"acton\" in a decision",
        assertThrows(
                PolicyException.class,
                () ->
                    DecisionsYaml.parse(
                        HEAD + "  - id: host:10.0.0.5\n    acton: deny\n", "d.yaml"))
            .getMessage());
    assertEquals(
        "d.yaml:4: bad destination in decision id \"*/*/*/a b\" (expected *, an address, a"
            + " prefix, a host name or *.domain)",
        assertThrows(
                PolicyException.class,
                () ->
                    DecisionsYaml.parse(
                        HEAD + "  - id: \"*/*/*/a b\"\n    action: deny\n", "d.yaml"))
            .getMessage());
    assertEquals(
        "d.yaml:4: a decision needs an action",
        assertThrows(
                PolicyException.class,
                () -> DecisionsYaml.parse(HEAD + "  - id: host:10.0.0.5\n", "d.yaml"))
            .getMessage());
    String notYaml =
        assertThrows(
                PolicyException.class,
                () -> DecisionsYaml.parse(HEAD + "  - id: \"host:10.0.0.5\n", "d.yaml"))
            .getMessage();
    assertTrue(notYaml.matches("d\\.yaml:[45]: not a valid decisions file: .*"), notYaml);
    assertFalse(notYaml.contains("\n"), notYaml);
    assertEquals(List.of(), DecisionsYaml.parse("", "d.yaml"));
  }

  @Test
  void appendingKeepsCommentsAndHostileNotesStayText() throws Exception {
    Path f = tmp.resolve("decisions.yaml");
    Files.writeString(
        f, "# our site's decisions\n" + HEAD + "  - id: host:10.0.0.9\n    action: ignore\n");
    String hostile = "ok\"\n  - id: host:10.0.0.1\n    action: allow # \u202e\u001b[2J: x";
    DecisionsYaml.append(
        f,
        new Decision(
            DecisionId.parse("name:api.example.com"),
            Decision.Action.ALLOW,
            "2026-11-29",
            hostile,
            0));
    DecisionsYaml.append(
        f,
        new Decision(
            DecisionId.parse("dest:203.0.113.0/24"), Decision.Action.DENY, "2026-11-30", null, 0));
    String text = Files.readString(f, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("# our site's decisions\n" + HEAD), text);
    List<Decision> ds = DecisionsYaml.parse(text, "d.yaml");
    assertEquals(3, ds.size(), text);
    assertEquals("*/*/*/api.example.com", ds.get(1).id().toString());
    assertEquals(hostile, ds.get(1).note());
    assertEquals(Decision.Action.DENY, ds.get(2).action());
    assertEquals("2026-11-30", ds.get(2).date());
    // A file that is not a decisions file is refused, never overwritten.
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "apiVersion: egret/v1\nkind: EgressPolicy\n");
    assertThrows(
        PolicyException.class,
        () ->
            DecisionsYaml.append(
                bad,
                new Decision(
                    DecisionId.parse("host:10.0.0.1"), Decision.Action.IGNORE, null, null, 0)));
    assertEquals("apiVersion: egret/v1\nkind: EgressPolicy\n", Files.readString(bad));
  }

  /**
   * Three days, then four: a server (10.0.0.5) with an API it calls daily, a partner API seen once
   * (review) whose address changes, a dead mail relay (anomaly); a workstation (10.0.1.1) that
   * browses a new /24 every few connections (tcp/443 to any), one of them a tracker.
   */
  static Baseline site(int days, String partnerAddress, String trackerAddress) {
    TestBaselines t = new TestBaselines().days(days).source("s.pcap");
    int[] all = new int[days];
    for (int i = 0; i < days; i++) {
      all[i] = i;
    }
    t.entry("10.0.0.5", "192.0.2.10", "tcp", 443, 10L * days, 10L * days, all)
        .name("10.0.0.5", "192.0.2.10", "api.example.com");
    t.entry("10.0.0.5", partnerAddress, "tcp", 443, 1, 1, days - 2)
        .name("10.0.0.5", partnerAddress, "partner.example.net");
    t.entry("10.0.0.5", "198.51.100.25", "tcp", 25, 5, 0, days - 1);
    t.entry("10.0.0.5", "10.0.0.53", "udp", 53, 50L * days, 50L * days, all);
    t.entry("10.0.0.5", "10.0.0.123", "udp", 123, 20L * days, 20L * days, all);
    for (int i = 0; i < 12 * days; i++) {
      t.entry("10.0.1.1", "203.0." + (i + 1) + ".1", "tcp", 443, 1, 1, i % days);
    }
    t.entry("10.0.1.1", trackerAddress, "tcp", 443, 4, 4, days - 1)
        .name("10.0.1.1", trackerAddress, "tracker.example.org");
    t.entry("10.0.1.1", "10.0.0.53", "udp", 53, 50L * days, 50L * days, all);
    return t.build();
  }

  static Decisions decisions() {
    return new Decisions(
        List.of(
            new Decision(
                DecisionId.parse("10.0.0.5/tcp/443/partner.example.net"),
                Decision.Action.ALLOW,
                "2024-03-05",
                "ticket 42",
                4),
            new Decision(
                DecisionId.parse("10.0.0.5/tcp/25/198.51.100.25"),
                Decision.Action.IGNORE,
                null,
                null,
                7),
            new Decision(
                DecisionId.parse("name:tracker.example.org"),
                Decision.Action.DENY,
                null,
                null,
                9)));
  }

  @Test
  void aRegeneratedPolicyKeepsEveryDecision() {
    for (String[] run :
        List.of(
            new String[] {"3", "192.0.2.50", "203.0.200.66"},
            new String[] {"4", "192.0.2.51", "203.0.201.77"})) {
      Baseline b = site(Integer.parseInt(run[0]), run[1], run[2]);
      String partner = run[1];
      String tracker = run[2];
      PolicyGenerator.Generated g =
          new PolicyGenerator(EgretConfig.defaults(), decisions(), true).generateAll(b);
      Policy p = g.policy();
      assertEquals(List.of(), g.unmatched());
      Rule allowed =
          p.rules().stream()
              .filter(r -> r.destination().names().contains("partner.example.net"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(PolicyYaml.write(p)));
      assertEquals(
          "allowed by the user on 2024-03-05 (10.0.0.5/tcp/443/partner.example.net): ticket 42",
          allowed.evidence().decided());
      PolicyChecker c = new PolicyChecker(p);
      IpAddress server = IpAddress.parse("10.0.0.5");
      IpAddress desk = IpAddress.parse("10.0.1.1");
      assertTrue(c.allows(server, IpAddress.parse(partner), 6, 443), partner + " " + allowed);
      assertTrue(p.review().isEmpty(), PolicyYaml.write(p));
      assertTrue(p.anomalies().stream().noneMatch(a -> a.port() == 25), PolicyYaml.write(p));
      // The tracker is refused although the workstation may reach any tcp/443 destination.
      assertTrue(
          p.rules().stream()
              .anyMatch(r -> r.destination().any() && r.role().startsWith("host-10-0-1-1")),
          PolicyYaml.write(p));
      assertFalse(c.allows(desk, IpAddress.parse(tracker), 6, 443));
      assertTrue(c.allows(desk, IpAddress.parse("203.0.250.1"), 6, 443));
      // Both roles have a tcp/443 rule that could let the tracker by: the desk's any-destination
      // rule, and the server's name rule, whose set the resolver feeds.
      assertEquals(2, p.denied().size(), PolicyYaml.write(p));
      for (Rule d : p.denied()) {
        assertEquals(List.of("tracker.example.org"), d.destination().names());
        assertTrue(d.destination().addresses().contains(Cidr.parse(tracker)), d.toString());
      }
      assertTrue(
          c.check(b).stream()
              .anyMatch(x -> x.destination().equals(tracker) && x.host().equals("10.0.1.1")));
      assertEquals(
          List.of(
              "allow 10.0.0.5/tcp/443/partner.example.net (2024-03-05): 1 entry allowed",
              "ignore 10.0.0.5/tcp/25/198.51.100.25: 1 item no longer listed",
              "deny */*/*/tracker.example.org: 1 entry withheld, 2 deny rules"),
          p.metadata().decisions());
      // The YAML reads back as the same policy.
      assertEquals(p, PolicyYaml.parse(PolicyYaml.write(p), "p.yaml"));
    }
  }

  @Test
  void diffShowsWhichChangesComeFromDecisions() {
    Baseline b = site(3, "192.0.2.50", "203.0.200.66");
    Policy none = new PolicyGenerator(EgretConfig.defaults()).generate(b);
    Policy decided = new PolicyGenerator(EgretConfig.defaults(), decisions(), false).generate(b);
    List<PolicyDiff.Change> changes = PolicyDiff.between(none, decided);
    assertTrue(PolicyDiff.differ(changes));
    PolicyDiff.Change added =
        changes.stream().filter(c -> c.kind().equals("added")).findFirst().orElseThrow();
    assertTrue(
        added
            .detail()
            .endsWith(
                "; allowed by the user on 2024-03-05 (10.0.0.5/tcp/443/partner.example.net):"
                    + " ticket 42"),
        added.toString());
    assertEquals(
        2, changes.stream().filter(c -> c.kind().equals("deny-added")).count(), changes.toString());
    assertTrue(
        changes.contains(
            new PolicyDiff.Change(
                "decision", "decision", "new: ignore 10.0.0.5/tcp/25/198.51.100.25")),
        changes.toString());
    // An ignore changes the lists, not what is allowed: no difference for the exit code.
    Policy ignoreOnly =
        new PolicyGenerator(
                EgretConfig.defaults(), new Decisions(List.of(decisions().list().get(1))), false)
            .generate(b);
    List<PolicyDiff.Change> only = PolicyDiff.between(none, ignoreOnly);
    assertEquals(1, only.size(), only.toString());
    assertFalse(PolicyDiff.differ(only));
  }

  @Test
  void decisionsThatMatchNothingAreReportedNotFatal() {
    Decisions ds =
        new Decisions(
            List.of(
                new Decision(
                    DecisionId.parse("10.9.9.9/tcp/443/gone.example"),
                    Decision.Action.ALLOW,
                    null,
                    null,
                    3)));
    PolicyGenerator.Generated g =
        new PolicyGenerator(EgretConfig.defaults(), ds, true)
            .generateAll(site(3, "192.0.2.50", "203.0.200.66"));
    assertEquals(1, g.unmatched().size());
    assertEquals(3, g.unmatched().get(0).line());
    assertEquals(
        List.of("allow 10.9.9.9/tcp/443/gone.example: matches nothing in this baseline"),
        g.policy().metadata().decisions());
  }

  @Test
  void aClaimedNameNeverBorrowsAnAllowOrAnIgnore() {
    // The partner's name is only claimed by the client (TLS server name): an allow keyed by it
    // must not open the address, and the item keeps its address as its id.
    Baseline b =
        new TestBaselines()
            .days(3)
            .source("s.pcap")
            .entry("10.0.0.5", "192.0.2.10", "tcp", 443, 30, 30, 0, 1, 2)
            .entry("10.0.0.5", "198.51.100.9", "tcp", 443, 1, 1, 1)
            .sni("10.0.0.5", "198.51.100.9", "partner.example.net")
            .build();
    Decisions ds =
        new Decisions(
            List.of(
                new Decision(
                    DecisionId.parse("name:partner.example.net"),
                    Decision.Action.ALLOW,
                    null,
                    null,
                    1)));
    Policy p = new PolicyGenerator(EgretConfig.defaults(), ds, true).generate(b);
    assertFalse(
        new PolicyChecker(p)
            .allows(IpAddress.parse("10.0.0.5"), IpAddress.parse("198.51.100.9"), 6, 443));
    assertEquals(1, p.review().size());
    assertNotNull(p.review().get(0).id());
    assertEquals("10.0.0.5/tcp/443/198.51.100.9", p.review().get(0).id());
  }
}
