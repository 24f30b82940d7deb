package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.baseline.EgretConfig;
import dev.egret.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A name rule follows its name's DNS answers (dnsmasq's sets, egret resolve), so only a DNS answer
 * names a rule's destination: a TLS server name or an HTTP Host is whatever the client chose to
 * send, and a compromised host that claimed its own domain for an address it uses would otherwise
 * be allowed every address that domain resolves to later.
 */
class ClaimedNamesTest {
  private static final String HOST = "10.0.0.5";

  private static Rule ruleTo(Policy p, String address) {
    return p.rules().stream()
        .filter(r -> r.destination().addresses().contains(Cidr.parse(address + "/32")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rule to " + address + ": " + p.rules()));
  }

  @Test
  void aNameOnlyTheClientClaimedNamesNoRuleAndNeverOutranksTheAnswer() {
    TestBaselines b = new TestBaselines().days(3);
    // Only a server name, on every connection of three days.
    b.entry(HOST, "203.0.113.10", "tcp", 443, 30, 30, 0, 1, 2)
        .sni(HOST, "203.0.113.10", "c2.attacker.example", 30);
    // One answer a day for the address, and a different server name on every connection.
    b.entry(HOST, "198.51.100.10", "tcp", 443, 30, 30, 0, 1, 2)
        .answer(HOST, "198.51.100.10", "api.good.example", 0, 2, 600, 300)
        .sni(HOST, "198.51.100.10", "evil.attacker.example", 30);
    Policy p = new PolicyGenerator(EgretConfig.defaults()).generate(b.build());
    Rule claimed = ruleTo(p, "203.0.113.10");
    assertEquals(List.of(), claimed.destination().names(), claimed::toString);
    assertEquals(List.of(Cidr.parse("203.0.113.10/32")), claimed.destination().addresses());
    Rule answered = ruleTo(p, "198.51.100.10");
    assertEquals(List.of("api.good.example"), answered.destination().names(), answered::toString);
  }
}
