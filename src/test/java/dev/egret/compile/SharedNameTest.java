package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One name used by 20 rules of roles with 60-character names: dnsmasq reads a line of at most about
 * 1,024 characters and uses one line per domain, so the name's line must not list a set per rule.
 * It lists the name's own set per family; the rules match that set. Every file passes its tool's
 * check ({@code dnsmasq --test}, {@code nft -c}, {@code iptables-restore --test}).
 */
class SharedNameTest {
  static final String NAME = "api.example.test";
  static final int RULES = 20;

  @TempDir Path tmp;

  static Policy policy() {
    Evidence ev = new Evidence(10, 2, null, null, List.of(), List.of(), List.of(), null);
    List<Role> roles = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < RULES; i++) {
      String role = String.format("r%02d-", i) + "x".repeat(56);
      assertEquals(60, role.length());
      roles.add(
          new Role(role, List.of(Cidr.parse("10.0." + i + ".0/24")), "role " + i + " of " + RULES));
      rules.add(
          new Rule(
              role.substring(0, 58) + "-t443",
              role,
              "tcp",
              List.of(PortRange.of(443, 443)),
              List.of(),
              new Destination(
                  false, List.of(NAME), List.of(Cidr.parse("192.0.2." + (10 + i) + "/32"))),
              false,
              0,
              ev));
    }
    return new Policy(
        Policy.API_VERSION,
        Policy.KIND,
        new PolicyMetadata(null, null, 2, List.of(), 0, 0, 0, null, null, List.of()),
        roles,
        rules,
        Defaults.standard(),
        List.of(),
        List.of());
  }

  @ParameterizedTest
  @EnumSource(CompileOptions.Mode.class)
  void aNameOfTwentyRulesIsOneShortLine(CompileOptions.Mode mode) throws IOException {
    CompileOptions o =
        mode == CompileOptions.Mode.HOST
            ? CompileOptions.host().withAllRoles(true)
            : CompileOptions.gateway();
    Policy p = policy();
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
    for (String target : List.of("dnsmasq", "dnsmasq-ipset", "nftables", "iptables")) {
      var files = CompilerRegistry.get(target).compile(p, o).files();
      for (String text : files.values()) {
        for (String line : text.lines().toList()) {
          if (target.startsWith("dnsmasq")) {
            assertTrue(line.length() <= DnsmasqCompiler.LINE_MAX, line.length() + ": " + line);
          }
        }
      }
      RealToolsTest.validate(target, files, tmp.resolve(target + "-" + mode));
    }
    // Each rule matches the name's set, besides its own learned address.
    String nft = CompilerRegistry.get("nftables").compile(p, o).files().get("egret.nft");
    assertEquals(RULES, nft.lines().filter(l -> l.contains(" daddr @" + v4 + " tcp")).count());
    assertEquals(1, nft.lines().filter(l -> l.startsWith("\tset " + v4 + " {")).count(), "one set");
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
    assertEquals(DnsmasqCompiler.LINE_MAX, line.length());
    assertTrue(NameSets.ipsetName(longest, false).length() <= IpsetFile.NAME_MAX);
  }
}
