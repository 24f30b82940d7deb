package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.policy.Policy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rules that follow DNS, enforced by the kernel, with a real dnsmasq as the site resolver ({@link
 * DnsLab}): the upstream answers {@code api.example.test} with A, the host resolves and connects
 * (allowed: dnsmasq put A into the rule's set); the answer changes to B, the host resolves again
 * and connects to B (allowed); C, which no answer gave, is blocked; a name outside the policy
 * resolves, but its address stays blocked.
 */
class DnsFollowingTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"nftables", "iptables"})
  void theSiteResolverKeepsTheSetsCurrent(String target) throws IOException {
    try (DnsLab lab = new DnsLab(tmp)) {
      Policy p = lab.policy();
      lab.loadRules(target, CompilerRegistry.get(target).compile(p, CompileOptions.host()));
      String conf = target.equals("nftables") ? "dnsmasq" : "dnsmasq-ipset";

      lab.startSiteResolver(CompilerRegistry.get(conf).compile(p, CompileOptions.host()));

      // Before any answer, A is not allowed: the rule was seeded with yesterday's address only.
      assertEquals(1, lab.connectTo(lab.a).exit(), "A allowed before any answer gave it");
      expectConnects(lab, lab.a);

      lab.answer(lab.b);
      lab.siteCacheExpires();
      expectConnects(lab, lab.b);

      Tools.Result c = lab.connectTo(lab.c);
      assertEquals(1, c.exit(), "C, which no answer gave, was reached: " + c.output());
      Tools.Result other = lab.connectByName(DnsLab.OTHER_NAME);
      assertTrue(other.output().startsWith(lab.other + "\n"), other.output());
      assertEquals(1, other.exit(), "a name outside the policy was reached: " + other.output());
      // The learned seed stays allowed by the rule's own set; the name's set holds A and B.
      assertEquals(0, lab.connectTo(lab.seed).exit(), "the seed address left the set");
      String set = nameSet(lab, target);
      for (String addr : new String[] {lab.a, lab.b}) {
        assertTrue(set.contains(addr), addr + " not in\n" + set);
      }
      assertFalse(set.contains(lab.c) || set.contains(lab.other), set);
      // dnsmasq's /api.example.test/ takes the names under it too (its ipset= and nftset= domains
      // match by suffix, with no wildcard and no exact-only form): their answers reach the set.
      Tools.Result sub = lab.connectByName(DnsLab.SUB_NAME);
      assertTrue(sub.output().startsWith(lab.other + "\n"), sub.output());
      assertEquals(0, sub.exit(), "a name under the rule's name was blocked: " + sub.output());
    }
  }

  /**
   * A wildcard rule follows the answers for the names under it: dnsmasq has no wildcard in its set
   * lines ({@code /*.example.test/} matched nothing), so {@code *.example.test} is written as
   * {@code /example.test/}. C, which no answer gave, stays blocked.
   */
  @ParameterizedTest
  @ValueSource(strings = {"nftables", "iptables"})
  void aWildcardRuleFollowsTheNamesUnderIt(String target) throws IOException {
    try (DnsLab lab = new DnsLab(tmp)) {
      Policy p = lab.policy(java.util.List.of("*.example.test"));
      lab.loadRules(target, CompilerRegistry.get(target).compile(p, CompileOptions.host()));
      String conf = target.equals("nftables") ? "dnsmasq" : "dnsmasq-ipset";
      lab.startSiteResolver(CompilerRegistry.get(conf).compile(p, CompileOptions.host()));
      Tools.Result r = lab.connectByName(DnsLab.NAME);
      assertTrue(r.output().startsWith(lab.a + "\n"), r.output());
      assertEquals(0, r.exit(), "an answer for a name under the wildcard not followed: " + r);
      Tools.Result c = lab.connectTo(lab.c);
      assertEquals(1, c.exit(), "C, which no answer gave, was reached: " + c.output());
    }
  }

  /**
   * iptables: an address dnsmasq adds to a name's ipset gets the set's default timeout
   * (max-cache-ttl plus grace, here cut to 4 s) and leaves after it, while the rule's learned
   * address stays; the next answer from upstream puts it back.
   */
  @org.junit.jupiter.api.Test
  void addressesTheSiteResolverAddsLeaveAfterTheSetsTimeout() throws IOException {
    try (DnsLab lab = new DnsLab(tmp)) {
      Policy p = lab.policy();
      CompiledRules rules = CompilerRegistry.get("iptables").compile(p, CompileOptions.host());
      String conf = rules.files().get("ipset.conf");
      String set = NameSets.ipsetName(DnsLab.NAME, true);
      String create = "create " + set + " hash:net family inet timeout 3900 -exist\n";
      assertTrue(conf.contains(create), conf);
      java.util.Map<String, String> files = new java.util.TreeMap<>(rules.files());
      files.put(
          "ipset.conf",
          conf.replace(create, "create " + set + " hash:net family inet timeout 4 -exist\n"));
      lab.loadRules("iptables", CompiledRules.of("iptables", files));
      lab.startSiteResolver(
          CompilerRegistry.get("dnsmasq-ipset").compile(p, CompileOptions.host()));

      expectConnects(lab, lab.a);
      String listed = lab.sh(lab.client, "ipset list " + set);
      assertTrue(listed.matches("(?s).*\\Q" + lab.a + "\\E timeout [0-4]\\b.*"), listed);
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (lab.sh(lab.client, "ipset list " + set).contains(lab.a + " ")) {
        assertTrue(System.nanoTime() < deadline, "still in the set after 15 s: " + listed);
        sleep(500);
      }
      assertEquals(1, lab.connectTo(lab.a).exit(), "A allowed after its timeout ran out");
      assertEquals(0, lab.connectTo(lab.seed).exit(), "the learned address must stay");
      lab.siteCacheExpires();
      expectConnects(lab, lab.a);
    }
  }

  /**
   * iptables: a held name's ipset (a name of its own, as the hold is part of it) gives what dnsmasq
   * adds the hold as its timeout, not the 3,900 s of the others; check counts the same.
   */
  @org.junit.jupiter.api.Test
  void aHeldNamesSetKeepsWhatTheSiteResolverAddsForTheHold() throws IOException {
    try (DnsLab lab = new DnsLab(tmp)) {
      Policy p = lab.policy(List.of(DnsLab.NAME), 7_200L);
      CompiledRules rules = CompilerRegistry.get("iptables").compile(p, CompileOptions.host());
      String conf = rules.files().get("ipset.conf");
      String set = NameSets.ipsetName(DnsLab.NAME, true, 7_200);
      assertNotEquals(NameSets.ipsetName(DnsLab.NAME, true), set);
      assertTrue(
          conf.contains("create " + set + " hash:net family inet timeout 7200 -exist\n"), conf);
      String dnsmasq =
          CompilerRegistry.get("dnsmasq-ipset")
              .compile(p, CompileOptions.host())
              .files()
              .values()
              .iterator()
              .next();
      assertTrue(dnsmasq.contains("/" + set), dnsmasq);
      lab.loadRules("iptables", rules);
      lab.startSiteResolver(
          CompilerRegistry.get("dnsmasq-ipset").compile(p, CompileOptions.host()));
      expectConnects(lab, lab.a);
      String listed = lab.sh(lab.client, "ipset list " + set);
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\\Q" + lab.a + "\\E timeout (\\d+)").matcher(listed);
      assertTrue(m.find(), listed);
      int left = Integer.parseInt(m.group(1));
      assertTrue(left > 3_900 && left <= 7_200, listed);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * {@code egret check} gives the kernel's verdicts: the same traffic as above, made without a
   * firewall and captured (a host's own capture never sees what its firewall dropped), is checked
   * against the policy. Blocked must be exactly what the kernel blocked: the attempt on A before
   * any answer gave it, C, and the name outside the policy; the connections to A and B after their
   * answers, and to the seed, are allowed.
   */
  @org.junit.jupiter.api.Test
  void checkOnTheCapturedTrafficGivesTheKernelsVerdicts() throws IOException {
    try (DnsLab lab = new DnsLab(tmp)) {
      Policy p = lab.policy();
      lab.startPlainSiteResolver();
      Path pcap = tmp.resolve("client.pcap");
      lab.startCapture(pcap);
      assertEquals(0, lab.connectTo(lab.a).exit(), "no firewall: A reached");
      assertEquals(0, lab.connectByName(DnsLab.NAME).exit());
      lab.answer(lab.b);
      lab.siteCacheExpires();
      Tools.Result b = lab.connectByName(DnsLab.NAME);
      assertTrue(b.output().startsWith(lab.b + "\n"), b.output());
      assertEquals(0, lab.connectTo(lab.c).exit());
      assertEquals(0, lab.connectByName(DnsLab.OTHER_NAME).exit());
      assertEquals(0, lab.connectTo(lab.seed).exit());
      assertEquals(0, lab.connectByName(DnsLab.SUB_NAME).exit());
      lab.stopCapture();
      assertCheckAgrees(lab, p, pcap);
    }
  }

  /**
   * {@code egret check} on the capture of the run gives the kernel's verdicts: blocked are the
   * attempt on A before any answer gave it, C, and the name outside the policy; the connections to
   * A and B after their answers, and to the seed, are allowed.
   */
  private void assertCheckAgrees(DnsLab lab, Policy p, Path pcap) throws IOException {
    Path policy = tmp.resolve("check-policy.yaml");
    java.nio.file.Files.writeString(policy, dev.egret.policy.PolicyYaml.write(p));
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        dev.egret.cli.Egret.run(
            new String[] {
              "check",
              "--policy",
              policy.toString(),
              "--internal",
              lab.clientAddr + "/32",
              "--csv",
              pcap.toString()
            },
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(err));
    assertEquals(1, code, err.toString());
    java.util.List<String> blocked =
        out.toString()
            .lines()
            .skip(1)
            .map(l -> String.join(",", java.util.Arrays.asList(l.split(",")).subList(0, 5)))
            .sorted()
            .toList();
    String h = lab.clientAddr;
    assertEquals(
        java.util.List.of(
            h + "," + lab.a + ",tcp,8443,1",
            h + "," + lab.c + ",tcp,8443,1",
            h + "," + lab.other + ",tcp,8443,1"),
        blocked,
        out.toString());
  }

  /** The same with a plain site resolver, the sets kept current by {@code egret resolve}. */
  @ParameterizedTest
  @ValueSource(strings = {"nftables", "iptables"})
  void egretResolveKeepsTheSetsCurrent(String target) throws IOException {
    try (DnsLab lab = new DnsLab(tmp)) {
      Policy p = lab.policy();
      lab.loadRules(target, CompilerRegistry.get(target).compile(p, CompileOptions.host()));
      lab.startPlainSiteResolver();
      Path policy = tmp.resolve("policy.yaml");
      java.nio.file.Files.writeString(policy, dev.egret.policy.PolicyYaml.write(p));

      Tools.Result before = lab.connectByName(DnsLab.NAME);
      assertEquals(1, before.exit(), "A allowed before egret resolve ran: " + before.output());
      assertResolves(lab, target, policy);
      expectConnects(lab, lab.a);

      lab.answer(lab.b);
      lab.siteCacheExpires();
      assertResolves(lab, target, policy);
      expectConnects(lab, lab.b);

      assertEquals(1, lab.connectTo(lab.c).exit(), "C, which no answer gave, was reached");
      Tools.Result other = lab.connectByName(DnsLab.OTHER_NAME);
      assertTrue(other.output().startsWith(lab.other + "\n"), other.output());
      assertEquals(1, other.exit(), "a name outside the policy was reached: " + other.output());
      String set = nameSet(lab, target);
      // The answers' TTL of 1 s is raised to the 60 s minimum, plus 300 s of grace.
      assertTrue(
          set.contains(lab.b + " timeout 6m ")
              || set.matches(
                  "(?s).*" + java.util.regex.Pattern.quote(lab.b) + " timeout 3[0-6]\\d\\b.*"),
          set);
    }
  }

  /** The IPv4 set of the policy's name, as the kernel lists it. */
  private static String nameSet(DnsLab lab, String target) throws IOException {
    return target.equals("nftables")
        ? lab.sh(lab.client, "nft list set inet egret " + NameSets.nftName(DnsLab.NAME, true))
        : lab.sh(lab.client, "ipset list " + NameSets.ipsetName(DnsLab.NAME, true));
  }

  private static void assertResolves(DnsLab lab, String target, Path policy) throws IOException {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Tools.Result r =
        Tools.run(
            java.util.List.of(
                "ip",
                "netns",
                "exec",
                lab.client,
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.egret.cli.Egret",
                "resolve",
                "--target",
                target,
                "--once",
                "--server",
                "127.0.0.1",
                policy.toString()),
            null,
            60);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("egret: resolve: 1 addresses in 1 sets"), r.output());
  }

  static void expectConnects(DnsLab lab, String addr) throws IOException {
    Tools.Result r = lab.connectByName(DnsLab.NAME);
    assertTrue(
        r.output().startsWith(addr + "\n"),
        "resolved to\n"
            + r.output()
            + "\nsite resolver:\n"
            + lab.log("site-dnsmasq.log")
            + "\nupstream:\n"
            + lab.log("upstream-dnsmasq.log"));
    assertEquals(
        0,
        r.exit(),
        "blocked: "
            + r.output()
            + "\nsite resolver:\n"
            + lab.log("site-dnsmasq.log")
            + "\nupstream:\n"
            + lab.log("upstream-dnsmasq.log"));
  }
}
