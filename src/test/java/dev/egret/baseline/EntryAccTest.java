package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The held connection starts of one entry, against a plain model of the rule (a sorted buffer,
 * released oldest first below the watermark or when full): the same intervals whatever the order
 * and the bursts.
 */
class EntryAccTest {
  private static final long SEC = 1_000_000_000L;

  /** The rule as a plain sorted array, for comparison. */
  private static final class Model {
    long[] held = new long[0];
    long lastStart = Long.MIN_VALUE;
    long gaps;
    long sum;
    long sq;

    void start(long ts, long watermark) {
      while (held.length > 0 && held[0] < watermark) {
        release(held[0]);
        held = Arrays.copyOfRange(held, 1, held.length);
      }
      if (ts < lastStart) {
        return;
      }
      if (held.length == EntryAcc.MAX_PENDING) {
        release(held[0]);
        held = Arrays.copyOfRange(held, 1, held.length);
      }
      held = Arrays.copyOf(held, held.length + 1);
      held[held.length - 1] = ts;
      Arrays.sort(held);
    }

    private void release(long ts) {
      if (lastStart != Long.MIN_VALUE) {
        long ms = (ts - lastStart) / 1_000_000L;
        gaps++;
        sum += ms;
        sq = Entry.saturatingAdd(sq, Entry.saturatingSquare(ms));
      }
      lastStart = ts;
    }

    long[] totals() {
      long n = gaps;
      long s = sum;
      long q = sq;
      long prev = lastStart;
      for (long ts : held) {
        if (prev != Long.MIN_VALUE) {
          long ms = (ts - prev) / 1_000_000L;
          n++;
          s += ms;
          q = Entry.saturatingAdd(q, Entry.saturatingSquare(ms));
        }
        prev = ts;
      }
      return new long[] {n, s, q};
    }
  }

  @Test
  void heldStartsAreReleasedAsTheRuleSaysInEveryShapeOfArrival() {
    Random rnd = new Random(7);
    for (int round = 0; round < 200; round++) {
      EntryAcc a = new EntryAcc();
      Model m = new Model();
      long now = 1_700_000_000L * SEC;
      // Sparse (one start held at a time), dense bursts (past MAX_PENDING), late arrivals.
      int spacing = rnd.nextInt(3);
      int flows = 50 + rnd.nextInt(1500);
      for (int i = 0; i < flows; i++) {
        now +=
            switch (spacing) {
              case 0 -> 30 * 60 * SEC + rnd.nextInt(1000) * SEC;
              case 1 -> rnd.nextInt(120) * SEC;
              default -> rnd.nextInt(5) == 0 ? rnd.nextInt(3600) * SEC : rnd.nextInt(1000);
            };
        long start = now - (rnd.nextInt(8) == 0 ? rnd.nextInt(3600) * SEC : 0);
        long watermark = now - Learner.LONGEST_COUNTED_FLOW_NANOS - 10 * 60 * SEC;
        a.add(Learner.ANSWERED, start, start, 1, 1, 1, 1, watermark);
        m.start(start, watermark);
        assertEquals(m.gaps, a.gaps, "round " + round + " flow " + i);
        assertEquals(m.sum, a.gapSumMs);
        assertEquals(m.sq, a.gapSumSqMs);
        assertEquals(m.lastStart, a.lastStart);
        assertEquals(m.held.length, a.pendingCount);
        if (i % 37 == 0) {
          assertArrayEquals(m.totals(), a.gapTotals());
        }
      }
      assertArrayEquals(m.totals(), a.gapTotals());
    }
  }

  @Test
  void aBurstPastTheHoldCountsItsOldestStartsAtOnce() {
    EntryAcc a = new EntryAcc();
    long t0 = 1_700_000_000L * SEC;
    for (int i = 0; i < EntryAcc.MAX_PENDING + 10; i++) {
      a.add(Learner.ANSWERED, t0 + i * SEC, t0 + i * SEC, 1, 1, 1, 1, Long.MIN_VALUE);
    }
    assertEquals(EntryAcc.MAX_PENDING, a.pendingCount);
    assertEquals(9, a.gaps, "the 10 oldest released, 9 intervals between them");
    assertEquals(9_000, a.gapSumMs);
    long[] t = a.gapTotals();
    assertEquals(EntryAcc.MAX_PENDING + 9, t[0]);
    assertTrue(t[1] == (EntryAcc.MAX_PENDING + 9) * 1000L, "sum " + t[1]);
  }
}
