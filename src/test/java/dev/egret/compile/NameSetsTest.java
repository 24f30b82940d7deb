package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.net.Cidr;
import dev.egret.policy.Defaults;
import dev.egret.policy.Destination;
import dev.egret.policy.Evidence;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyMetadata;
import dev.egret.policy.PortRange;
import dev.egret.policy.Role;
import dev.egret.policy.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which names get a set, and which sets a rule follows. */
class NameSetsTest {
  private static Rule rule(String name, List<String> names) {
    return new Rule(
        name,
        "web",
        "tcp",
        List.of(PortRange.of(443, 443)),
        List.of(),
        new Destination(false, names, List.of(Cidr.parse("192.0.2.1/32"))),
        false,
        0,
        new Evidence(10, 2, null, null, List.of(), List.of(), List.of(), null));
  }

  private static Policy policy(Rule... rules) {
    return new Policy(
        Policy.API_VERSION,
        Policy.KIND,
        new PolicyMetadata(null, null, 2, List.of(), 0, 0, 0, null, null, List.of()),
        List.of(new Role("web", List.of(Cidr.parse("10.0.0.5/32")), "web")),
        List.of(rules),
        Defaults.standard(),
        List.of(),
        List.of());
  }

  /**
   * The names a wildcard rule lists under its wildcard have no set: dnsmasq's wildcard line has.
   */
  @Test
  void namesUnderTheRulesOwnWildcardAreLookedUpForTheWildcardsSet() {
    Policy p =
        policy(
            rule(
                "web-cdn",
                List.of("*.cdn.example.test", "a.cdn.example.test", "B.cdn.example.test.")));
    List<NameSets.NameSet> sets = NameSets.of(p, CompileOptions.host());
    assertEquals(2, sets.size(), sets.toString());
    NameSets.NameSet v4 = sets.get(0);
    assertEquals("*.cdn.example.test", v4.pattern());
    assertEquals(List.of("a.cdn.example.test", "b.cdn.example.test"), v4.lookups());
    assertEquals(NameSets.nftName("*.cdn.example.test", true), v4.nftSet());
  }

  /**
   * A name another rule has on its own keeps its line (dnsmasq uses the most specific one), so the
   * wildcard rule follows that name's set too; a name outside the wildcard has its own set.
   */
  @Test
  void aWildcardRuleFollowsTheSetsOfNamesUnderItThatHaveALine() {
    Policy p =
        policy(
            rule("web-cdn", List.of("*.cdn.example.test", "a.cdn.example.test")),
            rule("web-a", List.of("a.cdn.example.test", "api.example.test")));
    NameSets.Index index = new NameSets.Index(EgressPlan.of(p, CompileOptions.host()));
    assertEquals(
        List.of("*.cdn.example.test", "a.cdn.example.test", "api.example.test"),
        List.copyOf(index.lines().keySet()));
    assertEquals(
        List.of("*.cdn.example.test", "a.cdn.example.test"), index.follows(p.rules().get(0)));
    assertEquals(
        List.of("a.cdn.example.test", "api.example.test"), index.follows(p.rules().get(1)));
    assertEquals(List.of(), index.lines().get("*.cdn.example.test").get(0).lookups());
  }
}
