package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.policy.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A person's deny rules ({@code policies/denied.yaml}; the enforcing output is in the golden
 * files): before every accept, and in audit mode logged and accepted like all the policy would
 * block, so that audit mode blocks nothing.
 */
class DeniedRulesTest {
  static Policy policy() {
    return CompileCases.policy("denied");
  }

  @Test
  void denyRulesComeBeforeTheBroadAcceptInEveryPacketFilter() {
    String nft =
        CompilerRegistry.get("nftables")
            .compile(policy(), CompileOptions.host())
            .files()
            .get("egret.nft");
    int deny = nft.indexOf("tcp dport 443 counter drop comment \"egret desk-deny-tcp443");
    int accept = nft.indexOf("tcp dport { 80, 443 } counter accept");
    assertTrue(deny > 0 && accept > deny, nft);
    String v4 =
        CompilerRegistry.get("iptables")
            .compile(policy(), CompileOptions.host())
            .files()
            .get("rules.v4");
    int d = v4.indexOf("--match-set " + NameSets.ipsetName("tracker.example.org", true));
    int a = v4.indexOf("--dports 80,443");
    assertTrue(d > 0 && a > d && v4.substring(d, v4.indexOf('\n', d)).endsWith("-j DROP"), v4);
  }

  @Test
  void inAuditModeDenyRulesLogAndAccept() {
    CompileOptions audit = CompileOptions.builder(CompileOptions.Mode.HOST).audit(true).build();
    String nft = CompilerRegistry.get("nftables").compile(policy(), audit).files().get("egret.nft");
    assertFalse(nft.contains("counter drop"), nft);
    List<String> deny =
        nft.lines()
            .filter(l -> l.contains("@" + NameSets.nftName("tracker.example.org", true)))
            .toList();
    assertEquals(2, deny.size(), nft);
    assertTrue(
        deny.get(0).endsWith("ct state new log prefix \"egret-drop \" flags skuid"), deny.get(0));
    assertTrue(deny.get(1).contains(" counter accept comment \"egret desk-deny-"), deny.get(1));
    String v4 = CompilerRegistry.get("iptables").compile(policy(), audit).files().get("rules.v4");
    assertFalse(v4.contains("-j DROP\n-A") || v4.contains("-j DROP\nCOMMIT"), v4);
    assertTrue(
        v4.contains(
            NameSets.ipsetName("tracker.example.org", true)
                + " dst -p tcp -m tcp --dport 443 -m comment --comment"
                + " \"egret desk-deny-tcp443-tracker-example-org: tracker.example.org - 4 flows, 1"
                + " days\" -m conntrack --ctstate NEW -j LOG --log-prefix \"egret-drop \" --log-uid"),
        v4);
  }
}
