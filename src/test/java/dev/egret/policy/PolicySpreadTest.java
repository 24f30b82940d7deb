package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generalisation: wide spread across the window makes one broad rule that covers its one-offs, a
 * narrow one stays listed; names under one registered domain make a wildcard; hosts with similar
 * profiles share a role; thin evidence is said.
 */
class PolicySpreadTest {
  private static Policy generate(Baseline b) {
    return new PolicyGenerator(EgretConfig.defaults(), Decisions.none(), true).generate(b);
  }

  /**
   * Whether the policy lets {@code host} connect, the address looked up through the site's resolver
   * first (a web rule limited to its answers, {@link Destination#resolved}, allows it).
   */
  private static boolean allows(Policy p, String host, String dest, String proto, int port) {
    return new PolicyChecker(p)
            .allowingRule(
                IpAddress.parse(host),
                IpAddress.parse(dest),
                Protocols.parse(proto),
                port,
                null,
                true)
        != null;
  }

  private static Rule rule(Policy p, String name) {
    return p.rules().stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rule " + name + " in " + p.rules()));
  }

  /**
   * A workstation that reaches 36 sites of 36 owners once each over three days (new ones every
   * day), none of them often enough to be allowed alone, plus one site it uses daily.
   */
  private static TestBaselines browsing(TestBaselines b, String host) {
    for (int i = 0; i < 36; i++) {
      String a = "198.51." + i + ".7";
      b.entry(host, a, "tcp", 443, 1, 1, i % 3).name(host, a, "www.site" + i + ".example");
    }
    b.entry(host, "192.0.2.10", "tcp", 443, 30, 30, 0, 1, 2)
        .name(host, "192.0.2.10", "mail.corp.example");
    b.entry(host, "10.0.0.53", "udp", 53, 90, 90, 0, 1, 2);
    return b;
  }

  @Test
  void wideSpreadAcrossDaysIsOneBroadRuleThatCoversItsOneOffs() {
    Policy p = generate(browsing(new TestBaselines().days(3), "10.0.1.5").build());
    Rule any = rule(p, "host-10-0-1-5-tcp443-any");
    assertTrue(any.broad());
    assertTrue(any.destination().any());
    assertEquals(-1, any.exposure());
    assertEquals(37, any.evidence().addresses().size(), "one-offs and the daily site");
    assertEquals(List.of(), p.review(), "covered one-offs are not sent to review");
    assertTrue(allows(p, "10.0.1.5", "203.0.113.200", "tcp", 443), "tomorrow's new site");
    assertFalse(allows(p, "10.0.1.5", "203.0.113.200", "tcp", 80), "only the port that spreads");
    assertFalse(allows(p, "10.0.1.5", "10.0.0.54", "udp", 53), "internal stays exact");
  }

  @Test
  void manyDestinationsOfFewOwnersOrSeenOnOneDayStayListed() {
    TestBaselines b = new TestBaselines().days(3);
    // A server: 30 API hosts, all first seen on day 0 and used daily: nothing new after day 0.
    for (int i = 0; i < 30; i++) {
      String a = "198.51." + i + ".9";
      b.entry("10.0.2.1", a, "tcp", 443, 9, 9, 0, 1, 2)
          .name("10.0.2.1", a, "api" + i + ".vendor" + i + ".example");
    }
    // Another: 40 addresses in one /24 (one owner), new every day.
    for (int i = 0; i < 40; i++) {
      b.entry("10.0.2.2", "203.0.113." + (i + 1), "tcp", 443, 3, 3, i % 3, (i + 1) % 3);
    }
    Policy p = generate(b.build());
    assertTrue(p.rules().stream().noneMatch(Rule::broad), p.rules().toString());
    assertFalse(allows(p, "10.0.2.1", "198.51.200.1", "tcp", 443));
    assertFalse(allows(p, "10.0.2.2", "198.51.200.1", "tcp", 443));
  }

  @Test
  void namesUnderOneRegisteredDomainAreAWildcardWithTheirAddresses() {
    TestBaselines b = new TestBaselines().days(2);
    String[] names = {"a.cdn.example.co.uk", "b.cdn.example.co.uk", "c.example.co.uk"};
    for (int i = 0; i < names.length; i++) {
      String a = "192.0.2." + (10 + i);
      b.entry("10.0.2.1", a, "tcp", 443, 5, 5, 0, 1).name("10.0.2.1", a, names[i]);
    }
    // A one-off under the same domain is covered; one under another domain is not.
    b.entry("10.0.2.1", "192.0.2.20", "tcp", 443, 1, 1, 1)
        .name("10.0.2.1", "192.0.2.20", "d.example.co.uk");
    b.entry("10.0.2.1", "192.0.2.30", "tcp", 443, 1, 1, 0)
        .name("10.0.2.1", "192.0.2.30", "x.other.example");
    Policy p = generate(b.build());
    Rule w = rule(p, "host-10-0-2-1-tcp443-any-example-co-uk");
    assertEquals(
        List.of(
            "*.example.co.uk",
            "a.cdn.example.co.uk",
            "b.cdn.example.co.uk",
            "c.example.co.uk",
            "d.example.co.uk"),
        w.destination().names());
    assertFalse(w.destination().any());
    assertTrue(w.broad());
    assertEquals(0, w.exposure());
    assertEquals(4, w.destination().addresses().size());
    assertTrue(allows(p, "10.0.2.1", "192.0.2.20", "tcp", 443));
    assertFalse(allows(p, "10.0.2.1", "192.0.2.30", "tcp", 443));
    assertEquals(1, p.review().size());
    assertEquals("192.0.2.30", p.review().get(0).destination());
  }

  @Test
  void privateSuffixesAndWireTextNeverMakeAWildcard() {
    assertEquals("example.co.uk", Domains.registered("a.b.example.co.uk"));
    assertEquals("example.com", Domains.registered("WWW.Example.COM"));
    // Different owners under one public suffix of the list's private section.
    assertEquals("alice.github.io", Domains.registered("x.alice.github.io"));
    assertNull(Domains.registered("github.io"));
    assertNull(Domains.registered("co.uk"));
    assertNull(Domains.registered("a.example.com\\nevil"));
    assertNull(Domains.registered("*.example.com"));
    assertNull(Domains.registered("a b.example.com"));
    assertNull(Domains.registered("192.0.2.1"));
    assertNull(Domains.registered(""));
    TestBaselines b = new TestBaselines().days(2);
    for (int i = 0; i < 4; i++) {
      String a = "192.0.2." + (10 + i);
      b.entry("10.0.2.1", a, "tcp", 443, 5, 5, 0, 1).name("10.0.2.1", a, "u" + i + ".github.io");
    }
    Policy p = generate(b.build());
    assertTrue(p.rules().stream().noneMatch(Rule::broad), p.rules().toString());
    assertEquals(4, p.rules().size());
  }

  @Test
  void hostsWithSimilarProfilesShareOneRoleListedOnce() {
    TestBaselines b = new TestBaselines().days(3);
    for (int h = 0; h < 6; h++) {
      browsing(b, "10.0.1." + (10 + h));
    }
    // A server with other services stays apart.
    b.entry("10.0.2.1", "10.0.0.53", "udp", 53, 90, 90, 0, 1, 2);
    b.entry("10.0.2.1", "10.0.3.5", "tcp", 5432, 90, 90, 0, 1, 2);
    Policy p = generate(b.build());
    assertEquals(2, p.roles().size(), p.roles().toString());
    Role ws = p.roles().stream().filter(r -> r.hosts().size() == 6).findFirst().orElseThrow();
    assertTrue(ws.name().startsWith("group-"), ws.name());
    assertEquals(
        1, p.rules().stream().filter(r -> r.role().equals(ws.name()) && r.broad()).count());
    assertFalse(allows(p, "10.0.2.1", "203.0.113.200", "tcp", 443), "the server stays narrow");
    assertTrue(allows(p, "10.0.1.12", "203.0.113.200", "tcp", 443));
  }

  @Test
  void aPortSeenOnlyInOneOffsKeepsNoHostFromItsPeersAndStaysBlocked() {
    TestBaselines b = new TestBaselines().days(3);
    for (int h = 0; h < 4; h++) {
      browsing(b, "10.0.1." + (10 + h));
    }
    // Plain HTTP growing for three of them (new sites on two days); the fourth met one such site.
    for (int h = 0; h < 3; h++) {
      for (int i = 0; i < 3; i++) {
        String a = "198.51.5" + h + "." + (i + 1);
        b.entry("10.0.1." + (10 + h), a, "tcp", 80, 1, 1, i % 2)
            .name("10.0.1." + (10 + h), a, "www.plain" + h + i + ".example");
      }
    }
    b.entry("10.0.1.13", "198.51.59.1", "tcp", 80, 1, 1, 0)
        .name("10.0.1.13", "198.51.59.1", "www.once.example");
    // Video calls: each relay reached once by address, on a port each host happened to get.
    b.entry("10.0.1.11", "198.18.200.7", "udp", 3479, 1, 1, 1);
    b.entry("10.0.1.12", "198.18.201.9", "udp", 3480, 1, 1, 1);
    b.entry("10.0.1.12", "198.18.202.3", "udp", 3481, 1, 1, 0);
    Policy p = generate(b.build());
    assertEquals(1, p.roles().size(), p.roles().toString());
    assertEquals(4, p.roles().get(0).hosts().size());
    assertFalse(allows(p, "10.0.1.11", "198.18.200.7", "udp", 3479), "a one-off stays blocked");
    assertFalse(allows(p, "10.0.1.10", "198.18.200.7", "udp", 3479));
    assertEquals(3, p.review().size(), p.review().toString());
    assertTrue(allows(p, "10.0.1.13", "203.0.113.200", "tcp", 80), "the group's web");
  }

  /**
   * A workstation that browses less than its peers, 16 sites of 16 owners over three days (new ones
   * every day, below the 20 owners of a wide spread on its own), plus the daily site.
   */
  private static TestBaselines browsingLess(TestBaselines b, String host) {
    for (int i = 0; i < 16; i++) {
      String a = "198.18." + i + ".9";
      b.entry(host, a, "tcp", 443, 1, 1, i % 3).name(host, a, "www.light" + i + ".example");
    }
    dailySitesOfItsOwn(b, host);
    return b;
  }

  /** Three sites a host uses daily that no peer uses, and the resolver. */
  private static void dailySitesOfItsOwn(TestBaselines b, String host) {
    for (int i = 0; i < 3; i++) {
      String a = "192.0.2." + (100 + i);
      b.entry(host, a, "tcp", 443, 30, 30, 0, 1, 2).name(host, a, "app" + i + ".own.example");
    }
    b.entry(host, "10.0.0.53", "udp", 53, 90, 90, 0, 1, 2);
  }

  @Test
  void aHostThatBrowsesLessJoinsItsPeersButAServerWithAFixedSetStaysApart() {
    TestBaselines b = new TestBaselines().days(3);
    for (int h = 0; h < 3; h++) {
      browsing(b, "10.0.1." + (10 + h));
    }
    browsingLess(b, "10.0.1.20");
    // A server with the same services, 14 API owners all first seen on day 0: not growing.
    for (int i = 0; i < 14; i++) {
      String a = "198.19." + i + ".9";
      b.entry("10.0.2.1", a, "tcp", 443, 9, 9, 0, 1, 2)
          .name("10.0.2.1", a, "api.vendor" + i + ".example");
    }
    b.entry("10.0.2.1", "192.0.2.10", "tcp", 443, 30, 30, 0, 1, 2)
        .name("10.0.2.1", "192.0.2.10", "mail.corp.example");
    b.entry("10.0.2.1", "10.0.0.53", "udp", 53, 90, 90, 0, 1, 2);
    // A host that browses a little: 5 new sites and its 3 own, 8 owners; too few to be alike.
    for (int i = 0; i < 5; i++) {
      String a = "198.18.100." + (i + 1);
      b.entry("10.0.1.30", a, "tcp", 443, 1, 1, i % 3)
          .name("10.0.1.30", a, "www.few" + i + ".example");
    }
    dailySitesOfItsOwn(b, "10.0.1.30");
    Policy p = generate(b.build());
    Role ws = p.roles().stream().filter(r -> r.hosts().size() > 1).findFirst().orElseThrow();
    assertEquals(
        List.of("10.0.1.10/32", "10.0.1.11/32", "10.0.1.12/32", "10.0.1.20/32"),
        ws.hosts().stream().map(Object::toString).toList());
    assertTrue(allows(p, "10.0.1.20", "203.0.113.200", "tcp", 443), "tomorrow's new site");
    assertFalse(allows(p, "10.0.2.1", "203.0.113.200", "tcp", 443), "the server stays narrow");
    assertTrue(allows(p, "10.0.2.1", "198.19.3.9", "tcp", 443));
    assertFalse(allows(p, "10.0.1.30", "203.0.113.200", "tcp", 443), "8 owners: listed");
    assertTrue(allows(p, "10.0.1.30", "192.0.2.101", "tcp", 443));
    assertEquals(3, p.roles().size(), p.roles().toString());
  }

  @Test
  void aHostWithNothingAllowedAndAGrowingSpreadGetsNoRoleWithoutRules() {
    TestBaselines b = new TestBaselines().days(3);
    for (int i = 0; i < 12; i++) {
      String a = "198.18." + i + ".9";
      b.entry("10.0.1.40", a, "tcp", 443, 1, 1, i % 3)
          .name("10.0.1.40", a, "www.s" + i + ".example");
    }
    b.entry("10.0.2.1", "192.0.2.10", "tcp", 443, 30, 30, 0, 1, 2);
    Policy p = generate(b.build());
    assertEquals(
        List.of("host-10-0-2-1"), p.roles().stream().map(Role::name).toList(), "no empty role");
    assertEquals(List.of(), p.metadata().warnings());
    assertFalse(allows(p, "10.0.1.40", "198.18.3.9", "tcp", 443));
  }

  @Test
  void httpJoinsHttpsAnyOnlyWhereTheRoleBrowsesWideAndItsHttpGrows() {
    TestBaselines b = new TestBaselines().days(3);
    browsing(b, "10.0.1.5");
    // Plain HTTP to three sites, new ones on two days: the same browsing.
    for (int i = 0; i < 3; i++) {
      String a = "198.51.50." + (i + 1);
      b.entry("10.0.1.5", a, "tcp", 80, 1, 1, i % 2)
          .name("10.0.1.5", a, "www.plain" + i + ".example");
    }
    // A server that fetches updates over HTTP from one mirror daily and calls 5 APIs: narrow.
    for (int i = 0; i < 5; i++) {
      String a = "198.19." + i + ".9";
      b.entry("10.0.2.1", a, "tcp", 443, 9, 9, 0, 1, 2)
          .name("10.0.2.1", a, "api.vendor" + i + ".example");
    }
    b.entry("10.0.2.1", "203.0.113.80", "tcp", 80, 9, 9, 0, 1, 2)
        .name("10.0.2.1", "203.0.113.80", "mirror.vendor.example");
    // A host wide on 443 whose HTTP went to one site on the first day only: not growing.
    browsing(b, "10.0.3.5");
    b.entry("10.0.3.5", "198.51.60.1", "tcp", 80, 4, 4, 0)
        .name("10.0.3.5", "198.51.60.1", "x.example");
    b.entry("10.0.3.5", "10.0.3.9", "tcp", 8080, 9, 9, 0, 1, 2);
    Policy p = generate(b.build());
    Rule any = rule(p, "host-10-0-1-5-tcp80_443-any");
    assertTrue(any.destination().any());
    assertTrue(allows(p, "10.0.1.5", "203.0.113.200", "tcp", 80), "tomorrow's plain site");
    assertTrue(allows(p, "10.0.1.5", "203.0.113.200", "tcp", 443));
    assertFalse(allows(p, "10.0.2.1", "203.0.113.200", "tcp", 80), "the server stays narrow");
    assertFalse(allows(p, "10.0.3.5", "203.0.113.200", "tcp", 80), "one HTTP site, first day");
    assertTrue(allows(p, "10.0.3.5", "203.0.113.200", "tcp", 443));
  }

  @Test
  void quicJoinsTheWebsAnyOnlyWhereTheRoleBrowsesWideAndItsQuicGrows() {
    TestBaselines b = new TestBaselines().days(3);
    browsing(b, "10.0.1.5");
    // HTTP/3 to three sites, new ones on two days: the same browsing over QUIC.
    for (int i = 0; i < 3; i++) {
      String a = "198.51.70." + (i + 1);
      b.entry("10.0.1.5", a, "udp", 443, 1, 1, i % 2)
          .name("10.0.1.5", a, "www.quic" + i + ".example");
    }
    // A server that speaks QUIC to new hosts of one vendor every day, its HTTPS narrow: no web
    // spread to join.
    for (int i = 0; i < 3; i++) {
      String a = "198.19." + i + ".9";
      b.entry("10.0.2.1", a, "tcp", 443, 9, 9, 0, 1, 2)
          .name("10.0.2.1", a, "api.vendor" + i + ".example");
      b.entry("10.0.2.1", "198.19.9." + (i + 1), "udp", 443, 1, 1, i)
          .name("10.0.2.1", "198.19.9." + (i + 1), "q" + i + ".cdn" + i + ".example");
    }
    // A host wide on 443 whose QUIC went to one site, first seen on the first day: not growing.
    browsing(b, "10.0.3.5");
    b.entry("10.0.3.5", "198.51.60.1", "udp", 443, 4, 4, 0, 1)
        .name("10.0.3.5", "198.51.60.1", "x.example");
    b.entry("10.0.3.5", "10.0.3.9", "tcp", 8080, 9, 9, 0, 1, 2);
    Policy p = generate(b.build());
    Rule any = rule(p, "host-10-0-1-5-udp443-any");
    assertTrue(any.destination().any());
    assertTrue(any.broad());
    assertTrue(allows(p, "10.0.1.5", "203.0.113.200", "udp", 443), "tomorrow's QUIC site");
    assertFalse(allows(p, "10.0.1.5", "203.0.113.200", "udp", 444), "udp/443 only");
    assertFalse(allows(p, "10.0.1.5", "203.0.113.200", "udp", 3478));
    assertFalse(allows(p, "10.0.2.1", "203.0.113.200", "udp", 443), "the server stays narrow");
    assertFalse(allows(p, "10.0.3.5", "203.0.113.200", "udp", 443), "one QUIC site, first day");
    assertTrue(allows(p, "10.0.3.5", "198.51.60.1", "udp", 443), "its site stays allowed");
  }

  @Test
  void hostsWithTrafficButNoRoleAreSaidOnce() {
    TestBaselines b = new TestBaselines().days(4);
    browsing(b, "10.0.1.10");
    // A laptop seen on one day of four: 40 connections, each below minDays.
    for (int i = 0; i < 8; i++) {
      b.entry("10.0.1.20", "198.51.80." + (i + 1), "tcp", 443, 4, 4, 2);
    }
    b.entry("10.0.1.20", "10.0.0.53", "udp", 53, 8, 8, 2);
    // A host with little traffic: not said (its review items are).
    b.entry("10.0.1.21", "10.0.0.53", "udp", 53, 9, 9, 3);
    Policy p = generate(b.build());
    assertEquals(
        List.of(
            "1 host has traffic but nothing allowed (each connection below minFlows or minDays, or"
                + " an anomaly), so no role, and everything it starts will be blocked: 10.0.1.20"
                + " (40 connections on 1 of 4 days); a host away most of the window (a laptop) or"
                + " added late belongs in a role of the config (roles:)"),
        p.metadata().warnings());
    assertFalse(allows(p, "10.0.1.20", "10.0.0.53", "udp", 53), "said, not allowed");
  }

  @Test
  void thinEvidenceIsSaidInTheMetadata() {
    Policy one =
        generate(new TestBaselines().days(1).entry("10.0.2.1", "192.0.2.1", "tcp", 443, 5).build());
    assertEquals(
        List.of(
            "the window spans 1 day, fewer than minDays 2: rules rest on 1 day of traffic and"
                + " anything weekly or daily-but-rare is missing; learn longer",
            "role host-10-0-2-1: its rules rest on 5 connections, fewer than 30 (10 x minFlows)"),
        one.metadata().warnings());
    Policy enough = generate(browsing(new TestBaselines().days(3), "10.0.1.5").build());
    assertEquals(List.of(), enough.metadata().warnings());
  }
}
