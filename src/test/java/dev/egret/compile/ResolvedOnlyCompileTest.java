package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.net.Cidr;
import dev.egret.policy.Defaults;
import dev.egret.policy.Destination;
import dev.egret.policy.Evidence;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyMetadata;
import dev.egret.policy.PortRange;
import dev.egret.policy.Role;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A resolved-only rule ({@code any: true, resolved: true}) in every target: nftables and iptables
 * match it against its learned addresses (allowed from the start) and the sets of every answer,
 * never any destination; dnsmasq feeds those sets from a {@code /#/} line and from every other
 * line; ufw and Capirca fall back to any destination with a warning. The policy is {@code
 * policies/resolved-only.yaml}: a resolved-only rule on tcp 80 and 443 (one learned address per
 * family, a hostile evidence name among its names), a name rule on tcp 8443 and DNS, for a desk of
 * IPv4 and IPv6.
 */
class ResolvedOnlyCompileTest {
  /**
   * The services that answer any address spelled in the name, refused where no name is under one.
   */
  private static final String REFUSED =
      "server=/1u.ms/backname.io/nip.io/rbndr.us/sslip.io/traefik.me/xip.io/";

  /** The sets of every answer: a hash of "#", pinned so that a change of name is seen. */
  static final String ANY4 = "n4_334359b90efed75d";

  static final String ANY6 = "n6_334359b90efed75d";
  static final String API4 = NameSets.nftName("api.other.example", true);
  static final String API6 = NameSets.nftName("api.other.example", false);
  static final String COMMENT =
      "egret desk-web-resolved: www.site.example, evil?? accept??? x ?broad? - 5000 flows, 7 days";

  private static CompiledRules compile(String target, Policy p) {
    return CompilerRegistry.get(target).compile(p, CompileOptions.host());
  }

  private static Policy policy() {
    return CompileCases.policy("resolved-only");
  }

  private static List<String> lines(String text, String... prefixes) {
    return text.lines().filter(l -> List.of(prefixes).stream().anyMatch(l::startsWith)).toList();
  }

  @Test
  void theSetsOfEveryAnswerAreNamedLikeAnyNamesSets() {
    assertEquals(ANY4, NameSets.nftName(NameSets.ANY_ANSWER, true));
    assertEquals(ANY6, NameSets.nftName(NameSets.ANY_ANSWER, false));
    assertEquals("en4-334359b90efed75d", NameSets.ipsetName(NameSets.ANY_ANSWER, true));
    List<NameSets.NameSet> sets = NameSets.of(policy(), CompileOptions.host());
    NameSets.NameSet any = sets.get(0);
    assertEquals(NameSets.ANY_ANSWER, any.pattern());
    assertTrue(any.anyAnswer());
    assertEquals(List.of(), any.lookups(), "nothing to look up for every answer");
    assertEquals(
        List.of(ANY4, API4, ANY6, API6),
        sets.stream().map(NameSets.NameSet::nftSet).sorted().toList());
    assertEquals(
        List.of("desk-web-resolved"), NameSets.resolvedOnlyRules(policy(), CompileOptions.host()));
  }

  /** Its learned addresses in a set of its own, and the sets of every answer. */
  @Test
  void nftablesMatchesTheRuleAgainstItsLearnedAddressesAndEveryAnswersSets() {
    String nft = compile("nftables", policy()).files().get("egret.nft");
    assertTrue(
        nft.contains(
            "\tset "
                + ANY4
                + " {\n\t\ttype ipv4_addr\n\t\tflags timeout\n"
                + "\t\tcomment \"egret every answer of the site resolver\"\n\t}\n"),
        nft);
    assertTrue(nft.contains("\tset " + ANY6 + " {\n\t\ttype ipv6_addr\n\t\tflags timeout\n"), nft);
    assertTrue(
        nft.contains(
            "\tset d4_desk-web-resolved {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
                + "\t\telements = { 192.0.2.80/32 }\n\t}\n"),
        nft);
    String accept = " tcp dport { 80, 443 } counter accept comment \"" + COMMENT + "\"";
    assertEquals(
        List.of(
            "ip daddr @d4_desk-web-resolved" + accept,
            "ip daddr @" + ANY4 + accept,
            "ip6 daddr @d6_desk-web-resolved" + accept,
            "ip6 daddr @" + ANY6 + accept),
        nft.lines().map(String::strip).filter(l -> l.endsWith(accept)).toList());
    assertFalse(nft.contains("meta nfproto"), "no rule for any destination:\n" + nft);
  }

  @Test
  void iptablesMatchesTheRuleAgainstItsLearnedAddressesAndEveryAnswersIpsets() {
    CompiledRules r = compile("iptables", policy());
    String any4 = NameSets.ipsetName(NameSets.ANY_ANSWER, true);
    String any6 = NameSets.ipsetName(NameSets.ANY_ANSWER, false);
    String tail =
        " -p tcp -m multiport --dports 80,443 -m comment --comment \"" + COMMENT + "\" -j ACCEPT";
    assertEquals(
        List.of(
            "-A EGRET-EGRESS -d 192.0.2.80/32" + tail,
            "-A EGRET-EGRESS -m set --match-set " + any4 + " dst" + tail),
        lines(r.files().get("rules.v4"), "-A EGRET-EGRESS").stream()
            .filter(l -> l.contains("desk-web-resolved"))
            .toList());
    assertEquals(
        List.of(
            "-A EGRET-EGRESS -d 2001:db8::80/128" + tail,
            "-A EGRET-EGRESS -m set --match-set " + any6 + " dst" + tail),
        lines(r.files().get("rules.v6"), "-A EGRET-EGRESS").stream()
            .filter(l -> l.contains("desk-web-resolved"))
            .toList());
    String ipset = r.files().get("ipset.conf");
    assertTrue(
        ipset.contains(
            "create " + any4 + " hash:net family inet timeout 3900 -exist\nflush " + any4 + "\n"),
        ipset);
    assertTrue(
        ipset.contains(
            "create " + any6 + " hash:net family inet6 timeout 3900 -exist\nflush " + any6 + "\n"),
        ipset);
  }

  @Test
  void dnsmasqSendsEveryAnswerToTheSetsFromEveryLine() {
    String nft = compile("dnsmasq", policy()).files().get(DnsmasqCompiler.FILE);
    assertEquals(
        List.of(
            "server=/use-application-dns.net/",
            REFUSED,
            "nftset=/#/4#inet#egret#" + ANY4 + ",6#inet#egret#" + ANY6,
            "nftset=/api.other.example/4#inet#egret#"
                + API4
                + ",6#inet#egret#"
                + API6
                + ",4#inet#egret#"
                + ANY4
                + ",6#inet#egret#"
                + ANY6),
        lines(nft, "server=", "nftset=", "ipset="));
    assertTrue(
        nft.contains(
            "# Firefox's DNS-over-HTTPS canary: NXDOMAIN here keeps Firefox on this resolver,\n"
                + "# whose answers alone reach the sets.\nserver=/use-application-dns.net/\n"),
        nft);
    String any4 = NameSets.ipsetName(NameSets.ANY_ANSWER, true);
    String any6 = NameSets.ipsetName(NameSets.ANY_ANSWER, false);
    String api4 = NameSets.ipsetName("api.other.example", true);
    String api6 = NameSets.ipsetName("api.other.example", false);
    assertEquals(
        List.of(
            "server=/use-application-dns.net/",
            REFUSED,
            "ipset=/#/" + any4 + "," + any6,
            "ipset=/api.other.example/" + api4 + "," + api6 + "," + any4 + "," + any6),
        lines(
            compile("dnsmasq-ipset", policy()).files().get(DnsmasqCompiler.FILE),
            "server=",
            "nftset=",
            "ipset="));
  }

  /**
   * A service that answers any address spelled in the name would let anyone open any address to a
   * resolved-only rule; it is refused, but where the policy's own names are under it.
   */
  @Test
  void servicesThatAnswerAnyAddressInTheNameAreRefusedButThePolicysOwn() {
    String conf = compile("dnsmasq", policy()).files().get(DnsmasqCompiler.FILE);
    assertTrue(
        conf.contains(
            "# Services that answer any address spelled in the name (or rebind it) get\n"
                + "# NXDOMAIN: through them anyone could open any address to those rules.\n"
                + REFUSED
                + "\n"),
        conf);
    Policy own =
        policy(
            rule("web-any", Destination.anywhere(List.of()).onlyResolved(List.of()), 443),
            rule(
                "dev-app",
                new Destination(false, List.of("app.10.0.0.5.nip.io"), List.of()),
                8443));
    List<String> refused =
        lines(compile("dnsmasq", own).files().get(DnsmasqCompiler.FILE), "server=");
    assertEquals(
        List.of(
            "server=/use-application-dns.net/",
            "server=/1u.ms/backname.io/rbndr.us/sslip.io/traefik.me/xip.io/"),
        refused);
  }

  /** In gateway mode an IPv4-only role follows the IPv4 set alone, on every line. */
  @Test
  void onlyTheFamiliesTheRulesFollowAreFed() {
    Policy p =
        policy(
            List.of(Cidr.parse("10.0.0.5/32")),
            rule("web-any", any(), 443),
            rule("web-api", names("api.other.example"), 8443));
    String conf =
        CompilerRegistry.get("dnsmasq")
            .compile(p, CompileOptions.gateway())
            .files()
            .get(DnsmasqCompiler.FILE);
    assertEquals(
        List.of(
            "nftset=/#/4#inet#egret#" + ANY4,
            "nftset=/api.other.example/4#inet#egret#" + API4 + ",4#inet#egret#" + ANY4),
        lines(conf, "nftset="));
  }

  /**
   * Without a resolved-only rule nothing changes: the same rule with {@code resolved} off is any
   * destination, with no set of every answer, no /#/ line and no canary; and no golden file of the
   * other policies holds any of them (GoldenTest keeps them byte for byte).
   */
  @Test
  void withoutAResolvedOnlyRuleTheOutputIsAsBefore() {
    Policy p = policy(rule("web-any", Destination.anywhere(List.of("www.site.example")), 443));
    String nft = compile("nftables", p).files().get("egret.nft");
    assertTrue(nft.contains("\t\tmeta nfproto ipv4 tcp dport 443 counter accept"), nft);
    assertFalse(nft.contains(ANY4), nft);
    String conf = compile("dnsmasq", p).files().get(DnsmasqCompiler.FILE);
    assertEquals(List.of(), lines(conf, "server=", "nftset="), conf);
    assertFalse(conf.contains("Resolved-only"), conf);
    for (CompileCases.Case c : CompileCases.all()) {
      if (c.policy().equals("resolved-only")) {
        continue;
      }
      String text = c.render();
      for (String marker : List.of(ANY4, ANY6, "/#/", DnsmasqCompiler.DOH_CANARY, "every answer")) {
        assertFalse(text.contains(marker), c.target() + "/" + c.name() + " holds " + marker);
      }
    }
  }

  /**
   * Hostile names beside a resolved-only rule: only host names get a line (each with the sets of
   * every answer), the rest a warning; the resolved-only rule's hostile evidence name stays inside
   * its escaped comment.
   */
  @Test
  void hostileNamesStayOutOfTheLines() {
    List<String> hostile = new ArrayList<>(EscapingTest.HOSTILE);
    hostile.add("ok.example.test");
    Policy p =
        policy(
            rule("web-any", Destination.anywhere(hostile).onlyResolved(List.of()), 443),
            rule("web-names", new Destination(false, hostile, List.of()), 8443));
    CompiledRules c = compile("dnsmasq", p);
    String conf = c.files().get(DnsmasqCompiler.FILE);
    String ok4 = NameSets.nftName("ok.example.test", true);
    String ok6 = NameSets.nftName("ok.example.test", false);
    assertEquals(
        List.of(
            "server=/use-application-dns.net/",
            REFUSED,
            "nftset=/#/4#inet#egret#" + ANY4 + ",6#inet#egret#" + ANY6,
            "nftset=/ok.example.test/4#inet#egret#"
                + ok4
                + ",6#inet#egret#"
                + ok6
                + ",4#inet#egret#"
                + ANY4
                + ",6#inet#egret#"
                + ANY6),
        lines(conf, "server=", "nftset="));
    assertEquals(EscapingTest.HOSTILE.size(), c.warnings().size(), c.warnings().toString());
    for (String line : conf.lines().toList()) {
      assertTrue(line.startsWith("#") || line.matches("[a-z-]+=[A-Za-z0-9#/.,_-]+"), line);
    }
    String nft = compile("nftables", p).files().get("egret.nft");
    for (String line : nft.lines().filter(l -> l.contains("@" + ANY4)).toList()) {
      String comment = line.substring(line.indexOf("comment \"") + 9, line.length() - 1);
      assertTrue(EscapingTest.SAFE.matcher(comment).matches(), line);
    }
  }

  /** The longest line: the longest name and the wildcard over its domain, both families. */
  @Test
  void theLongestLineWithEveryAnswersSetsFits() {
    String label = "a".repeat(63);
    String longest = label + "." + label + "." + label + "." + "b".repeat(61);
    String domain = longest.substring(2);
    Policy p =
        policy(rule("web-any", any(), 443), rule("web-long", names(domain, "*." + domain), 8443));
    for (String target : List.of("dnsmasq", "dnsmasq-ipset")) {
      String conf = compile(target, p).files().get(DnsmasqCompiler.FILE);
      int longestLine =
          lines(conf, "nftset=", "ipset=").stream().mapToInt(String::length).max().orElse(0);
      // nftset=/ or ipset=/, the domain (251), /, six sets (32 or 20 each) and five commas.
      assertEquals(target.equals("dnsmasq") ? 457 : 384, longestLine, conf);
      assertTrue(longestLine <= DnsmasqCompiler.LINE_MAX && DnsmasqCompiler.LINE_MAX < 1024);
    }
  }

  @Test
  void ufwAndCapircaAllowAnyDestinationAndSaySo() {
    CompiledRules ufw = compile("ufw", policy());
    assertTrue(
        ufw.files()
            .get("egret-ufw.sh")
            .contains("\nufw allow out proto tcp to any port 80,443 comment '" + COMMENT + "'\n"),
        ufw.files().get("egret-ufw.sh"));
    assertEquals(
        List.of(
            "ufw cannot follow the site resolver's answers: rule desk-web-resolved allows any"
                + " destination on tcp 80, 443, a bare address included; use nftables or iptables"
                + " with the dnsmasq target"),
        ufw.warnings());
    CompiledRules gw = CompilerRegistry.get("ufw").compile(policy(), CompileOptions.gateway());
    assertTrue(
        gw.files()
            .get("egret-ufw.sh")
            .contains("\nufw route allow proto tcp from fd00:2::10/128 to any port 80,443 "),
        gw.files().get("egret-ufw.sh"));
    assertEquals(1, gw.warnings().size(), gw.warnings().toString());
    CompiledRules capirca = compile("capirca", policy());
    assertEquals(
        List.of(
            "capirca cannot follow the site resolver's answers: rule desk-web-resolved allows any"
                + " destination on tcp 80, 443, a bare address included; use nftables or iptables"
                + " with the dnsmasq target"),
        capirca.warnings().stream().filter(w -> w.contains("site resolver")).toList());
  }

  private static Destination any() {
    return Destination.anywhere(List.of("www.site.example")).onlyResolved(List.of());
  }

  private static Destination names(String... names) {
    return new Destination(false, List.of(names), List.of());
  }

  private static Rule rule(String name, Destination d, int port) {
    return new Rule(
        name,
        "web",
        "tcp",
        List.of(PortRange.of(port)),
        List.of(),
        d,
        d.any(),
        d.any() ? -1 : 0,
        new Evidence(10, 2, null, null, List.of(), List.of(), List.of(), null));
  }

  private static Policy policy(Rule... rules) {
    return policy(List.of(Cidr.parse("10.0.0.5/32"), Cidr.parse("fd00::5/128")), rules);
  }

  /** One role, web, of these hosts, with these rules. */
  private static Policy policy(List<Cidr> hosts, Rule... rules) {
    return new Policy(
        Policy.API_VERSION,
        Policy.KIND,
        new PolicyMetadata(null, null, 2, List.of(), 0, 0, 0, null, null, List.of()),
        List.of(new Role("web", hosts, "web")),
        List.of(rules),
        Defaults.standard(),
        List.of(),
        List.of());
  }
}
