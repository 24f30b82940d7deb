package dev.egret.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.compile.CompileOptions;
import dev.egret.compile.NameSets;
import dev.egret.decode.DnsMessage;
import dev.egret.policy.NameTtl;
import dev.egret.policy.PolicyYaml;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egret resolve} and resolved-only rules: the sets of every answer get the answers of every
 * name resolve looks up, which are the policy's names only, and resolve says so.
 */
class EveryAnswerTest {
  static final Path POLICY = Path.of("src/test/resources/policies/resolved-only.yaml");

  @TempDir Path tmp;

  @Test
  void everyAnswersSetsGetTheAnswersOfEveryNameLookedUp() throws IOException {
    List<NameSets.NameSet> sets = NameSets.of(PolicyYaml.read(POLICY), CompileOptions.host());
    NameResolver r = new NameResolver(sets, NameTtl.DEFAULT, 16, new Random(1));
    assertTrue(r.everyAnswer());
    List<String> asked = new ArrayList<>();
    NameResolver.Round round =
        r.round(
            (name, type) -> {
              asked.add(name + " " + type);
              return type == DnsMessage.TYPE_A
                  ? NameResolverTest.answers(300, "192.0.2.21")
                  : NameResolverTest.answers(300, "2001:db8::21");
            });
    // Nothing is looked up for "#": only the policy's names.
    assertEquals(List.of("api.other.example 1", "api.other.example 28"), asked);
    String any4 = NameSets.ipsetName(NameSets.ANY_ANSWER, true);
    String any6 = NameSets.ipsetName(NameSets.ANY_ANSWER, false);
    String api4 = NameSets.ipsetName("api.other.example", true);
    String api6 = NameSets.ipsetName("api.other.example", false);
    List<String> lines = round.update().ipset().lines().sorted().toList();
    assertEquals(
        List.of(
            "add " + any4 + " 192.0.2.21 timeout 600",
            "add " + api4 + " 192.0.2.21 timeout 600",
            "add " + any6 + " 2001:db8::21 timeout 600",
            "add " + api6 + " 2001:db8::21 timeout 600"),
        lines);
  }

  @Test
  void aPolicyWithoutResolvedOnlyRulesFeedsNoSuchSet() throws IOException {
    NameResolver r = new NameResolver(NameResolverTest.sets(), NameTtl.DEFAULT, 16, new Random(1));
    assertFalse(r.everyAnswer());
  }

  /** The warning, once, before anything is looked up; a policy with no name then has no work. */
  @Test
  void resolveSaysThatItFollowsThePolicysNamesOnly() throws IOException {
    String yaml = Files.readString(POLICY);
    int from = yaml.indexOf("  - name: desk-tcp8443-api-other-example");
    int to = yaml.indexOf("  - name: desk-web-resolved");
    Path policy = tmp.resolve("policy.yaml");
    Files.writeString(policy, yaml.substring(0, from) + yaml.substring(to));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        dev.egret.cli.Egret.run(
            new String[] {
              "resolve",
              "--target",
              "nftables",
              "--once",
              "--server",
              "127.0.0.1",
              policy.toString()
            },
            new PrintWriter(out),
            new PrintWriter(err));
    assertEquals(
        "egret: resolve: rule desk-web-resolved allows every address the site resolver answers,"
            + " but resolve looks up the policy's names only: to follow the other names the hosts"
            + " look up, use compile --target dnsmasq (or dnsmasq-ipset) at the site resolver\n"
            + "egret: resolve: no name to look up in "
            + policy
            + "\n",
        err.toString());
    assertEquals(0, code);
    assertEquals("", out.toString());
  }
}
