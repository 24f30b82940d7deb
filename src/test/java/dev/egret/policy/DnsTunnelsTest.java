package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.egret.baseline.EgretConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data carried in DNS questions is an anomaly: many distinct long names under one domain. */
class DnsTunnelsTest {
  private static Policy generate(TestBaselines b) {
    return new PolicyGenerator(EgretConfig.defaults(), Decisions.none(), true).generate(b.build());
  }

  /** {@code n} names of {@code chars} hex characters under {@code domain}, one a minute. */
  private static TestBaselines ask(TestBaselines b, String host, String domain, int n, int chars) {
    for (int i = 0; i < n; i++) {
      String label = String.format("%0" + chars + "x", (long) i * 2654435761L);
      b.query(host, label.substring(label.length() - chars) + "." + domain, 2, 3600 + 60 * i);
    }
    return b;
  }

  @Test
  void manyLongNamesUnderOneDomainAreATunnel() {
    TestBaselines b =
        new TestBaselines().days(3).entry("10.0.2.1", "10.0.0.53", "udp", 53, 90, 90, 0, 1, 2);
    ask(b, "10.0.2.1", "t.exfil.example.com", 20, 24); // the tunnel: 24 + ".t.exfil"
    ask(b, "10.0.2.1", "cdn.example.net", 19, 30); // 19 long names: one short of a tunnel
    ask(b, "10.0.2.2", "example.org", 40, 20); // 40 names of 20 characters: not long
    Policy p = generate(b);
    List<Anomaly> tunnels =
        p.anomalies().stream().filter(a -> a.kind().equals("dns-tunnel")).toList();
    assertEquals(1, tunnels.size(), p.anomalies().toString());
    Anomaly a = tunnels.get(0);
    assertEquals("10.0.2.1", a.host());
    assertEquals(List.of("example.com"), a.destinations());
    assertEquals("10.0.2.1/udp/53/example.com", a.id());
    assertEquals(
        "20 distinct names under example.com, 32-32 characters before it, asked 20 times: data"
            + " carried in DNS questions (a tunnel), through whichever resolver answers",
        a.detail());
    assertEquals(20, a.evidence().flows());
    assertEquals(3, a.evidence().names().size());
    assertEquals(p.anomalies().get(0), a, "listed before the less hostile kinds");
  }

  @Test
  void theDomainIsTheRegisteredOneOrTheLastTwoLabels() {
    assertEquals("example.co.uk", DnsTunnels.domain("a.b.example.co.uk."));
    assertEquals("exfil.test", DnsTunnels.domain("aaaa.t.exfil.test"));
    assertNull(DnsTunnels.domain("bad\u0000label.exfil.test"));
    assertNull(DnsTunnels.domain("localhost"));
  }
}
