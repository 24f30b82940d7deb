package dev.egret.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimesTest {
  @Test
  void matchesInstantToString() {
    Times t = new Times();
    Random r = new Random(7);
    long[] fixed = {
      0, 1, 999_999_999L, 1_000_000L, 1_000L, 86_400_000_000_000L - 1, -1, -86_400_000_000_001L
    };
    for (long n : fixed) {
      assertEquals(instant(n), t.iso(n), Long.toString(n));
    }
    for (int i = 0; i < 100_000; i++) {
      long n = r.nextLong() % 4_000_000_000_000_000_000L;
      if (i % 3 == 0) {
        n -= n % 1000; // microsecond captures
      } else if (i % 3 == 1) {
        n -= n % 1_000_000;
      }
      assertEquals(instant(n), t.iso(n), Long.toString(n));
    }
  }

  private static String instant(long n) {
    return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L))
        .toString();
  }
}
