package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bound never falls below the packets really in the window, whatever order times come in. */
class LiveWindowTest {
  @Test
  void neverBelowTheTrueCountWithTimesOutOfOrder() {
    Random r = new Random(7);
    for (int round = 0; round < 20; round++) {
      long span = 1 + r.nextInt(1000);
      LiveWindow w = new LiveWindow(span);
      List<Long> times = new ArrayList<>();
      long clock = r.nextInt(100_000) - 50_000;
      long now = Long.MIN_VALUE;
      for (int i = 0; i < 3000; i++) {
        clock += r.nextInt(20);
        // mostly in order, sometimes far back or far ahead
        long ts =
            switch (r.nextInt(20)) {
              case 0 -> clock - r.nextInt(5000);
              case 1 -> clock + r.nextInt(5000);
              default -> clock;
            };
        w.add(ts);
        times.add(ts);
        if (r.nextInt(3) == 0 && ts > now) {
          now = ts;
          w.advance(now);
        }
        long from = now == Long.MIN_VALUE ? Long.MIN_VALUE : now - span;
        long inWindow = times.stream().filter(t -> t >= from).count();
        assertTrue(w.count() >= inWindow, w.count() + " < " + inWindow + " at packet " + i);
      }
    }
  }

  @Test
  void packetsLeaveTheWindowOnceItsStartHasPassedThem() {
    LiveWindow w = new LiveWindow(256);
    for (int t = 0; t < 100; t++) {
      w.add(t);
    }
    w.advance(100);
    assertEquals(100, w.count());
    w.advance(1000); // the window is [744, 1000]
    assertEquals(0, w.count());
  }
}
