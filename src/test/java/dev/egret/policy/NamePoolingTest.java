package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import org.junit.jupiter.api.Test;

/**
 * A name's evidence is pooled over the addresses DNS answered with (a CDN API that rotates daily
 * still earns its rule), but only DNS answers pool: one connection under a forged TLS server name
 * must not ride the real name's history into an allow rule.
 */
class NamePoolingTest {
  private static final String HOST = "10.0.0.5";

  /** Three days, a different address of api.example.com each day, 5 connections a day. */
  private static TestBaselines rotatingApi() {
    return new TestBaselines()
        .days(3)
        .source("a.pcap")
        .entry(HOST, "192.0.2.1", "tcp", 443, 5, 5, 0)
        .entry(HOST, "192.0.2.2", "tcp", 443, 5, 5, 1)
        .entry(HOST, "192.0.2.3", "tcp", 443, 5, 5, 2)
        .name(HOST, "192.0.2.1", "api.example.com")
        .name(HOST, "192.0.2.2", "api.example.com")
        .name(HOST, "192.0.2.3", "api.example.com");
  }

  private static Findings findings(Baseline b) {
    return new Findings(b, EgretConfig.defaults().thresholds(), new Names(b));
  }

  @Test
  void aRotatingNameIsJudgedOnTheNamesHistory() {
    Baseline b = rotatingApi().build();
    Findings f = findings(b);
    assertEquals(3, f.allowed.size(), "each address seen on one day, the name on three");
    assertEquals(0, f.review.size());
    assertEquals(0, f.anomalies.size(), "the last day's address is not late-new: its name is not");
  }

  @Test
  void aClaimedServerNameDoesNotPool() {
    Baseline b =
        rotatingApi()
            .entry(HOST, "203.0.113.66", "tcp", 443, 1, 1, 2)
            .sni(HOST, "203.0.113.66", "api.example.com")
            .build();
    Findings f = findings(b);
    assertEquals(3, f.allowed.size());
    assertFalse(
        f.allowed.stream().anyMatch(e -> e.destination().equals("203.0.113.66")),
        "one connection under a forged SNI must not be allowed");
    Policy p = new PolicyGenerator(new EgretConfig(null, null, null, false, null)).generate(b);
    assertTrue(
        new PolicyChecker(p)
                .allowingRule(
                    dev.egret.net.IpAddress.parse(HOST),
                    dev.egret.net.IpAddress.parse("203.0.113.66"),
                    6,
                    443)
            == null,
        "the policy must not allow the forged address");
  }

  /**
   * A sensor at the site's edge: the hosts' questions to the site's resolver are not seen, the
   * resolver's questions upstream are, and the hosts' TLS server names. The resolver's answers name
   * the addresses for the hosts, so the name still pools; a name only claimed by SNI still does
   * not.
   */
  @Test
  void atTheEdgeTheResolversAnswersNameTheHostsAddresses() {
    String resolver = "10.0.0.53";
    TestBaselines t =
        new TestBaselines()
            .days(3)
            .source("a.pcap")
            .entry(resolver, "192.0.2.53", "udp", 53, 50, 50, 0, 1, 2)
            .entry(HOST, "203.0.113.66", "tcp", 443, 1, 1, 2)
            .sni(HOST, "203.0.113.66", "api.example.com");
    for (int d = 0; d < 3; d++) {
      String a = "192.0.2." + (d + 1);
      t.entry(HOST, a, "tcp", 443, 5, 5, d).sni(HOST, a, "api.example.com");
      t.answer(resolver, a, "api.example.com", d, d, 3600, 60);
    }
    Baseline b = t.build();
    Findings f = findings(b);
    assertEquals(
        java.util.List.of("192.0.2.1", "192.0.2.2", "192.0.2.3"),
        f.allowed.stream()
            .filter(e -> e.host().equals(HOST))
            .map(e -> e.destination())
            .sorted()
            .toList());
    assertEquals("api.example.com", new Names(b).answered(HOST, "192.0.2.2"));
    assertEquals("", new Names(b).answered(HOST, "203.0.113.66"), "named by SNI only");
    Policy p = new PolicyGenerator(new EgretConfig(null, null, null, false, null)).generate(b);
    Rule api =
        new PolicyChecker(p)
            .allowingRule(
                dev.egret.net.IpAddress.parse(HOST),
                dev.egret.net.IpAddress.parse("192.0.2.3"),
                6,
                443);
    assertEquals(java.util.List.of("api.example.com"), api.destination().hostNames());
    assertTrue(
        new PolicyChecker(p)
                .allowingRule(
                    dev.egret.net.IpAddress.parse(HOST),
                    dev.egret.net.IpAddress.parse("203.0.113.66"),
                    6,
                    443)
            == null,
        "the policy must not allow the address only SNI named");
  }
}
