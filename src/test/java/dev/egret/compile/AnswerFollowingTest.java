package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A resolved-only rule enforced by the kernel, gateway mode, with a real dnsmasq as the site
 * resolver on the router ({@link AnswerLab}): the workstation may reach on tcp/443 any address the
 * site resolver answered, for any name, and nothing else: not a bare address no answer gave (a
 * reverse shell's), not from a source port a firewall might trust, and a host in no role not at
 * all.
 */
class AnswerFollowingTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"nftables", "iptables"})
  void onlyWhatTheSiteResolverAnsweredIsReached(String target) throws IOException {
    try (AnswerLab lab = new AnswerLab(tmp)) {
      Policy p = lab.policy();
      CompileOptions gw = CompileOptions.gateway();
      lab.loadRules(target, CompilerRegistry.get(target).compile(p, gw));
      String conf = target.equals("nftables") ? "dnsmasq" : "dnsmasq-ipset";
      lab.startSiteResolver(CompilerRegistry.get(conf).compile(p, gw));

      // Before any answer gave it, the web server's address is as bare as any other; the address
      // the rule learned is allowed from the start.
      assertBlocked(lab, lab.desk, lab.web, 0);
      assertEquals(0, lab.connectTo(lab.desk, lab.seed, 443, 0).exit(), "the learned address");
      // The desk looks the name up at the site resolver and connects to the answer.
      Tools.Result web = lab.connectByName(lab.desk, AnswerLab.WEB, 443);
      assertEquals(lab.web, web.output().lines().findFirst().orElse(""), web.output());
      assertEquals(0, web.exit(), "the answered address was blocked: " + web + logs(lab));
      // A bare address no answer gave: a reverse shell, a payload at https://ADDR/.
      assertBlocked(lab, lab.desk, lab.bare, 0);
      // A name with a line of its own (for the 8443 rule): dnsmasq puts its answer only into the
      // sets of that line, which lists every answer's sets too.
      Tools.Result api = lab.connectByName(lab.desk, AnswerLab.API, 443);
      assertEquals(lab.api, api.output().lines().findFirst().orElse(""), api.output());
      assertEquals(0, api.exit(), "the answer for a name of its own line was blocked: " + api);
      assertEquals(0, lab.connectTo(lab.desk, lab.api, 8443, 0).exit(), "the name rule failed");
      String any = set(lab, target, NameSets.ANY_ANSWER);
      String own = set(lab, target, AnswerLab.API);
      assertTrue(any.contains(lab.web) && any.contains(lab.api), any);
      assertFalse(any.contains(lab.bare), any);
      assertTrue(own.contains(lab.api) && !own.contains(lab.web), own);
      // An attacker picking a source port a firewall might trust reaches no unanswered address.
      for (int sport : new int[] {53, 123, 443}) {
        assertBlocked(lab, lab.desk, lab.bare, sport);
      }
      // A host in no role reaches nothing, not even an address the resolver answered it.
      Tools.Result stray = lab.connectByName(lab.stray, AnswerLab.WEB, 443);
      assertEquals(lab.web, stray.output().lines().findFirst().orElse(""), stray.output());
      assertEquals(1, stray.exit(), "a host in no role was let through: " + stray);
      // Firefox's canary gets NXDOMAIN from the site resolver itself (the upstream would refuse).
      Tools.Result canary = lab.connectByName(lab.desk, DnsmasqCompiler.DOH_CANARY, 443);
      assertEquals(3, canary.exit(), canary.output());
      assertEquals("rcode=3", canary.output().strip());
      // A service answering the address spelled in the name would open the bare address.
      Tools.Result spelled = lab.connectByName(lab.desk, lab.bare + ".nip.io", 443);
      assertEquals(3, spelled.exit(), spelled.output());
      assertEquals("rcode=3", spelled.output().strip());
      assertBlocked(lab, lab.desk, lab.bare, 0);
    }
  }

  /**
   * {@code egret resolve} with a plain site resolver fills every answer's set with the answers of
   * the policy's names alone: {@link AnswerLab#API}'s address is reached on 443, while the answer
   * for {@link AnswerLab#WEB}, a name the policy lists only as evidence, stays blocked; it says so.
   */
  @ParameterizedTest
  @ValueSource(strings = {"nftables", "iptables"})
  void egretResolveFollowsThePolicysNamesOnly(String target) throws IOException {
    try (AnswerLab lab = new AnswerLab(tmp)) {
      Policy p = lab.policy();
      lab.loadRules(target, CompilerRegistry.get(target).compile(p, CompileOptions.gateway()));
      lab.startPlainSiteResolver();
      Path policy = tmp.resolve("policy.yaml");
      Files.writeString(policy, dev.egret.policy.PolicyYaml.write(p));
      String javaBin = ProcessHandle.current().info().command().orElse("java");
      Tools.Result r =
          Tools.run(
              List.of(
                  "ip",
                  "netns",
                  "exec",
                  lab.router,
                  javaBin,
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.egret.cli.Egret",
                  "resolve",
                  "--target",
                  target,
                  "--mode",
                  "gateway",
                  "--once",
                  "--server",
                  lab.deskGateway,
                  policy.toString()),
              null,
              60);
      assertEquals(0, r.exit(), r.output());
      assertTrue(
          r.output()
              .contains(
                  "egret: resolve: rule desk-web-resolved allows every address the site resolver"
                      + " answers, but resolve looks up the policy's names only: to follow the"
                      + " other names the hosts look up, use compile --target dnsmasq (or"
                      + " dnsmasq-ipset) at the site resolver\n"),
          r.output());
      assertTrue(r.output().contains("egret: resolve: 2 addresses in 2 sets"), r.output());
      Tools.Result api = lab.connectByName(lab.desk, AnswerLab.API, 443);
      assertEquals(0, api.exit(), "a policy name's answer was blocked: " + api);
      Tools.Result web = lab.connectByName(lab.desk, AnswerLab.WEB, 443);
      assertEquals(lab.web, web.output().lines().findFirst().orElse(""), web.output());
      assertEquals(1, web.exit(), "resolve cannot have seen this answer: " + web);
    }
  }

  /** The kernel's listing of the router's IPv4 set for {@code pattern}. */
  private static String set(AnswerLab lab, String target, String pattern) throws IOException {
    return target.equals("nftables")
        ? lab.sh(lab.router, "nft list set inet egret " + NameSets.nftName(pattern, true))
        : lab.sh(lab.router, "ipset list " + NameSets.ipsetName(pattern, true));
  }

  /** Dropped: the attempt from {@code ns} timed out (from {@code sourcePort} when > 0). */
  private static void assertBlocked(AnswerLab lab, String ns, String addr, int sourcePort)
      throws IOException {
    Tools.Result r = lab.connectTo(ns, addr, 443, sourcePort);
    assertTrue(
        r.exit() != 0 && r.output().contains("timed out"),
        ns + " reached " + addr + ":443 from source port " + sourcePort + ": " + r + logs(lab));
  }

  private static String logs(AnswerLab lab) throws IOException {
    return "\nsite resolver:\n" + lab.log("site-dnsmasq.log");
  }
}
