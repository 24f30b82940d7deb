package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregatorTest {
  private static final Aggregator DEFAULTS = new Aggregator(24, 64, 0.5, 8);

  private static List<IpAddress> v4(String prefix, int... last) {
    List<IpAddress> out = new ArrayList<>();
    for (int x : last) {
      out.add(IpAddress.parse(prefix + x));
    }
    return out;
  }

  private static List<String> prefixes(List<Aggregator.Covered> cs) {
    return cs.stream().map(c -> c.prefix() + " " + c.exposure()).toList();
  }

  @Test
  void nineOfSixteenMakeTheSlash28() {
    List<IpAddress> a = v4("203.0.113.", 17, 18, 19, 21, 23, 24, 26, 28, 30);
    assertEquals(List.of("203.0.113.16/28 7"), prefixes(DEFAULTS.aggregate(a)));
  }

  @Test
  void sevenOfSixteenDoNot() {
    List<IpAddress> a = v4("203.0.113.", 17, 19, 21, 23, 25, 27, 29);
    for (Aggregator.Covered c : DEFAULTS.aggregate(a)) {
      assertTrue(c.prefix().prefixLength() > 28, c.toString());
    }
  }

  @Test
  void scatteredAddressesStayHostRoutes() {
    List<IpAddress> a = v4("203.0.113.", 1, 77, 150, 230);
    assertEquals(
        List.of(
            "203.0.113.1/32 0", "203.0.113.77/32 0", "203.0.113.150/32 0", "203.0.113.230/32 0"),
        prefixes(DEFAULTS.aggregate(a)));
  }

  @Test
  void neverBroaderThanSlash24UnlessConfigured() {
    List<IpAddress> a = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      a.add(IpAddress.parse("198.18.0." + i));
      a.add(IpAddress.parse("198.18.1." + i));
    }
    Aggregator loose = new Aggregator(24, 64, 0.5, 1_000_000);
    assertEquals(List.of("198.18.0.0/24 0", "198.18.1.0/24 0"), prefixes(loose.aggregate(a)));
    Aggregator wider = new Aggregator(22, 64, 0.5, 1_000_000);
    assertEquals(List.of("198.18.0.0/22 512"), prefixes(wider.aggregate(a)));
    Aggregator denser = new Aggregator(22, 64, 0.75, 1_000_000);
    assertEquals(List.of("198.18.0.0/23 0"), prefixes(denser.aggregate(a)));
  }

  @Test
  void exposureBoundLimitsCoverage() {
    // 16 of a /27 is half, but adds 16 never-seen addresses: more than 8.
    List<IpAddress> a = new ArrayList<>();
    for (int i = 0; i < 32; i += 2) {
      a.add(IpAddress.parse("203.0.113." + i));
    }
    for (Aggregator.Covered c : DEFAULTS.aggregate(a)) {
      assertTrue(c.exposure() <= 8, c.toString());
    }
  }

  @Test
  void aWithheldAddressIsNeverCovered() {
    List<IpAddress> a = v4("203.0.113.", 17, 18, 19, 21, 23, 24, 26, 28, 30);
    IpAddress review = IpAddress.parse("203.0.113.20");
    List<Aggregator.Covered> out = DEFAULTS.aggregate(a, List.of(review));
    for (Aggregator.Covered c : out) {
      assertFalse(c.prefix().contains(review), c.toString());
    }
    for (IpAddress x : a) {
      assertTrue(out.stream().anyMatch(c -> c.prefix().contains(x)), x.toString());
    }
  }

  @Test
  void ipv6UsesItsOwnBound() {
    List<IpAddress> a = new ArrayList<>();
    for (int i : new int[] {0, 1, 2, 4, 6, 8, 9, 11, 15}) {
      a.add(IpAddress.parse("2001:db8:1::" + Integer.toHexString(0x20 + i)));
    }
    assertEquals(List.of("2001:db8:1::20/124 7"), prefixes(DEFAULTS.aggregate(a)));
    Aggregator narrow = new Aggregator(24, 126, 0.5, 8);
    for (Aggregator.Covered c : narrow.aggregate(a)) {
      assertTrue(c.prefix().prefixLength() >= 126, c.toString());
    }
  }

  @Test
  void ruleIdentifiersAreValidNames() {
    for (String raw :
        List.of(
            "host-10-0-0-5-tcp443-_dmarc.example.com",
            "_leading",
            "UPPER.Case",
            "é中文",
            "a".repeat(300),
            "x--y__z..",
            "-")) {
      String id = Naming.identifier(raw);
      assertTrue(Role.NAME.matcher(id).matches(), raw + " -> " + id);
    }
    assertEquals(Naming.identifier("a".repeat(300)), Naming.identifier("a".repeat(300)));
    assertFalse(
        Naming.identifier("a".repeat(300) + "1").equals(Naming.identifier("a".repeat(300) + "2")));
  }
}
