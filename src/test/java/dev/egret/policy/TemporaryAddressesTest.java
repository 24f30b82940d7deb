package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.EgretConfig;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * IPv6 hosts on temporary addresses: each address is seen on one day, so the policy's roles miss
 * tomorrow's; the policy says so, naming the prefix, and never widens a role to it by itself.
 */
class TemporaryAddressesTest {
  private static final String PREFIX = "2001:db8:7:2::/64";

  private static Policy generate(TestBaselines b) {
    return new PolicyGenerator(EgretConfig.defaults(), Decisions.none(), false).generate(b.build());
  }

  /** A workstation's address of day {@code d}: random identifiers, one a day. */
  private static void workstation(TestBaselines b, String address, int d) {
    b.entry(address, "2001:db8:53::53", "udp", 53, 40, 40, d);
    b.entry(address, "2001:db8:ff::10", "tcp", 443, 30, 30, d);
  }

  @Test
  void rotatingAddressesOfOnePrefixAreSaidWithTheRoleThatWouldCoverThem() {
    TestBaselines b = new TestBaselines().days(3);
    workstation(b, "2001:db8:7:2:8c1f:3a2e:91b7:4d02", 0);
    workstation(b, "2001:db8:7:2:5e77:c0a9:12f4:e3b1", 1);
    workstation(b, "2001:db8:7:2:d2b9:7f10:aa63:0c58", 2);
    // A server in the same /64 with an address set by hand, every day: not temporary.
    b.entry("2001:db8:7:2::10", "2001:db8:ff::10", "tcp", 443, 90, 90, 0, 1, 2);
    Policy p = generate(b);
    assertEquals(
        List.of(
            "3 IPv6 addresses in "
                + PREFIX
                + " were each seen on one day only, like temporary addresses that change daily"
                + " (RFC 8981): the next day's are new, in no role, and everything they send is"
                + " blocked; give the prefix a role in the config (roles: {NAME: ["
                + PREFIX
                + "]}) or turn temporary addresses off on those hosts"),
        p.metadata().warnings());
    // Nothing is widened: tomorrow's address has no role, the server keeps its own.
    PolicyChecker check = new PolicyChecker(p);
    assertFalse(
        check.allows(
            IpAddress.parse("2001:db8:7:2:1234:5678:9abc:def0"),
            IpAddress.parse("2001:db8:ff::10"),
            Protocols.parse("tcp"),
            443));
    assertTrue(
        check.allows(
            IpAddress.parse("2001:db8:7:2::10"),
            IpAddress.parse("2001:db8:ff::10"),
            Protocols.parse("tcp"),
            443));
  }

  @Test
  void stableOrFewOrSameDayAddressesAreNoRotation() {
    // EUI-64 identifiers (ff:fe in the middle), each on one day: stable addresses of three hosts.
    TestBaselines eui = new TestBaselines().days(3);
    workstation(eui, "2001:db8:7:2:211:22ff:fe33:4401", 0);
    workstation(eui, "2001:db8:7:2:211:22ff:fe33:4402", 1);
    workstation(eui, "2001:db8:7:2:211:22ff:fe33:4403", 2);
    // Each is said as a host without a role (nothing allowed), not as a rotation.
    List<String> said = generate(eui).metadata().warnings();
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).startsWith("3 hosts have traffic but nothing allowed"), said.get(0));
    // Two random ones: too few to tell.
    TestBaselines two = new TestBaselines().days(3);
    workstation(two, "2001:db8:7:2:8c1f:3a2e:91b7:4d02", 0);
    workstation(two, "2001:db8:7:2:5e77:c0a9:12f4:e3b1", 1);
    assertEquals(List.of(), generate(two).metadata().warnings());
    // Three random ones, all on the same day: new hosts, not a rotation.
    TestBaselines same = new TestBaselines().days(3);
    workstation(same, "2001:db8:7:2:8c1f:3a2e:91b7:4d02", 1);
    workstation(same, "2001:db8:7:2:5e77:c0a9:12f4:e3b1", 1);
    workstation(same, "2001:db8:7:2:d2b9:7f10:aa63:0c58", 1);
    assertEquals(List.of(), generate(same).metadata().warnings());
    assertTrue(TemporaryAddresses.randomIdentifier(0x8c1f3a2e91b74d02L));
    assertFalse(TemporaryAddresses.randomIdentifier(0x021122fffe334401L), "EUI-64");
    assertFalse(TemporaryAddresses.randomIdentifier(0x10L), "set by hand");
    assertFalse(TemporaryAddresses.randomIdentifier(0xc0000201L), "an embedded IPv4 address");
  }
}
