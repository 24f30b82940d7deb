package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.EgretConfig;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A name whose addresses change while its clients keep using an answer's address long after the
 * answer ran out (an NTP pool looked up once a day) gets a hold that covers that use, said in the
 * warnings, and is not widened.
 */
class StaleAnswersTest {
  private static Policy generate(TestBaselines b) {
    return new PolicyGenerator(EgretConfig.defaults(), Decisions.none(), true).generate(b.build());
  }

  /** Four pool addresses a day, answered at 00:01:40 with TTL 150 s, polled until the next day. */
  private static TestBaselines ntpPool(TestBaselines b, String host) {
    for (int d = 0; d < 2; d++) {
      for (int i = 0; i < 4; i++) {
        String a = "198.19." + (128 + 10 * d + i) + ".7";
        b.entry(host, a, "udp", 123, 80, 80, d, d + 1);
        b.answer(host, a, "pool.ntp.example", d, d, 100, 150);
      }
    }
    return b;
  }

  @Test
  void addressesOfARotatingNameUsedLongAfterTheirAnswerAreHeldNotWidened() {
    TestBaselines b = ntpPool(new TestBaselines().days(3), "10.0.2.1");
    b.entry("10.0.2.1", "10.0.0.53", "udp", 53, 90, 90, 0, 1, 2);
    Policy p = generate(b);
    Rule ntp =
        p.rules().stream()
            .filter(r -> r.protocol().equals("udp") && r.ports().get(0).from() == 123)
            .findFirst()
            .orElseThrow();
    assertFalse(ntp.destination().any());
    assertEquals(List.of("pool.ntp.example"), ntp.destination().names());
    // The last use (the next day at 01:10) came 25 h 8 min 20 s after its answer (00:01:40): a
    // quarter more is 31 h 25 min, 32 h in whole hours.
    assertEquals(115_200L, ntp.destination().hold());
    assertEquals(
        List.of(
            "rule "
                + ntp.name()
                + ": 8 addresses were still used up to 25 h after the last DNS answer for them ran"
                + " out (its TTL plus 300 s), while the name's addresses change (an NTP pool looked"
                + " up once a day, an agent that resolves at start): the rule's names keep an"
                + " answer's addresses for 32 h (hold: 115200); a fixed or internal server would"
                + " need no hold"),
        p.metadata().warnings());
    PolicyChecker checker = new PolicyChecker(p);
    IpAddress host = IpAddress.parse("10.0.2.1");
    IpAddress fresh = IpAddress.parse("198.19.200.7");
    int udp = Protocols.parse("udp");
    assertFalse(checker.allows(host, fresh, udp, 123), "tomorrow's address is not allowed as such");
    // Tomorrow's answer at 01:00 gives a new address: polled all day, until the hold runs out.
    long day = 86_400 * NS;
    long answered = 3 * day + 3600 * NS;
    DnsAnswers dns = new DnsAnswers(NameTtl.DEFAULT);
    dns.answer(answered, "pool.ntp.example", fresh, 150);
    for (long after : new long[] {0, 450 * NS, 3600 * NS, 22 * 3600 * NS, 32 * 3600 * NS}) {
      long t = answered + after;
      assertTrue(checker.allowsByName(host, fresh, udp, 123, t, t, dns), "after " + after);
    }
    long late = answered + 32 * 3600 * NS + NS;
    assertFalse(checker.allowsByName(host, fresh, udp, 123, late, late, dns), "past the hold");
    assertFalse(
        checker.allowsByName(host, fresh, udp, 124, answered, answered, dns), "another port");
    // Without the hold, the answer's window is its TTL plus grace.
    Policy unheld = withoutHolds(p);
    long t = answered + 451 * NS;
    assertFalse(new PolicyChecker(unheld).allowsByName(host, fresh, udp, 123, t, t, dns));
    assertTrue(new PolicyChecker(unheld).allowsByName(host, fresh, udp, 123, t - NS, t - NS, dns));
  }

  private static final long NS = 1_000_000_000L;

  private static Policy withoutHolds(Policy p) {
    List<Rule> rules =
        p.rules().stream()
            .map(
                r ->
                    new Rule(
                        r.name(),
                        r.role(),
                        r.protocol(),
                        r.ports(),
                        r.icmpTypes(),
                        new Destination(
                            r.destination().any(),
                            r.destination().names(),
                            r.destination().addresses()),
                        r.broad(),
                        r.exposure(),
                        r.evidence(),
                        r.uid()))
            .toList();
    return new Policy(
        p.apiVersion(),
        p.kind(),
        p.metadata(),
        p.roles(),
        rules,
        p.denied(),
        p.defaults(),
        p.review(),
        p.anomalies());
  }

  @Test
  void aHoldIsWrittenReadBackAndRefusedOutOfRange() {
    Policy p = generate(ntpPool(new TestBaselines().days(3), "10.0.2.1"));
    String yaml = PolicyYaml.write(p);
    assertTrue(yaml.contains("\n      hold: 115200\n"), yaml);
    assertEquals(p, PolicyYaml.parse(yaml, "p.yaml"));
    for (String bad : new String[] {"0", "-5", "604801"}) {
      PolicyException e =
          assertThrows(
              PolicyException.class,
              () -> PolicyYaml.parse(yaml.replace("hold: 115200", "hold: " + bad), "p.yaml"));
      assertTrue(
          e.getMessage().startsWith("p.yaml:")
              && e.getMessage()
                  .contains("a destination's hold must be 1 to 604800 seconds, not " + bad),
          e.getMessage());
    }
    // A hold with no name to follow: the rule's names replaced by an address-only destination.
    String noNames = yaml.replace("names:\n        - pool.ntp.example\n", "names: []\n");
    PolicyException e =
        assertThrows(PolicyException.class, () -> PolicyYaml.parse(noNames, "p.yaml"));
    assertTrue(
        e.getMessage().contains("a destination's hold needs a host name to follow"),
        e.getMessage());
  }

  @Test
  void theHoldCoversTheLongestUseAndAQuarterInWholeHoursAtMostAWeek() {
    assertEquals(3600, StaleAnswers.hold(0));
    assertEquals(3600, StaleAnswers.hold(2880));
    assertEquals(7200, StaleAnswers.hold(2881));
    assertEquals(115_200, StaleAnswers.hold(90_500));
    assertEquals(115_200, StaleAnswers.hold(92_160));
    assertEquals(118_800, StaleAnswers.hold(92_161));
    assertEquals(Destination.MAX_HOLD, StaleAnswers.hold(7 * 86_400));
    assertEquals(Destination.MAX_HOLD, StaleAnswers.hold(Long.MAX_VALUE / 2));
  }

  @Test
  void aRotatingNameUsedWithinItsAnswersOrAStableNameUsedLongIsNotWarnedAbout() {
    TestBaselines b = new TestBaselines().days(3);
    // A CDN API: a new address daily, each used on two days, 01:00 to 01:10, and answered at
    // 00:58:20 on each.
    for (int d = 0; d < 2; d++) {
      String a = "198.18.4." + (d + 1);
      b.entry("10.0.2.1", a, "tcp", 443, 20, 20, d, d + 1);
      b.answer("10.0.2.1", a, "api.vendor.example", d, d + 1, 3500, 300);
    }
    // A partner at one address, answered once, used for three days.
    b.entry("10.0.2.1", "192.0.2.40", "tcp", 443, 30, 30, 0, 1, 2)
        .answer("10.0.2.1", "192.0.2.40", "partner.example.net", 0, 0, 100, 3600);
    b.entry("10.0.2.1", "10.0.0.53", "udp", 53, 90, 90, 0, 1, 2);
    Policy p = generate(b);
    assertEquals(3, p.rules().size(), p.rules().toString());
    assertTrue(p.metadata().warnings().isEmpty(), p.metadata().warnings().toString());
  }
}
