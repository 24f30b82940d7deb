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
import java.util.ArrayList;
import java.util.List;

/** A policy where one name is used by 20 rules of roles with 60-character names. */
final class SharedNamePolicy {
  static final String NAME = "api.example.test";
  static final int RULES = 20;

  private SharedNamePolicy() {}

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
}
