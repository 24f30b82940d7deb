package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A workstation role's "any destination" on the web's ports is limited to the addresses the site's
 * resolver answered ({@link Destination#resolved}) where the role's flows went to answered
 * addresses: a compromised workstation's reverse shell or payload at a bare address is blocked,
 * while tomorrow's new site, looked up first, is not.
 */
class ResolvedOnlyTest {
  private static final String WS = "10.0.1.5";
  private static final String RESOLVER = "10.0.0.53";
  private static final int TCP = Protocols.TCP;

  private static Policy generate(Baseline b) {
    return new PolicyGenerator(EgretConfig.defaults(), Decisions.none(), true).generate(b);
  }

  private static Rule rule(Policy p, String name) {
    return p.rules().stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rule " + name + " in " + p.rules()));
  }

  /**
   * 36 sites of 36 owners once each over three days, each answered by the site's resolver (or, for
   * {@code bare} of them, reached with no answer at all), a daily site, and DNS to the resolver
   * (or, with {@code resolver} false, to an outside one).
   */
  private static TestBaselines browsing(int bare, boolean resolver) {
    TestBaselines b = new TestBaselines().days(3);
    for (int i = 0; i < 36; i++) {
      String a = "198.51." + i + ".7";
      b.entry(WS, a, "tcp", 443, 1, 1, i % 3);
      if (i >= bare) {
        b.answer(WS, a, "www.site" + i + ".example", i % 3, i % 3, 3000, 300);
      }
    }
    b.entry(WS, "192.0.2.10", "tcp", 443, 30, 30, 0, 1, 2)
        .answer(WS, "192.0.2.10", "mail.corp.example", 0, 2, 3000, 300);
    b.entry(WS, resolver ? RESOLVER : "192.0.2.53", "udp", 53, 90, 90, 0, 1, 2);
    return b;
  }

  @Test
  void aBroadWebRuleWhoseFlowsWereAnsweredFollowsTheResolver() {
    Policy p = generate(browsing(0, true).build());
    Rule any = rule(p, "host-10-0-1-5-tcp443-any");
    assertTrue(any.broad());
    assertTrue(any.destination().any());
    assertTrue(any.destination().resolvedOnly());
    assertEquals(
        37, any.destination().addresses().size(), "every answered address, from the start");
    assertEquals(Cidr.parse("192.0.2.10/32"), any.destination().addresses().get(0));
    PolicyChecker c = new PolicyChecker(p);
    IpAddress ws = IpAddress.parse(WS);
    assertTrue(c.allows(ws, IpAddress.parse("198.51.20.7"), TCP, 443), "learned, answered");
    IpAddress fresh = IpAddress.parse("203.0.113.200");
    assertFalse(c.allows(ws, fresh, TCP, 443), "a bare address no one looked up");
    assertTrue(c.allowsResolved(ws, fresh, TCP, 443), "once the resolver answers it");
    assertFalse(c.allowsResolved(ws, fresh, TCP, 80), "only the rule's ports");
    assertFalse(c.allowsResolved(IpAddress.parse("10.0.1.99"), fresh, TCP, 443), "no role");
  }

  @Test
  void anAnswerForAnyNameAllowsItsAddressWithinItsWindowOnly() {
    Policy p = generate(browsing(0, true).build());
    PolicyChecker c = new PolicyChecker(p);
    IpAddress ws = IpAddress.parse(WS);
    IpAddress fresh = IpAddress.parse("203.0.113.200");
    DnsAnswers dns = new DnsAnswers(NameTtl.DEFAULT);
    long t = TestBaselines.at(3, 36_000);
    dns.answer(t, "tomorrow.example", fresh, 120);
    assertTrue(c.allowsByName(ws, fresh, TCP, 443, t + 1, t + 1, dns), "just after the answer");
    long end = t + (120 + 300) * TestBaselines.NS;
    assertTrue(c.allowsByName(ws, fresh, TCP, 443, end, end, dns), "TTL plus grace");
    assertFalse(c.allowsByName(ws, fresh, TCP, 443, end + 1, end + 1, dns), "past it");
    assertFalse(c.allowsByName(ws, fresh, TCP, 443, t - 1, t - 1, dns), "before the answer");
    assertFalse(c.allowsByName(ws, fresh, TCP, 22, t + 1, t + 1, dns), "another port");
    IpAddress other = IpAddress.parse("203.0.113.201");
    assertFalse(c.allowsByName(ws, other, TCP, 443, t + 1, t + 1, dns), "an address not answered");
  }

  @Test
  void bareAddressesOrNoSiteResolverKeepAnyAddress() {
    // 1 of 66 flows to a bare address: 98.5% answered, under the 99% needed.
    Policy open = generate(browsing(1, true).build());
    Rule bare = rule(open, "host-10-0-1-5-tcp443-any");
    assertTrue(
        open.metadata()
            .warnings()
            .contains(
                "role host-10-0-1-5: its any-destination rule on tcp 443 allows any address, not"
                    + " only those the site's resolver answered: 1 of 66 flows (1.5%) went to"
                    + " addresses no DNS answer gave, 1 of them from 10.0.1.5; bare addresses are"
                    + " what a reverse shell or a payload uses, so look at them (egret baseline"
                    + " show) before trusting the rule"),
        open.metadata().warnings().toString());
    assertTrue(bare.destination().any());
    assertFalse(bare.destination().resolvedOnly());
    assertEquals(List.of(), bare.destination().addresses());
    assertNull(bare.destination().resolved());
    // Hosts asking an outside resolver only: no site resolver to follow.
    Policy noResolver = generate(browsing(0, false).build());
    Rule outside = rule(noResolver, "host-10-0-1-5-tcp443-any");
    assertFalse(outside.destination().resolvedOnly());
    assertTrue(
        noResolver.metadata().warnings().stream().noneMatch(w -> w.contains("any-destination")),
        "no resolver to follow: nothing to warn of");
    assertTrue(
        generate(browsing(0, true).build()).metadata().warnings().stream()
            .noneMatch(w -> w.contains("any-destination")),
        "limited: nothing to warn of");
    assertTrue(
        new PolicyChecker(generate(browsing(0, false).build()))
            .allows(IpAddress.parse(WS), IpAddress.parse("203.0.113.200"), TCP, 443));
  }

  @Test
  void aServerAtAFixedBareAddressStaysAllowedAndABareOneOffDoesNot() {
    TestBaselines b = browsing(0, true);
    b.entry(WS, "192.0.2.20", "tcp", 443, 400, 400, 0, 1, 2)
        .answer(WS, "192.0.2.20", "files.corp.example", 0, 2, 3000, 300);
    b.entry(WS, "192.0.2.99", "tcp", 443, 3, 3, 0, 1, 2); // a licence server, by address
    b.entry(WS, "203.0.113.7", "tcp", 443, 1, 1, 2); // once, by address
    // 466 of 470 flows answered: 99.1%
    Rule any = rule(generate(b.build()), "host-10-0-1-5-tcp443-any");
    assertTrue(any.destination().resolvedOnly());
    List<Cidr> learned = any.destination().addresses();
    assertTrue(learned.contains(Cidr.parse("192.0.2.99/32")), "allowed alone: kept");
    assertFalse(learned.contains(Cidr.parse("203.0.113.7/32")), "a bare one-off: not");
    assertEquals(39, learned.size());
  }

  @Test
  void theShareCountsFlowsAndLeavesOutHostsAskingPastTheResolver() {
    ResolvedShare none = ResolvedShare.never(new Names(browsing(0, true).build()));
    assertFalse(none.gated(browsing(0, true).build().entries()));
    Baseline b = browsing(1, true).build();
    ResolvedShare share = new ResolvedShare(new Names(b), true, java.util.Set.of());
    List<dev.egret.baseline.Entry> web = b.entries().stream().filter(e -> e.port() == 443).toList();
    assertEquals(65.0 / 66, share.of(web), 1e-9);
    ResolvedShare without = new ResolvedShare(new Names(b), true, java.util.Set.of(WS));
    assertEquals(-1, without.of(web), 1e-9, "no flow counts");
    assertFalse(without.gated(web));
  }

  @Test
  void resolvedIsWrittenReadBackAndRefusedWithoutAny() {
    Policy p = generate(browsing(0, true).build());
    String yaml = PolicyYaml.write(p);
    assertTrue(yaml.contains("      resolved: true\n"), yaml);
    assertEquals(p, PolicyYaml.parse(yaml, "p.yaml"));
    String narrow = yaml.replace("      any: true\n", "      any: false\n");
    PolicyException e =
        assertThrows(PolicyException.class, () -> PolicyYaml.parse(narrow, "p.yaml"));
    assertTrue(e.getMessage().startsWith("p.yaml:"), e.getMessage());
    assertTrue(
        e.getMessage().contains("resolved: true needs any: true (any address the resolver gave)"),
        e.getMessage());
    // false is the same as leaving it out
    assertEquals(
        Destination.anywhere(List.of()), new Destination(true, List.of(), List.of(), null, false));
  }

  @Test
  void diffCallsDroppingTheLimitBroadenedAndAddingItNarrowed() {
    Policy limited = generate(browsing(0, true).build());
    Rule r = rule(limited, "host-10-0-1-5-tcp443-any");
    Rule open =
        new Rule(
            r.name(),
            r.role(),
            r.protocol(),
            r.ports(),
            r.icmpTypes(),
            Destination.anywhere(r.destination().names()),
            r.broad(),
            r.exposure(),
            r.evidence(),
            r.uid());
    assertTrue(PolicyDiff.covers(open, r));
    assertFalse(PolicyDiff.covers(r, open));
    assertTrue(
        PolicyDiff.describe(r)
            .endsWith(
                " to "
                    + r.destination().addresses().size()
                    + " addresses seen and any address the resolver answered"),
        PolicyDiff.describe(r));
  }

  @Test
  void diffCallsALimitedRuleThatLostLearnedAddressesNarrowedAndSaysHowMany() {
    Policy limited = generate(browsing(0, true).build());
    Rule r = rule(limited, "host-10-0-1-5-tcp443-any");
    List<Cidr> all = r.destination().addresses();
    assertTrue(all.size() >= 2, all::toString);
    Destination d = r.destination();
    Rule fewer =
        new Rule(
            r.name(),
            r.role(),
            r.protocol(),
            r.ports(),
            r.icmpTypes(),
            new Destination(true, d.names(), all.subList(1, all.size()), d.hold(), true),
            r.broad(),
            r.exposure(),
            r.evidence(),
            r.uid());
    assertTrue(PolicyDiff.covers(r, fewer));
    assertFalse(PolicyDiff.covers(fewer, r));
    List<Rule> rules = new ArrayList<>(limited.rules());
    rules.set(rules.indexOf(r), fewer);
    Policy after =
        new Policy(
            limited.apiVersion(),
            limited.kind(),
            limited.metadata(),
            limited.roles(),
            rules,
            limited.denied(),
            limited.defaults(),
            limited.review(),
            limited.anomalies());
    String role = r.role();
    assertEquals(
        List.of(
            new PolicyDiff.Change(
                "narrowed",
                r.name(),
                role
                    + " tcp [443] to "
                    + all.size()
                    + " addresses seen and any address the resolver answered -> "
                    + role
                    + " tcp [443] to "
                    + (all.size() - 1)
                    + " addresses seen and any address the resolver answered")),
        PolicyDiff.between(limited, after));
  }
}
