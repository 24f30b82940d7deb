package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.policy.Policy;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One name used by 20 rules of roles with 60-character names: dnsmasq reads a line of at most about
 * 1,024 characters and uses one line per domain, so the name's line must not list a set per rule.
 * It lists the name's own set per family; the rules match that set. RealToolsTest loads the same
 * files into the real tools ({@code dnsmasq --test}, {@code nft -c}, {@code iptables-restore}).
 */
class SharedNameTest {
  private static final String NAME = SharedNamePolicy.NAME;
  private static final int RULES = SharedNamePolicy.RULES;

  @ParameterizedTest
  @EnumSource(CompileOptions.Mode.class)
  void aNameOfTwentyRulesIsOneShortLine(CompileOptions.Mode mode) {
    CompileOptions o =
        mode == CompileOptions.Mode.HOST
            ? CompileOptions.builder(CompileOptions.Mode.HOST).allRoles(true).build()
            : CompileOptions.gateway();
    Policy p = SharedNamePolicy.policy();
    String v4 = NameSets.nftName(NAME, true);
    String v6 = NameSets.nftName(NAME, false);
    String conf = CompilerRegistry.get("dnsmasq").compile(p, o).files().get(DnsmasqCompiler.FILE);
    List<String> lines = conf.lines().filter(l -> l.startsWith("nftset=")).toList();
    String expected =
        mode == CompileOptions.Mode.HOST
            ? "nftset=/" + NAME + "/4#inet#egret#" + v4 + ",6#inet#egret#" + v6
            : "nftset=/" + NAME + "/4#inet#egret#" + v4;
    assertEquals(List.of(expected), lines, conf);
    String ipset =
        CompilerRegistry.get("dnsmasq-ipset").compile(p, o).files().get(DnsmasqCompiler.FILE);
    assertTrue(
        ipset.contains("\nipset=/" + NAME + "/" + NameSets.ipsetName(NAME, true) + "\n")
            || ipset.contains(
                "\nipset=/"
                    + NAME
                    + "/"
                    + NameSets.ipsetName(NAME, true)
                    + ","
                    + NameSets.ipsetName(NAME, false)
                    + "\n"),
        ipset);
    for (String target : List.of("dnsmasq", "dnsmasq-ipset")) {
      for (String line :
          CompilerRegistry.get(target)
              .compile(p, o)
              .files()
              .get(DnsmasqCompiler.FILE)
              .lines()
              .toList()) {
        assertTrue(line.length() <= DnsmasqCompiler.LINE_MAX, line.length() + ": " + line);
      }
    }
    // Each rule matches the name's set, besides its own learned address.
    String nft = CompilerRegistry.get("nftables").compile(p, o).files().get("egret.nft");
    assertEquals(RULES, nft.lines().filter(l -> l.contains(" daddr @" + v4 + " tcp")).count());
    assertEquals(1, nft.lines().filter(l -> l.startsWith("\tset " + v4 + " {")).count(), "one set");
  }

  /**
   * A name and the wildcard over it share one dnsmasq line with both sets (two lines of one domain
   * would leave one unused: dnsmasq takes the last); the wildcard is written as its domain, since
   * dnsmasq has no wildcard in set lines.
   */
  @org.junit.jupiter.api.Test
  void aNameAndItsWildcardShareOneLine() {
    Policy p = webPolicy("example.test", "*.example.test");
    String conf =
        CompilerRegistry.get("dnsmasq-ipset")
            .compile(p, CompileOptions.gateway())
            .files()
            .get(DnsmasqCompiler.FILE);
    assertEquals(
        List.of(
            "ipset=/example.test/"
                + NameSets.ipsetName("*.example.test", true)
                + ","
                + NameSets.ipsetName("example.test", true)),
        conf.lines().filter(l -> l.startsWith("ipset=")).toList(),
        conf);
  }

  /**
   * A public suffix gets no line: dnsmasq's /duckdns.org/ would put the answers for every name
   * registered under it (any address their owners choose) into the set.
   */
  @org.junit.jupiter.api.Test
  void aPublicSuffixGetsNoLine() {
    CompiledRules c =
        CompilerRegistry.get("dnsmasq")
            .compile(webPolicy("duckdns.org", "api.example.test"), CompileOptions.gateway());
    String conf = c.files().get(DnsmasqCompiler.FILE);
    assertEquals(
        List.of("api.example.test"),
        conf.lines()
            .filter(l -> l.startsWith("nftset="))
            .map(l -> l.substring(8, l.indexOf('/', 8)))
            .toList(),
        conf);
    assertTrue(
        c.warnings().stream().anyMatch(w -> w.startsWith("name duckdns.org is a public suffix")),
        c.warnings().toString());
  }

  /** One role, web, with a rule for tcp/443 to each of {@code patterns}. */
  private static Policy webPolicy(String... patterns) {
    dev.egret.policy.Evidence ev =
        new dev.egret.policy.Evidence(10, 2, null, null, List.of(), List.of(), List.of(), null);
    List<dev.egret.policy.Rule> rules = new java.util.ArrayList<>();
    for (int i = 0; i < patterns.length; i++) {
      rules.add(
          new dev.egret.policy.Rule(
              "web-" + i,
              "web",
              "tcp",
              List.of(dev.egret.policy.PortRange.of(443, 443)),
              List.of(),
              new dev.egret.policy.Destination(false, List.of(patterns[i]), List.of()),
              false,
              0,
              ev));
    }
    return new Policy(
        Policy.API_VERSION,
        Policy.KIND,
        new dev.egret.policy.PolicyMetadata(
            null, null, 2, List.of(), 0, 0, 0, null, null, List.of()),
        List.of(
            new dev.egret.policy.Role(
                "web", List.of(dev.egret.net.Cidr.parse("10.0.0.5/32")), "web")),
        rules,
        dev.egret.policy.Defaults.standard(),
        List.of(),
        List.of());
  }

  /** The longest line: the longest name there is, in both families. */
  @org.junit.jupiter.api.Test
  void theLongestLineFits() {
    String label = "a".repeat(63);
    String longest = label + "." + label + "." + label + "." + "b".repeat(61);
    assertEquals(253, longest.length());
    String line =
        "nftset=/"
            + longest
            + "/4#inet#egret#"
            + NameSets.nftName(longest, true)
            + ",6#inet#egret#"
            + NameSets.nftName(longest, false);
    assertEquals(327, line.length());
    // The longest domain a wildcard has (251: "*." and it make 253), on one line with the name's
    // sets and the wildcard's.
    String domain = longest.substring(2);
    String wildcard = "*." + domain;
    String shared =
        "nftset=/"
            + domain
            + "/4#inet#egret#"
            + NameSets.nftName(domain, true)
            + ",6#inet#egret#"
            + NameSets.nftName(domain, false)
            + ",4#inet#egret#"
            + NameSets.nftName(wildcard, true)
            + ",6#inet#egret#"
            + NameSets.nftName(wildcard, false);
    assertEquals(391, shared.length());
    assertTrue(shared.length() <= DnsmasqCompiler.LINE_MAX && DnsmasqCompiler.LINE_MAX < 1024);
    assertTrue(NameSets.ipsetName(longest, false).length() <= IpsetFile.NAME_MAX);
  }
}
