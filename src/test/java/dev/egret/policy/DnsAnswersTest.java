package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.net.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which answers explain a name rule's connection: as dnsmasq fills the sets, by suffix. */
class DnsAnswersTest {
  private static final long S = 1_000_000_000L;
  private static final IpAddress A = IpAddress.parse("192.0.2.7");

  private static boolean explained(String pattern, String answeredName) {
    DnsAnswers d = new DnsAnswers(NameTtl.DEFAULT);
    d.answer(10 * S, answeredName, A, 300);
    return d.explains(List.of(pattern), A, 20 * S, 21 * S);
  }

  @Test
  void aNameTakesItselfAndTheNamesUnderItOnWholeLabels() {
    assertEquals(true, explained("api.example.test", "api.example.test"));
    assertEquals(true, explained("api.example.test", "API.Example.Test."));
    assertEquals(true, explained("api.example.test", "evil.api.example.test"));
    assertEquals(false, explained("api.example.test", "evilapi.example.test"));
    assertEquals(false, explained("api.example.test", "example.test"));
    assertEquals(false, explained("api.example.test", "api.example.test.evil"));
  }

  /** The Public Suffix List says whose a name under the rule's name is. */
  @Test
  void aNameUnderAnotherOwnerNeverCounts() {
    assertEquals(true, explained("github.com", "api.github.com"));
    assertEquals(false, explained("duckdns.org", "attacker.duckdns.org"));
    assertEquals(false, explained("github.io", "attacker.github.io"));
    assertEquals(false, explained("amazonaws.com", "bucket.s3.amazonaws.com"));
    assertEquals(true, explained("duckdns.org", "duckdns.org"));
  }

  @Test
  void aWildcardTakesItsDomainAsDnsmasqsLineDoes() {
    assertEquals(true, explained("*.example.test", "example.test"));
    assertEquals(true, explained("*.example.test", "a.b.example.test"));
    assertEquals(false, explained("*.example.test", "badexample.test"));
    assertEquals(false, explained("*.example.test", "example.test.evil"));
  }

  @Test
  void anAnswerOutsideItsWindowExplainsNothing() {
    DnsAnswers d = new DnsAnswers(NameTtl.DEFAULT);
    d.answer(10 * S, "api.example.test", A, 60);
    // 60 s TTL plus 300 s of grace: 370 s after the answer is past it.
    assertEquals(false, d.explains(List.of("api.example.test"), A, 380 * S, 381 * S));
    assertEquals(false, d.explains(List.of("api.example.test"), A, 5 * S, 6 * S));
  }
}
