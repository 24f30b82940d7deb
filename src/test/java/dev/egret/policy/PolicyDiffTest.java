package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyDiffTest {
  private static final Role WEB = new Role("web", List.of(Cidr.parse("10.0.2.0/24")), "");

  private static Rule rule(String name, String proto, List<PortRange> ports, Destination d) {
    return new Rule(name, "web", proto, ports, List.of(), d, d.any(), d.any() ? -1 : 0, null);
  }

  private static Rule icmp(String name, List<Integer> types) {
    return new Rule(name, "web", "icmp", List.of(), types, exact("192.0.2.1/32"), false, 0, null);
  }

  private static Destination exact(String... prefixes) {
    return new Destination(false, List.of(), List.of(prefixes).stream().map(Cidr::parse).toList());
  }

  private static Destination named(String name, String... prefixes) {
    return new Destination(
        false, List.of(name), List.of(prefixes).stream().map(Cidr::parse).toList());
  }

  private static Policy policy(List<Role> roles, Defaults d, Rule... rules) {
    return new Policy(Policy.API_VERSION, Policy.KIND, null, roles, List.of(rules), d, null, null);
  }

  private static Policy policy(Rule... rules) {
    return policy(List.of(WEB), null, rules);
  }

  private static List<String> kinds(Policy a, Policy b) {
    List<String> out = new ArrayList<>();
    PolicyDiff.between(a, b).forEach(c -> out.add(c.kind() + " " + c.name()));
    return out;
  }

  private static final List<PortRange> HTTPS = List.of(PortRange.of(443));
  private final Rule api = rule("web-tcp443-api", "tcp", HTTPS, named("api", "192.0.2.10/32"));

  @Test
  void samePolicyNoChange() {
    assertEquals(List.of(), kinds(policy(api), policy(api)));
  }

  @Test
  void aRuleForOneUserIsNarrowerThanForEveryUser() {
    Rule everyone = rule("web-tcp443-x", "tcp", HTTPS, exact("192.0.2.10/32"));
    Rule u33 = user(everyone, 33);
    assertEquals(List.of("narrowed web-tcp443-x"), kinds(policy(everyone), policy(u33)));
    assertEquals(List.of("broadened web-tcp443-x"), kinds(policy(u33), policy(everyone)));
    assertEquals(List.of("changed web-tcp443-x"), kinds(policy(u33), policy(user(everyone, 34))));
    assertEquals(List.of(), kinds(policy(u33), policy(user(everyone, 33))));
  }

  private static Rule user(Rule r, int uid) {
    return new Rule(
        r.name(),
        r.role(),
        r.protocol(),
        r.ports(),
        r.icmpTypes(),
        r.destination(),
        r.broad(),
        r.exposure(),
        r.evidence(),
        uid);
  }

  @Test
  void evidenceAndNamesAloneAreNoChange() {
    Rule renamedEvidence =
        new Rule(
            api.name(),
            "web",
            "tcp",
            HTTPS,
            List.of(),
            api.destination(),
            false,
            0,
            new Evidence(9, 9, null, null, null, null, null, null));
    assertEquals(List.of(), kinds(policy(api), policy(renamedEvidence)));
  }

  @Test
  void aLongerHoldBroadensAShorterNarrows() {
    Rule held = rule(api.name(), "tcp", HTTPS, api.destination().withHold(7_200));
    Rule longer = rule(api.name(), "tcp", HTTPS, api.destination().withHold(86_400));
    assertEquals(List.of("broadened web-tcp443-api"), kinds(policy(api), policy(held)));
    assertEquals(List.of("broadened web-tcp443-api"), kinds(policy(held), policy(longer)));
    assertEquals(List.of("narrowed web-tcp443-api"), kinds(policy(longer), policy(api)));
    assertEquals(
        "web tcp [443] to [192.0.2.10/32] (answers held 7200 s) -> web tcp"
            + " [443] to [192.0.2.10/32] (answers held 86400 s)",
        PolicyDiff.between(policy(held), policy(longer)).get(0).detail());
  }

  @Test
  void addedAndRemoved() {
    Rule db =
        rule("web-tcp5432-addresses", "tcp", List.of(PortRange.of(5432)), exact("203.0.113.5/32"));
    assertEquals(List.of("added web-tcp5432-addresses"), kinds(policy(api), policy(api, db)));
    assertEquals(List.of("removed web-tcp5432-addresses"), kinds(policy(api, db), policy(api)));
  }

  @Test
  void anotherAddressBroadensFewerNarrow() {
    Rule two = rule(api.name(), "tcp", HTTPS, named("api", "192.0.2.10/32", "192.0.2.11/32"));
    assertEquals(List.of("broadened web-tcp443-api"), kinds(policy(api), policy(two)));
    assertEquals(List.of("narrowed web-tcp443-api"), kinds(policy(two), policy(api)));
  }

  @Test
  void aPortMoreIsTheSameRuleBroadenedUnderItsNewName() {
    Rule both =
        rule(
            "web-tcp80_443-api",
            "tcp",
            List.of(PortRange.of(80), PortRange.of(443)),
            named("api", "192.0.2.10/32"));
    List<PolicyDiff.Change> changes = PolicyDiff.between(policy(api), policy(both));
    assertEquals(1, changes.size(), changes.toString());
    assertEquals("broadened", changes.get(0).kind());
    assertEquals("web-tcp80_443-api", changes.get(0).name());
    assertTrue(changes.get(0).detail().startsWith("was web-tcp443-api: "), changes.get(0).detail());
    assertEquals(List.of("narrowed web-tcp443-api"), kinds(policy(both), policy(api)));
  }

  @Test
  void aRangeCoversItsPorts() {
    Rule some =
        rule("r", "tcp", List.of(PortRange.of(8000), PortRange.of(8002)), exact("192.0.2.0/28"));
    Rule range = rule("r", "tcp", List.of(PortRange.of(8000, 8002)), exact("192.0.2.0/28"));
    assertEquals(List.of("broadened r"), kinds(policy(some), policy(range)));
  }

  @Test
  void anyDestinationIsBroader() {
    Rule any = rule(api.name(), "tcp", HTTPS, Destination.anywhere(List.of("api")));
    assertEquals(List.of("broadened web-tcp443-api"), kinds(policy(api), policy(any)));
    assertEquals(List.of("narrowed web-tcp443-api"), kinds(policy(any), policy(api)));
  }

  @Test
  void anAggregateCoversItsHosts() {
    Rule hosts = rule("r", "tcp", HTTPS, exact("203.0.113.17/32", "203.0.113.18/32"));
    Rule agg = rule("r", "tcp", HTTPS, exact("203.0.113.16/28"));
    assertEquals(List.of("broadened r"), kinds(policy(hosts), policy(agg)));
    assertEquals(List.of("narrowed r"), kinds(policy(agg), policy(hosts)));
  }

  @Test
  void neitherWiderNorNarrowerIsChanged() {
    Rule other = rule(api.name(), "tcp", HTTPS, named("api", "192.0.2.99/32"));
    assertEquals(List.of("changed web-tcp443-api"), kinds(policy(api), policy(other)));
  }

  @Test
  void anyIcmpTypeIsBroaderThanEcho() {
    Rule echo = icmp("ping", List.of(8));
    Rule all = icmp("ping", List.of());
    assertEquals(List.of("broadened ping"), kinds(policy(echo), policy(all)));
    assertEquals(List.of("narrowed ping"), kinds(policy(all), policy(echo)));
  }

  @Test
  void rolesAndDefaults() {
    Role more = new Role("web", List.of(Cidr.parse("10.0.2.0/23")), "");
    Role db = new Role("db", List.of(Cidr.parse("10.0.3.1/32")), "");
    Defaults reject = new Defaults("reject", true, true, 3, 10, "egret-drop ", List.of("tcp/22"));
    assertEquals(
        List.of("role-added db", "role-changed web", "defaults-changed defaults"),
        kinds(policy(api), policy(List.of(db, more), reject, api)));
  }
}
