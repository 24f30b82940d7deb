package dev.egret.live;

import dev.egret.net.Cidr;
import dev.egret.policy.Destination;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyMetadata;
import dev.egret.policy.PortRange;
import dev.egret.policy.Role;
import dev.egret.policy.Rule;
import java.util.List;

/** Small policies for the drift alert tests. */
final class TestPolicies {
  private TestPolicies() {}

  /** Hosts of {@code clients} may only ask {@code resolver} on UDP port 53. */
  static Policy dnsOnly(String clients, String resolver) {
    return new Policy(
        Policy.API_VERSION,
        Policy.KIND,
        PolicyMetadata.empty(),
        List.of(new Role("clients", List.of(Cidr.parse(clients)), "test clients")),
        List.of(
            new Rule(
                "dns",
                "clients",
                "udp",
                List.of(PortRange.of(53)),
                List.of(),
                new Destination(false, List.of(), List.of(Cidr.parse(resolver + "/32"))),
                false,
                0,
                null)),
        null,
        null,
        null);
  }
}
