package dev.egret.policy;

import static dev.egret.policy.PolicyCaseFiles.generate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What each golden case is for, asserted on the generated policy itself, so that a regenerated
 * golden file cannot quietly freeze a wrong answer.
 */
class PolicyCasesTest {
  private static List<Cidr> cidrs(String... s) {
    return java.util.Arrays.stream(s).map(Cidr::parse).toList();
  }

  private static Rule rule(Policy p, String name) {
    return p.rules().stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rule " + name + " in " + names(p.rules())));
  }

  private static List<String> names(List<Rule> rs) {
    return rs.stream().map(Rule::name).toList();
  }

  private static boolean allows(Policy p, String host, String dest, String proto, int port) {
    return new PolicyChecker(p)
        .allows(IpAddress.parse(host), IpAddress.parse(dest), Protocols.parse(proto), port);
  }

  @Test
  void namesKeepTheNameAndEveryAddress() throws IOException {
    Policy p = generate("names");
    Rule r = rule(p, "host-10-0-0-5-tcp443-www-example-com");
    assertEquals(List.of("www.example.com"), r.destination().names());
    assertEquals(cidrs("93.184.216.34/32", "93.184.216.35/32"), r.destination().addresses());
    assertEquals(0, r.exposure());
    assertEquals(19, r.evidence().flows());
    assertEquals(3, p.rules().size(), names(p.rules()).toString());
  }

  @Test
  void cidrBoundAggregatesOnlyTheDenseSlash28() throws IOException {
    Policy p = generate("cidr-bound");
    Rule r = rule(p, "host-10-0-0-5-tcp443-addresses");
    assertEquals(
        cidrs("203.0.113.16/28", "203.0.113.77/32", "203.0.113.150/32", "203.0.113.230/32"),
        r.destination().addresses());
    assertEquals(7, r.exposure());
    for (Rule x : p.rules()) {
      for (Cidr c : x.destination().addresses()) {
        assertTrue(c.prefixLength() >= 24, x.name() + " has " + c);
      }
    }
  }

  @Test
  void broadIsAnyDestinationWithTheCountButInternalStaysExact() throws IOException {
    Policy p = generate("broad");
    Rule any = rule(p, "host-10-0-0-5-tcp443-any");
    assertTrue(any.broad());
    assertTrue(any.destination().any());
    assertEquals(-1, any.exposure());
    // The evidence of 25 addresses is summarised: the first 10, the count, the owners.
    assertEquals(Evidence.EXAMPLES, any.evidence().addresses().size());
    assertEquals(25, any.evidence().addressCount());
    assertEquals(25, any.evidence().owners());
    Rule proxy = rule(p, "host-10-0-0-5-tcp443-proxy-corp-internal");
    assertFalse(proxy.broad());
    assertEquals(cidrs("10.0.0.80/32"), proxy.destination().addresses());
    Rule dns = rule(p, "host-10-0-0-5-udp53-internal");
    assertEquals(cidrs("10.0.0.53/32"), dns.destination().addresses());
    assertFalse(allows(p, "10.0.0.5", "10.0.0.54", "udp", 53));
  }

  @Test
  void portsAreExactPerDestinationWithRangesOnlyWhereAllWereSeen() throws IOException {
    Policy p = generate("ports");
    assertEquals(
        List.of(PortRange.of(80), PortRange.of(443)),
        rule(p, "host-10-0-0-5-tcp80_443-addresses").ports());
    assertEquals(
        List.of(PortRange.of(8000, 8002)), rule(p, "host-10-0-0-5-tcp8000-8002-addresses").ports());
    Rule gap = rule(p, "host-10-0-0-5-tcp8000_8002-addresses");
    assertEquals(List.of(PortRange.of(8000), PortRange.of(8002)), gap.ports());
    assertEquals(cidrs("198.51.100.30/32"), gap.destination().addresses());
    assertFalse(allows(p, "10.0.0.5", "198.51.100.30", "tcp", 8001));
    assertTrue(allows(p, "10.0.0.5", "198.51.100.20", "tcp", 8001));
  }

  @Test
  void portRangesReachOverUnseenHighPortsWithinTheBoundsOnly() throws IOException {
    Policy p = generate("port-ranges");
    assertEquals(true, p.metadata().thresholds().get("portRanges"));
    Rule bridged = ruleTo(p, "198.51.100.40/32");
    assertEquals(List.of(PortRange.of(30000, 30005)), bridged.ports());
    assertEquals(List.of(30000, 30002, 30003, 30005), bridged.evidence().ports());
    assertTrue(allows(p, "10.0.0.5", "198.51.100.40", "tcp", 30004));
    // 2 of 101 ports seen: under minCoverage, and 99 never-seen ones: over maxExposure
    assertEquals(
        List.of(PortRange.of(40000), PortRange.of(40100)), ruleTo(p, "198.51.100.41/32").ports());
    // well-known ports are never bridged
    Rule low = ruleTo(p, "198.51.100.42/32");
    assertEquals(List.of(PortRange.of(20), PortRange.of(22)), low.ports());
    assertEquals(null, low.evidence().ports(), "exact ranges list no ports");
    assertFalse(allows(p, "10.0.0.5", "198.51.100.42", "tcp", 21));
    // 50001 is under review for this host: no range reaches over it
    assertEquals(
        List.of(PortRange.of(50000), PortRange.of(50002)), ruleTo(p, "198.51.100.43/32").ports());
    assertFalse(allows(p, "10.0.0.5", "198.51.100.43", "tcp", 50001));
    assertTrue(p.review().stream().anyMatch(r -> r.port() == 50001), p.review().toString());
  }

  @Test
  void withoutPortRangesTheSameBaselineGivesExactPorts() throws IOException {
    Policy p =
        new PolicyGenerator(dev.egret.baseline.EgretConfig.defaults())
            .generate(PolicyCaseFiles.baseline("port-ranges"));
    assertEquals(
        List.of(PortRange.of(30000), PortRange.of(30002, 30003), PortRange.of(30005)),
        ruleTo(p, "198.51.100.40/32").ports());
    assertFalse(allows(p, "10.0.0.5", "198.51.100.40", "tcp", 30004));
  }

  private static Rule ruleTo(Policy p, String cidr) {
    return p.rules().stream()
        .filter(r -> r.destination().addresses().equals(cidrs(cidr)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rule to " + cidr + " in " + names(p.rules())));
  }

  @Test
  void sameProfilesGroupAndConfigNamedRolesWin() throws IOException {
    Policy p = generate("roles");
    Role group =
        p.roles().stream().filter(r -> r.name().startsWith("group-")).findFirst().orElseThrow();
    assertEquals(cidrs("10.0.1.1/32", "10.0.1.2/32"), group.hosts());
    assertEquals(cidrs("10.0.2.0/24"), p.role("web").hosts());
    assertEquals(cidrs("10.0.1.3/32"), p.role("host-10-0-1-3").hosts());
    assertEquals(3, p.roles().size());
    // Stable between runs: the group's name depends on its traffic only.
    assertEquals(group.name(), generate("roles").roles().get(0).name());
  }

  @Test
  void reviewHoldsWhatMissedMinFlowsOrMinDays() throws IOException {
    Policy p = generate("review");
    assertEquals(2, p.review().size());
    ReviewItem few = p.review().get(0);
    assertEquals("192.0.2.21", few.destination());
    assertTrue(few.reason().contains("minFlows"), few.reason());
    ReviewItem once = p.review().get(1);
    assertEquals("192.0.2.22", once.destination());
    assertEquals("seen on 1 of 3 days, fewer than minDays 2", once.reason());
    assertEquals(List.of("once.example.net"), once.names());
    assertTrue(allows(p, "10.0.0.5", "192.0.2.20", "tcp", 443));
    assertFalse(allows(p, "10.0.0.5", "192.0.2.21", "tcp", 443));
    assertFalse(allows(p, "10.0.0.5", "192.0.2.22", "tcp", 443));
    assertEquals(2, ((Number) p.metadata().thresholds().get("minDaysApplied")).intValue());
  }

  @Test
  void anomaliesArePeriodicScansAndLateArrivalsNeverAllowed() throws IOException {
    Policy p = generate("anomalies");
    List<String> kinds = p.anomalies().stream().map(Anomaly::kind).toList();
    // Most hostile first: the order of AnomalyKind.
    assertEquals(List.of("port-scan", "periodic-unanswered", "unanswered", "late-new"), kinds);
    Anomaly periodic = p.anomalies().get(1);
    assertEquals(25, periodic.port());
    assertTrue(periodic.detail().startsWith("every 30 s, 120 attempts"), periodic.detail());
    Anomaly scan = p.anomalies().get(0);
    assertEquals(12, scan.destinations().size());
    assertEquals(23, scan.port());
    assertFalse(allows(p, "10.0.0.5", "198.51.100.25", "tcp", 25));
    assertFalse(allows(p, "10.0.0.5", "192.0.2.99", "tcp", 443));
    assertFalse(allows(p, "10.0.0.6", "203.0.113.1", "tcp", 23));
    assertEquals(1, p.rules().size(), names(p.rules()).toString());
  }

  @Test
  void icmpEchoIsTypeEight() throws IOException {
    Policy p = generate("icmp");
    Rule r = rule(p, "host-10-0-0-5-icmp-type8-addresses");
    assertEquals(List.of(8), r.icmpTypes());
    assertEquals(List.of(), r.ports());
    assertTrue(allows(p, "10.0.0.5", "192.0.2.1", "icmp", 8));
    assertFalse(allows(p, "10.0.0.5", "192.0.2.1", "icmp", 13));
  }

  @Test
  void ipv6NamesPrefixesAndEcho() throws IOException {
    Policy p = generate("ipv6");
    assertEquals(cidrs("fd00::10/128"), p.role("host-fd00-10").hosts());
    assertEquals(
        cidrs("2001:db8::1/128", "2001:db8::2/128"),
        rule(p, "host-fd00-10-tcp443-v6-example-net").destination().addresses());
    Rule agg = rule(p, "host-fd00-10-tcp22-addresses");
    assertEquals(cidrs("2001:db8:1::20/124"), agg.destination().addresses());
    assertEquals(7, agg.exposure());
    assertEquals(List.of(128), rule(p, "host-fd00-10-icmp6-type128-v6-example-net").icmpTypes());
    assertTrue(allows(p, "fd00::10", "2001:db8::1", "icmp6", 128));
  }

  @Test
  void withheldItemsStayBlockedOrSayWhichRuleAllowsThem() throws IOException {
    Policy p = generate("withheld");
    // The /28 would hold 203.0.113.20, which is under review: narrower prefixes instead.
    assertFalse(allows(p, "10.0.0.5", "203.0.113.20", "tcp", 443));
    assertEquals(5, rule(p, "host-10-0-0-5-tcp443-addresses").exposure());
    // 10.0.1.3 would get 192.0.2.11 from the group: it keeps its own role.
    assertEquals(cidrs("10.0.1.3/32"), p.role("host-10-0-1-3").hosts());
    assertFalse(allows(p, "10.0.1.3", "192.0.2.11", "tcp", 443));
    for (ReviewItem r : p.review()) {
      boolean allowed = allows(p, r.host(), r.destination(), r.protocol(), r.port());
      assertEquals(allowed, r.reason().contains("allowed anyway by"), r.reason());
    }
    assertTrue(allows(p, "10.0.0.7", "192.0.2.77", "tcp", 443));
    assertTrue(allows(p, "10.0.2.2", "203.0.113.5", "tcp", 5432));
  }
}
