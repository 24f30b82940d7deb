package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A host seen on one day of the window (a laptop away the rest of it) has nothing allowed of its
 * own; where its traffic is what a learned role's rules allow, it joins that role without changing
 * its rules. A device that only shares the resolver and the clock with the role, a server other
 * hosts reached on days it started nothing, a host with a beacon, one a person denied, and one
 * whose traffic the role's rules mostly do not allow stay without a role.
 */
class NewcomersTest {
  private static final String RESOLVER = "10.0.0.53";
  private static final String LAPTOP = "10.0.1.50";

  /** Two desks: the resolver, two web applications by name, the NTP pool, every day of three. */
  private static TestBaselines desks() {
    TestBaselines b = new TestBaselines().days(3);
    for (String h : List.of("10.0.1.10", "10.0.1.11")) {
      b.entry(h, RESOLVER, "udp", 53, 60, 60, 0, 1, 2);
      b.entry(h, "198.51.100.10", "tcp", 443, 40, 40, 0, 1, 2)
          .answer(h, "198.51.100.10", "crm.example", 0, 2, 600, 300);
      b.entry(h, "198.51.100.11", "tcp", 443, 30, 30, 0, 1, 2)
          .answer(h, "198.51.100.11", "mail.example", 0, 2, 650, 300);
      b.entry(h, "192.0.2.123", "udp", 123, 6, 6, 0, 1, 2)
          .answer(h, "192.0.2.123", "pool.ntp.example", 0, 2, 500, 300);
    }
    return b;
  }

  /** The desks' traffic on one day, 45 connections. */
  private static TestBaselines laptop(TestBaselines b, String host, int day) {
    b.entry(host, RESOLVER, "udp", 53, 20, 20, day);
    b.entry(host, "198.51.100.10", "tcp", 443, 15, 15, day)
        .answer(host, "198.51.100.10", "crm.example", day, day, 600, 300);
    b.entry(host, "198.51.100.11", "tcp", 443, 10, 10, day)
        .answer(host, "198.51.100.11", "mail.example", day, day, 650, 300);
    return b;
  }

  private static Policy policy(Baseline b) {
    return new PolicyGenerator(EgretConfig.defaults()).generate(b);
  }

  private static String roleOf(Policy p, String host) {
    IpAddress a = IpAddress.parse(host);
    for (Role r : p.roles()) {
      for (Cidr c : r.hosts()) {
        if (c.contains(a)) {
          return r.name();
        }
      }
    }
    return null;
  }

  private static boolean blocked(Policy p, Baseline b, String host) {
    return new PolicyChecker(p).check(b).stream().anyMatch(x -> x.host().equals(host));
  }

  @Test
  void aLaptopSeenOnOneDayJoinsTheDesksWithoutChangingTheirRules() {
    for (int day : new int[] {1, 2}) { // the middle day, and the last (its connections are new)
      Baseline b = laptop(desks(), LAPTOP, day).build();
      Policy p = policy(b);
      String desks = roleOf(p, "10.0.1.10");
      assertEquals(desks, roleOf(p, "10.0.1.11"));
      assertEquals(desks, roleOf(p, LAPTOP), "day " + day);
      assertEquals(policy(desks().build()).rules(), p.rules());
      assertFalse(blocked(p, b, LAPTOP));
      assertTrue(p.review().stream().noneMatch(r -> r.host().equals(LAPTOP)), p.review()::toString);
      assertTrue(p.anomalies().stream().noneMatch(a -> a.host().equals(LAPTOP)));
      assertEquals(
          List.of(
              "1 host with nothing allowed of its own (each connection below minFlows or minDays)"
                  + " joined the learned role whose rules allow what it does, since the role's"
                  + " other hosts did it on enough days: 10.0.1.50 to role "
                  + desks
                  + " (45 of its 45 connections on 1 day allowed by that role's rules); to keep"
                  + " one out, egret review --deny host:ADDR, or name it in a role of the config"
                  + " (roles:)"),
          p.metadata().warnings().stream().filter(w -> w.contains("joined")).toList());
      assertTrue(
          p.metadata().warnings().stream()
              .noneMatch(w -> w.contains("traffic but nothing allowed")));
      assertTrue(p.role(desks).description().endsWith("(10.0.1.50)"), p.role(desks)::description);
    }
  }

  @Test
  void twoLaptopsAreNamedInTheWarningAndTheRoleInThePlural() {
    Baseline b = laptop(laptop(desks(), LAPTOP, 1), "10.0.1.51", 2).build();
    Policy p = policy(b);
    String desks = roleOf(p, "10.0.1.10");
    assertEquals(desks, roleOf(p, LAPTOP));
    assertEquals(desks, roleOf(p, "10.0.1.51"));
    assertEquals(
        List.of(
            "2 hosts with nothing allowed of their own (each connection below minFlows or"
                + " minDays) each joined the learned role whose rules allow what it does, since"
                + " the role's other hosts did it on enough days: 10.0.1.50 to role "
                + desks
                + " (45 of its 45 connections on 1 day allowed by that role's rules), 10.0.1.51"
                + " to role "
                + desks
                + " (45 of its 45 connections on 1 day allowed by that role's rules); to keep"
                + " one out, egret review --deny host:ADDR, or name it in a role of the config"
                + " (roles:)"),
        p.metadata().warnings().stream().filter(w -> w.contains("joined")).toList());
    assertTrue(
        p.role(desks)
            .description()
            .endsWith(
                "; 2 hosts with nothing allowed of their own joined, their traffic being what"
                    + " these rules allow (10.0.1.50, 10.0.1.51)"),
        p.role(desks)::description);
  }

  @Test
  void aDeviceThatOnlyAsksTheResolverAndTheClockStaysOut() {
    TestBaselines t = desks();
    t.entry("10.0.1.60", RESOLVER, "udp", 53, 40, 40, 1);
    t.entry("10.0.1.60", "192.0.2.123", "udp", 123, 10, 10, 1)
        .answer("10.0.1.60", "192.0.2.123", "pool.ntp.example", 1, 1, 500, 300);
    Baseline b = t.build();
    Policy p = policy(b);
    assertNull(roleOf(p, "10.0.1.60"));
    assertTrue(blocked(p, b, "10.0.1.60"));
    assertTrue(
        p.metadata().warnings().stream()
            .anyMatch(
                w -> w.contains("traffic but nothing allowed") && w.contains("10.0.1.60 (50")));
  }

  @Test
  void aHostWhoseTrafficTheRolesRulesMostlyDoNotAllowStaysOut() {
    TestBaselines t = laptop(desks(), LAPTOP, 1);
    // 45 connections the desks make, 12 to an address nobody else reaches: 79% < 80%
    t.entry(LAPTOP, "203.0.113.9", "tcp", 8443, 12, 12, 1);
    Policy p = policy(t.build());
    assertNull(roleOf(p, LAPTOP));
    // 11 of them: 80.4%, it joins; the address stays blocked
    TestBaselines u = laptop(desks(), LAPTOP, 1);
    u.entry(LAPTOP, "203.0.113.9", "tcp", 8443, 11, 11, 1);
    Baseline b = u.build();
    Policy q = policy(b);
    assertEquals(roleOf(q, "10.0.1.10"), roleOf(q, LAPTOP));
    assertFalse(
        new PolicyChecker(q)
            .allows(
                IpAddress.parse(LAPTOP),
                IpAddress.parse("203.0.113.9"),
                dev.egret.net.Protocols.TCP,
                8443));
    assertTrue(q.review().stream().anyMatch(r -> r.host().equals(LAPTOP) && r.port() == 8443));
  }

  /**
   * A mail relay delivering to 36 domains' MX hosts over three days, new ones every day: "tcp/25 to
   * any destination".
   */
  private static TestBaselines relay(TestBaselines b, String host) {
    for (int i = 0; i < 36; i++) {
      String a = "198.18." + i + ".25";
      b.entry(host, a, "tcp", 25, 1, 1, i % 3).name(host, a, "mx.domain" + i + ".example");
    }
    b.entry(host, RESOLVER, "udp", 53, 90, 90, 0, 1, 2);
    return b;
  }

  @Test
  void aSpamBotOnALaptopLooksLikeTheMailRelayAndStaysOut() {
    TestBaselines t = relay(desks(), "10.0.0.25");
    // one day: 40 lookups, 40 deliveries to MX hosts the relay's "any" allows
    t.entry(LAPTOP, RESOLVER, "udp", 53, 40, 40, 1);
    for (int i = 0; i < 40; i++) {
      String a = "198.19." + i + ".25";
      t.entry(LAPTOP, a, "tcp", 25, 1, 1, 1)
          .answer(LAPTOP, a, "mx.spam" + i + ".example", 1, 1, 3500, 900);
    }
    Baseline b = t.build();
    Policy p = policy(b);
    assertTrue(
        p.rules().stream()
            .anyMatch(r -> r.role().equals(roleOf(p, "10.0.0.25")) && r.destination().any()),
        "the relay has tcp/25 to any");
    assertNull(roleOf(p, LAPTOP));
    assertTrue(blocked(p, b, LAPTOP));
  }

  @Test
  void aServerTheDesksReachEveryDayIsNoNewcomer() {
    // the desks call a database every day; it fetched what the desks fetch on one day only
    TestBaselines t = laptop(desks(), LAPTOP, 1);
    t.entry("10.0.1.10", LAPTOP, "tcp", 5432, 30, 30, 0, 1, 2);
    Baseline b = t.build();
    Policy p = policy(b);
    assertNull(roleOf(p, LAPTOP));
    assertTrue(blocked(p, b, LAPTOP));
    // reached on its own day only, it was away the rest: it joins
    TestBaselines u = laptop(desks(), LAPTOP, 1);
    u.entry("10.0.1.10", LAPTOP, "tcp", 5432, 30, 30, 1);
    Policy q = policy(u.build());
    assertEquals(roleOf(q, "10.0.1.11"), roleOf(q, LAPTOP));
  }

  @Test
  void aHostWithABeaconStaysOut() {
    TestBaselines t = laptop(desks(), LAPTOP, 1);
    Baseline plain = t.build();
    // every 30 s to a bare address, never answered: an anomaly of its own
    List<dev.egret.baseline.Entry> es = new java.util.ArrayList<>(plain.entries());
    long from = TestBaselines.at(1, 0);
    long n = 200;
    es.add(
        new dev.egret.baseline.Entry(
            LAPTOP,
            "203.0.113.66",
            "tcp",
            4444,
            false,
            n,
            0,
            n,
            0,
            n,
            n * 60,
            0,
            0,
            from,
            from + (n - 1) * 30_000_000_000L,
            List.of(TestBaselines.DAY0.plusDays(1).toString()),
            List.of(0, 1),
            n - 1,
            (n - 1) * 30_000,
            (n - 1) * 30_000L * 30_000));
    Baseline b =
        new Baseline(
            plain.schemaVersion(),
            plain.egretVersion(),
            plain.windowStartNs(),
            plain.windowEndNs(),
            plain.sources(),
            plain.counters(),
            es,
            plain.names(),
            plain.queries());
    Policy p = policy(b);
    assertTrue(p.anomalies().stream().anyMatch(a -> a.host().equals(LAPTOP)), "a beacon");
    assertNull(roleOf(p, LAPTOP));
  }

  @Test
  void aHostAPersonDeniedStaysOut() {
    Baseline b = laptop(desks(), LAPTOP, 1).build();
    Decisions d =
        new Decisions(
            List.of(
                new Decision(
                    DecisionId.parse("host:" + LAPTOP), Decision.Action.DENY, null, null, 0)));
    Policy p = new PolicyGenerator(EgretConfig.defaults(), d, false).generate(b);
    assertNull(roleOf(p, LAPTOP));
    assertTrue(blocked(p, b, LAPTOP));
  }

  @Test
  void aHostAPersonDeniedWholeIsNotCalledAHostWithNoRoleForWantOfTraffic() {
    Baseline b = laptop(desks(), LAPTOP, 1).build();
    Decisions d =
        new Decisions(
            List.of(
                new Decision(
                    DecisionId.parse("host:" + LAPTOP), Decision.Action.DENY, null, null, 0)));
    Policy p = new PolicyGenerator(EgretConfig.defaults(), d, false).generate(b);
    assertEquals(
        List.of(),
        p.metadata().warnings().stream()
            .filter(w -> w.contains("traffic but nothing allowed"))
            .toList());
    assertEquals(
        List.of("deny 10.0.1.50/*/*/*: 3 entries withheld, 0 deny rules"),
        p.metadata().decisions());
  }

  @Test
  void configRolesAreNotJoinedAndTheirHostsStayTheirs() {
    Baseline b = laptop(desks(), LAPTOP, 1).build();
    EgretConfig d = EgretConfig.defaults();
    EgretConfig config =
        new EgretConfig(
            d.internal(),
            Map.of("desks", List.of(Cidr.parse("10.0.1.10/31"))),
            d.exclude(),
            d.learnChatter(),
            d.thresholds());
    Policy p = policy(b, config);
    assertEquals("desks", roleOf(p, "10.0.1.10"));
    assertNull(roleOf(p, LAPTOP));
  }

  private static Policy policy(Baseline b, EgretConfig config) {
    return new PolicyGenerator(config).generate(b);
  }
}
