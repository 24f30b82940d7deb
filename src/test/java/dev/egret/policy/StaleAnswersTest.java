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
 * A name whose addresses change while its clients keep using an answer's address long after the
 * answer ran out (an NTP pool looked up once a day) is said in the warnings and not widened.
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
  void addressesOfARotatingNameUsedLongAfterTheirAnswerAreSaidNotWidened() {
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
    assertEquals(
        List.of(
            "rule "
                + ntp.name()
                + ": 8 addresses were still used up to 25 h after the last DNS answer for them,"
                + " while the name's addresses change and a name rule reaches an address only for"
                + " a while after an answer (its TTL plus 300 s; an ipset at most 3,900 s): such"
                + " clients (an NTP pool looked up once, an agent that resolves at start) will be"
                + " blocked on new addresses; give them a fixed or internal server"),
        p.metadata().warnings());
    assertFalse(
        new PolicyChecker(p)
            .allows(
                IpAddress.parse("10.0.2.1"),
                IpAddress.parse("198.19.200.7"),
                Protocols.parse("udp"),
                123),
        "tomorrow's pool address is not allowed by address");
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
