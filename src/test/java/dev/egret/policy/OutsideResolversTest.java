package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.EgretConfig;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * All DNS through the site's resolver: DNS and DNS over TLS to outside resolvers go to review where
 * the site has its own, however often they were seen; the resolver itself still asks upstream.
 */
class OutsideResolversTest {
  private static final String REASON =
      "DNS to a resolver outside the internal networks, past the site's own (10.0.0.53): it"
          + " carries anything encoded in names to any domain's servers (a tunnel), and its"
          + " answers feed no name rule's set; point the host at the site's resolver, or allow it"
          + " with egret review --allow";

  private static Policy generate(TestBaselines b, Decisions d) {
    return new PolicyGenerator(EgretConfig.defaults(), d, true).generate(b.build());
  }

  /** Two hosts asking the site's resolver, which asks upstream; one host also asks outside. */
  private static TestBaselines site() {
    return new TestBaselines()
        .days(3)
        .entry("10.0.2.1", "10.0.0.53", "udp", 53, 90, 90, 0, 1, 2)
        .entry("10.0.2.2", "10.0.0.53", "udp", 53, 90, 90, 0, 1, 2)
        .entry("10.0.0.53", "192.0.2.53", "udp", 53, 400, 400, 0, 1, 2)
        .entry("10.0.0.53", "192.0.2.53", "tcp", 53, 20, 20, 0, 1, 2)
        .entry("10.0.2.2", "8.8.8.8", "udp", 53, 40, 40, 0, 1, 2)
        .entry("10.0.2.2", "1.1.1.1", "tcp", 853, 40, 40, 0, 1, 2)
        .entry("10.0.2.2", "2606:4700:4700::1111", "udp", 853, 40, 40, 0, 1, 2)
        .entry("10.0.2.2", "198.51.100.9", "tcp", 443, 40, 40, 0, 1, 2);
  }

  private static boolean allows(Policy p, String host, String dest, String proto, int port) {
    return new PolicyChecker(p)
        .allows(IpAddress.parse(host), IpAddress.parse(dest), Protocols.parse(proto), port);
  }

  @Test
  void dnsPastTheSiteResolverIsReviewedNotAllowed() {
    Policy p = generate(site(), Decisions.none());
    assertFalse(allows(p, "10.0.2.2", "8.8.8.8", "udp", 53));
    assertFalse(allows(p, "10.0.2.2", "1.1.1.1", "tcp", 853));
    assertFalse(allows(p, "10.0.2.2", "2606:4700:4700::1111", "udp", 853));
    assertTrue(allows(p, "10.0.2.2", "10.0.0.53", "udp", 53));
    assertTrue(allows(p, "10.0.2.2", "198.51.100.9", "tcp", 443), "other traffic is not touched");
    assertTrue(allows(p, "10.0.0.53", "192.0.2.53", "udp", 53), "the resolver asks upstream");
    assertTrue(allows(p, "10.0.0.53", "192.0.2.53", "tcp", 53));
    List<ReviewItem> outside = p.review().stream().filter(r -> r.reason().equals(REASON)).toList();
    assertEquals(
        List.of("1.1.1.1 tcp 853", "2606:4700:4700::1111 udp 853", "8.8.8.8 udp 53"),
        outside.stream()
            .map(r -> r.destination() + " " + r.protocol() + " " + r.port())
            .sorted()
            .toList(),
        p.review().toString());
    assertTrue(outside.stream().allMatch(r -> r.host().equals("10.0.2.2")));
  }

  @Test
  void aPersonCanAllowIt() {
    Decisions allow =
        new Decisions(
            List.of(
                new Decision(
                    DecisionId.parse("10.0.2.2/udp/53/8.8.8.8"),
                    Decision.Action.ALLOW,
                    "2026-11-30",
                    "the lab's test resolver",
                    1)));
    Policy p = generate(site(), allow);
    assertTrue(allows(p, "10.0.2.2", "8.8.8.8", "udp", 53));
    assertFalse(allows(p, "10.0.2.2", "1.1.1.1", "tcp", 853));
    assertFalse(allows(p, "10.0.2.1", "8.8.8.8", "udp", 53), "for that host only");
  }

  @Test
  void aSiteWithoutItsOwnResolverKeepsItsOutsideDns() {
    TestBaselines b =
        new TestBaselines()
            .days(3)
            .entry("10.0.2.1", "192.0.2.53", "udp", 53, 90, 90, 0, 1, 2)
            .entry("10.0.2.2", "192.0.2.53", "udp", 53, 90, 90, 0, 1, 2)
            .entry("10.0.2.2", "1.1.1.1", "tcp", 853, 40, 40, 0, 1, 2);
    Policy p = generate(b, Decisions.none());
    assertTrue(allows(p, "10.0.2.1", "192.0.2.53", "udp", 53));
    assertTrue(allows(p, "10.0.2.2", "1.1.1.1", "tcp", 853));
    assertTrue(p.review().isEmpty(), p.review().toString());
  }

  @Test
  void aHostAskingItselfIsNoSiteResolver() {
    // A host running its own caching stub (127.0.0.53 is not seen; its own address is) and asking
    // outside: no other host asks it, so the site has no resolver of its own.
    TestBaselines b =
        new TestBaselines()
            .days(3)
            .entry("10.0.2.1", "10.0.2.1", "udp", 53, 90, 90, 0, 1, 2)
            .entry("10.0.2.1", "192.0.2.53", "udp", 53, 90, 90, 0, 1, 2);
    Policy p = generate(b, Decisions.none());
    assertTrue(allows(p, "10.0.2.1", "192.0.2.53", "udp", 53));
  }

  /**
   * From the site's edge: no host's question to the site's resolver is seen, only the resolver's
   * upstream, whose answers name what the hosts reach; a workstation asking an outside resolver
   * names a popular address too, but far fewer.
   */
  @Test
  void atTheEdgeTheResolverIsTheHostWhoseAnswersTheOthersUse() {
    String resolver = "10.0.0.53";
    TestBaselines b =
        new TestBaselines()
            .days(3)
            .entry(resolver, "192.0.2.53", "udp", 53, 400, 400, 0, 1, 2)
            .entry("10.0.2.2", "8.8.8.8", "udp", 53, 40, 40, 0, 1, 2)
            .entry("10.0.2.2", "1.1.1.1", "tcp", 853, 40, 40, 0, 1, 2);
    for (int i = 1; i <= 6; i++) {
      String a = "198.51.100." + i;
      b.answer(resolver, a, "site" + i + ".example", 0, 2, 3600, 300);
      for (String h : new String[] {"10.0.2.1", "10.0.2.2", "10.0.2.3"}) {
        if (!(h.equals("10.0.2.2") && i == 1)) {
          b.entry(h, a, "tcp", 443, 9, 9, 0, 1, 2);
        }
      }
    }
    // The workstation's own answer from 8.8.8.8 for a site the others reach too.
    b.answer("10.0.2.2", "198.51.100.1", "site1.example", 0, 2, 3600, 300)
        .entry("10.0.2.2", "198.51.100.1", "tcp", 443, 9, 9, 0, 1, 2);
    assertEquals(
        java.util.Set.of(resolver), OutsideResolvers.answeringForOthers(b.build()), "resolvers");
    Policy p = generate(b, Decisions.none());
    assertFalse(allows(p, "10.0.2.2", "8.8.8.8", "udp", 53));
    assertFalse(allows(p, "10.0.2.2", "1.1.1.1", "tcp", 853));
    assertTrue(allows(p, resolver, "192.0.2.53", "udp", 53), "the resolver asks upstream");
    assertTrue(allows(p, "10.0.2.1", "198.51.100.4", "tcp", 443));
  }
}
