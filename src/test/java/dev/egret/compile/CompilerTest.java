package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.net.IpAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompilerTest {
  private static String text(String target, String policy, CompileOptions o) {
    return CompileCases.render(
        CompilerRegistry.get(target).compile(CompileCases.policy(policy), o));
  }

  @Test
  void registryListsTheFourTargetsAndRejectsOthers() {
    assertEquals(
        List.of("capirca", "dnsmasq", "dnsmasq-ipset", "iptables", "nftables", "ufw"),
        CompilerRegistry.targets());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CompilerRegistry.get("pf"));
    assertTrue(e.getMessage().contains("unknown target \"pf\""), e.getMessage());
  }

  @Test
  void unsupportedFeaturesAreAllReportedAtOnce() {
    UnsupportedFeatureException e =
        assertThrows(
            UnsupportedFeatureException.class,
            () -> new UfwCompiler().compile(CompileCases.policy("icmp"), CompileOptions.host()));
    assertEquals(2, e.problems().size());
    assertEquals(
        "mon-ping contains unsupported keywords (protocol icmp) for target ufw; "
            + "mon-ping6 contains unsupported keywords (protocol icmp6) for target ufw",
        e.getMessage());
  }

  @Test
  void capircaOpensTheCapablePlatformsAndSaysWhichItLeftOutOncePerReason() {
    CompiledRules r =
        new CapircaCompiler().compile(CompileCases.policy("icmp"), CompileOptions.gateway());
    assertEquals(
        List.of(
            "capirca: not opened for gce, k8s: ICMP types (mon-ping, mon-ping6); --platform names"
                + " the platforms to open",
            "capirca: not opened for k8s: protocols icmp, icmp6 (mon-ping, mon-ping6); --platform"
                + " names the platforms to open"),
        r.warnings());
    String pol = r.files().get("policies/pol/egret.pol");
    assertTrue(pol.contains("icmp-type:: echo-request"), pol);
    assertFalse(pol.contains("target:: gce") || pol.contains("target:: k8s"), pol);
  }

  @Test
  void capircaPlatformsAskedForByNameMustExpressEveryRule() {
    UnsupportedFeatureException e =
        assertThrows(
            UnsupportedFeatureException.class,
            () ->
                new CapircaCompiler()
                    .compile(
                        CompileCases.policy("icmp"),
                        CompileOptions.builder(CompileOptions.Mode.GATEWAY)
                            .capircaPlatforms(List.of("juniper", "k8s"))
                            .build()));
    assertEquals(
        "mon-ping contains unsupported keywords (protocol icmp for platform k8s, ICMP types for"
            + " platform k8s) for target capirca; mon-ping6 contains unsupported keywords"
            + " (protocol icmp6 for platform k8s, ICMP types for platform k8s) for target capirca",
        e.getMessage());
    CompiledRules ok =
        new CapircaCompiler()
            .compile(
                CompileCases.policy("icmp"),
                CompileOptions.builder(CompileOptions.Mode.GATEWAY)
                    .capircaPlatforms(List.of("juniper", "cisco"))
                    .build());
    assertEquals(List.of(), ok.warnings());
    assertTrue(ok.files().get("policies/pol/egret.pol").contains("icmp-type:: echo-request"));
  }

  @Test
  void keepAccessIsInEveryTargetUnlessTurnedOff() {
    for (String t : CompilerRegistry.targets()) {
      if (t.equals("capirca") || t.startsWith("dnsmasq")) {
        continue; // a network ACL in front of the hosts, or a resolver: no filtering of their own
      }
      for (CompileOptions o : List.of(CompileOptions.host(), CompileOptions.gateway())) {
        assertTrue(text(t, "single-host", o).contains("keep-access tcp/22"), t);
        assertFalse(
            text(t, "single-host", o.toBuilder().keepAccess(false).build()).contains("keep-access"),
            t);
      }
    }
    assertTrue(
        text("iptables", "ports", CompileOptions.host()).contains("--sport 2222"),
        "every keepAccess entry is kept");
  }

  @Test
  void manyAddressesGoIntoAnIpsetAndNamedSets() {
    String ipt = text("iptables", "many-addresses", CompileOptions.gateway());
    assertTrue(ipt.contains("==> ipset.conf <=="), ipt);
    assertTrue(ipt.contains("-m set --match-set ed4-crawler_cdn dst"), ipt);
    assertTrue(ipt.contains("-m set --match-set es4-crawler src"), ipt);
    String few = text("iptables", "single-host", CompileOptions.gateway());
    assertTrue(
        few.contains(" -d 10.0.0.53/32 "), "few addresses of an address rule: a list\n" + few);
    assertTrue(
        few.contains(" -d 93.184.216.34/32 "), "a name rule's learned addresses: a list\n" + few);
    assertTrue(
        few.contains("--match-set " + NameSets.ipsetName("example.com", true) + " dst")
            && few.contains("--match-set " + NameSets.ipsetName("www.example.com", true) + " dst"),
        "and a rule per name: its set, which the resolver fills\n" + few);
    String nft = text("nftables", "many-addresses", CompileOptions.gateway());
    assertTrue(nft.contains("set d4_crawler-cdn {"), nft);
  }

  @Test
  void portSetsUseMultiportInChunksOfFifteen() {
    String ipt = text("iptables", "ports", CompileOptions.host());
    assertTrue(
        ipt.contains(
            "-m multiport --dports 21,22,25,80,110,143,443,465,587,993,995," + "3306,5432,6379"),
        ipt);
    assertTrue(ipt.contains("-m multiport --dports 8000:8010,9000:9100"), ipt);
    assertTrue(ipt.contains("--reject-with tcp-reset"), "the ports policy asks for reject");
  }

  @Test
  void hostSelectsTheRolesContainingIt() {
    CompileOptions o =
        CompileOptions.builder(CompileOptions.Mode.HOST)
            .hosts(List.of(IpAddress.parse("10.0.0.5")))
            .build();
    assertTrue(text("nftables", "single-host", o).contains("web-https"));
  }

  @Test
  void anyDestinationRuleMatchesBothFamiliesWithoutAddresses() {
    String nft = text("nftables", "broad-any", CompileOptions.host());
    assertTrue(nft.contains("meta nfproto ipv4 tcp dport { 80, 443 }"), nft);
    assertTrue(nft.contains("meta nfproto ipv6 tcp dport { 80, 443 }"), nft);
    String ufw = text("ufw", "broad-any", CompileOptions.host());
    assertEquals(1, ufw.split("to any port 80,443", -1).length - 1, ufw);
  }

  @Test
  void standaloneWritesChainPolicies() {
    String s =
        text(
            "iptables",
            "single-host",
            CompileOptions.builder(CompileOptions.Mode.HOST).standalone(true).build());
    assertTrue(s.contains(":OUTPUT DROP [0:0]"), s);
    assertFalse(text("iptables", "single-host", CompileOptions.host()).contains(":OUTPUT"));
  }

  @Test
  void ipsetNamesStayWithinTheKernelLimitAndApart() {
    String a = IpsetFile.name('d', EgressPlan.Family.V4, "a".repeat(48));
    String b = IpsetFile.name('d', EgressPlan.Family.V4, "a".repeat(47) + "b");
    assertTrue(a.length() <= 31, a);
    assertFalse(a.equals(b));
  }
}
