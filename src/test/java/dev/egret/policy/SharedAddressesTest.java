package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import dev.egret.report.HtmlReport;
import dev.egret.report.ReportInput;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A name rule on a CDN front's address says that 30 other names share it, with examples that are
 * valid host names only; a rule whose address answers for a few names of its own does not.
 */
class SharedAddressesTest {
  private static final String HOST = "10.0.0.5";
  private static final String OTHER = "10.0.0.6";
  private static final String CDN = "192.0.2.80";

  /** api.example.com on the CDN's address on three days; {@code others} names answered there. */
  private static TestBaselines cdn(int others) {
    TestBaselines t =
        new TestBaselines()
            .days(3)
            .source("a.pcap")
            .entry(HOST, CDN, "tcp", 443, 15, 15, 0, 1, 2)
            .name(HOST, CDN, "api.example.com");
    for (int i = 0; i < others; i++) {
      t.name(OTHER, CDN, String.format("site%02d.cdn-customer%02d.test", i, i));
    }
    return t;
  }

  private static Rule rule(Policy p, String name) {
    return p.rules().stream()
        .filter(r -> r.destination().names().contains(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rule for " + name + ": " + p.rules()));
  }

  private static Policy policy(Baseline b) {
    return new PolicyGenerator(EgretConfig.defaults()).generate(b);
  }

  @Test
  void aCdnAddressAnsweringFor30NamesIsSaidToBeShared() {
    Baseline b =
        cdn(30)
            // the rule's own name in another spelling, a trailing dot: not another name
            .name(OTHER, CDN, "API.example.com.")
            // wire text that is no host name: counted, never shown
            .name(OTHER, CDN, "evil\"name#x/\n.test")
            .name(OTHER, CDN, "a".repeat(64) + ".test")
            // a client's claim is no DNS answer
            .sni(OTHER, CDN, "claimed.example.org")
            .build();
    Rule r = rule(policy(b), "api.example.com");
    Evidence.Shared s = r.evidence().sharedAddresses();
    assertNotNull(s, "30 other names on the address");
    assertEquals(32, s.names());
    assertEquals(
        List.of(
            "site00.cdn-customer00.test",
            "site01.cdn-customer01.test",
            "site02.cdn-customer02.test",
            "site03.cdn-customer03.test",
            "site04.cdn-customer04.test"),
        s.examples());
    assertEquals(
        "addresses shared with 32 other names (e.g. site00.cdn-customer00.test,"
            + " site01.cdn-customer01.test, site02.cdn-customer02.test, site03.cdn-customer03.test,"
            + " site04.cdn-customer04.test): allowing this name allows them too",
        s.describe());
  }

  @Test
  void theYamlCarriesItAndReadsItBack() {
    Policy p = policy(cdn(30).build());
    String yaml = PolicyYaml.write(p);
    assertTrue(
        yaml.contains(
            "      sharedAddresses:\n"
                + "        names: 30\n"
                + "        examples:\n"
                + "          - site00.cdn-customer00.test\n"),
        yaml);
    assertEquals(p, PolicyYaml.parse(yaml, "p.yaml"));
  }

  @Test
  void aFewNamesOfItsOwnAreNotShared() {
    Baseline b =
        cdn(0)
            .name(OTHER, CDN, "www.example.com")
            .name(OTHER, CDN, "example.com")
            .name(OTHER, CDN, "static.example.com")
            .name(OTHER, CDN, "img.example.com")
            .build();
    Policy p = policy(b);
    assertNull(rule(p, "api.example.com").evidence().sharedAddresses(), "4 other names, below 5");
    assertFalse(PolicyYaml.write(p).contains("sharedAddresses"));
  }

  @Test
  void fiveOtherNamesAreTheThreshold() {
    Policy p = policy(cdn(5).build());
    assertEquals(5, rule(p, "api.example.com").evidence().sharedAddresses().names());
  }

  @Test
  void addressesTheNameWasAnsweredWithCountToo() {
    // The host connected to one address; the resolver also answered the name with a second one,
    // which the resolver's set will hold: the names there share the rule's set.
    TestBaselines t = cdn(0).name(HOST, "192.0.2.81", "api.example.com");
    for (int i = 0; i < 6; i++) {
      t.name(OTHER, "192.0.2.81", "other" + i + ".example.net");
    }
    Evidence.Shared s = rule(policy(t.build()), "api.example.com").evidence().sharedAddresses();
    assertNotNull(s);
    assertEquals(6, s.names());
  }

  @Test
  void otherOwnersComeFirstAmongTheExamples() {
    TestBaselines t = cdn(0);
    for (String n : List.of("a.example.com", "b.example.com", "c.example.com", "d.example.com")) {
      t.name(OTHER, CDN, n);
    }
    t.name(OTHER, CDN, "z.other.test");
    Evidence.Shared s = rule(policy(t.build()), "api.example.com").evidence().sharedAddresses();
    assertEquals(
        List.of("z.other.test", "a.example.com", "b.example.com", "c.example.com", "d.example.com"),
        s.examples());
  }

  /** The annotated rule keeps everything else, its user included. */
  @Test
  void theRuleKeepsItsUser() {
    Baseline b = cdn(30).build();
    Rule r = rule(policy(b), "api.example.com");
    Rule perUser =
        new Rule(
            r.name(),
            r.role(),
            r.protocol(),
            r.ports(),
            r.icmpTypes(),
            r.destination(),
            r.broad(),
            r.exposure(),
            r.evidence(),
            1000);
    Rule again =
        new SharedAddresses(b, new Names(b), List.of(perUser)).annotate(List.of(perUser)).get(0);
    assertEquals(Integer.valueOf(1000), again.uid());
    assertEquals(30, again.evidence().sharedAddresses().names());
  }

  @Test
  void theReportShowsIt() {
    Baseline b = cdn(30).build();
    String html =
        HtmlReport.render(new ReportInput(b, "b.json", policy(b), null, null, null, null));
    assertTrue(html.contains("<span class=\"badge warn\">shared</span> addresses shared with 30"));
    assertTrue(html.contains("allowing this name allows them too"));
  }
}
