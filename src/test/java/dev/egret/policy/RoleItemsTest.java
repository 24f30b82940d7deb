package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.egret.baseline.EgretConfig;
import dev.egret.net.IpAddress;
import org.junit.jupiter.api.Test;

/**
 * Hosts are alike by the destinations they share, not by their services: a NAS (its backup store
 * and its vendor's updates) and a printer (its vendor's telemetry) that both use HTTPS, the site's
 * resolver and an NTP pool share 2 of 5 items and stay apart, so neither may reach the other's
 * cloud (with the services as items they shared 5 of 8); two printers of one vendor are one role.
 */
class RoleItemsTest {
  private static final String RESOLVER = "10.0.0.53";

  /** A device: HTTPS to its own cloud name, the resolver and the NTP pool, every day of three. */
  private static TestBaselines device(TestBaselines b, String host, String cloud, String addr) {
    b.entry(host, addr, "tcp", 443, 30, 30, 0, 1, 2).answer(host, addr, cloud, 0, 2, 600, 300);
    if (cloud.startsWith("backup.")) {
      // the NAS also checks its vendor for updates, as the clinic's does
      b.entry(host, "198.51.100.21", "tcp", 443, 3, 3, 0, 1, 2)
          .answer(host, "198.51.100.21", "update.nasvendor.example", 0, 2, 700, 300);
    }
    b.entry(host, RESOLVER, "udp", 53, 60, 60, 0, 1, 2);
    b.entry(host, "192.0.2.123", "udp", 123, 30, 30, 0, 1, 2)
        .answer(host, "192.0.2.123", "pool.ntp.example", 0, 2, 500, 300);
    return b;
  }

  private static String roleOf(Policy p, String host) {
    IpAddress a = IpAddress.parse(host);
    return p.roles().stream()
        .filter(r -> r.hosts().stream().anyMatch(c -> c.contains(a)))
        .map(Role::name)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no role for " + host + " in " + p.roles()));
  }

  @Test
  void devicesWithCloudsOfTheirOwnStayApartDevicesOfOneVendorShareARole() {
    TestBaselines b = new TestBaselines().days(3);
    device(b, "10.0.0.20", "backup.objstore.example", "198.51.100.20");
    device(b, "10.0.0.60", "telemetry.printvendor.example", "198.51.100.60");
    device(b, "10.0.0.61", "telemetry.printvendor.example", "198.51.100.60");
    Policy p =
        new PolicyGenerator(EgretConfig.defaults(), Decisions.none(), true).generate(b.build());
    assertEquals("host-10-0-0-20", roleOf(p, "10.0.0.20"));
    assertEquals(roleOf(p, "10.0.0.60"), roleOf(p, "10.0.0.61"));
    assertNotEquals(roleOf(p, "10.0.0.20"), roleOf(p, "10.0.0.60"));
    PolicyChecker c = new PolicyChecker(p);
    IpAddress backup = IpAddress.parse("198.51.100.20");
    assertFalse(c.allows(IpAddress.parse("10.0.0.60"), backup, dev.egret.net.Protocols.TCP, 443));
  }
}
