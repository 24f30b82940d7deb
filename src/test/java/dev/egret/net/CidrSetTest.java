package dev.egret.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A CidrSet holds exactly the addresses one of its networks holds. */
class CidrSetTest {
  @Test
  void answersAsItsNetworksDo() {
    Random r = new Random(1130);
    for (int round = 0; round < 300; round++) {
      List<Cidr> nets = new ArrayList<>();
      for (int i = r.nextInt(6); i > 0; i--) {
        long[] a = address(r);
        int bits =
            r.nextInt(6) == 0
                ? new int[] {0, 64, 65, 96, 127, 128}[r.nextInt(6)]
                : 96 + r.nextInt(33);
        nets.add(Cidr.covering(a[0], a[1], bits));
      }
      CidrSet set = CidrSet.of(nets);
      for (int k = 0; k < 200; k++) {
        long[] a =
            k % 2 == 0 || nets.isEmpty() ? address(r) : near(nets.get(r.nextInt(nets.size())), r);
        boolean any = nets.stream().anyMatch(c -> c.contains(a[0], a[1]));
        assertEquals(any, set.contains(a[0], a[1]), nets + " " + Ip.toString(a[0], a[1]));
      }
    }
  }

  @Test
  void privateNetworks() {
    CidrSet set = CidrSet.of(Networks.PRIVATE);
    assertTrue(set.contains(IpAddress.parse("10.1.2.3").hi(), IpAddress.parse("10.1.2.3").lo()));
    assertTrue(set.contains(IpAddress.parse("fd00::1").hi(), IpAddress.parse("fd00::1").lo()));
    assertFalse(set.contains(IpAddress.parse("8.8.8.8").hi(), IpAddress.parse("8.8.8.8").lo()));
    assertFalse(set.contains(IpAddress.parse("::a01:203").hi(), IpAddress.parse("::a01:203").lo()));
    assertFalse(CidrSet.of(List.of()).contains(0, 0));
  }

  private static long[] address(Random r) {
    return r.nextBoolean()
        ? new long[] {0, Ip.v4Lo(r.nextInt())}
        : new long[] {r.nextLong(), r.nextLong()};
  }

  /** An address that shares a network's prefix, with random bits after it now and then. */
  private static long[] near(Cidr c, Random r) {
    long hi = c.hi();
    long lo = c.lo();
    if (r.nextBoolean()) {
      lo ^= 1L << r.nextInt(64);
    }
    return new long[] {hi, lo};
  }
}
