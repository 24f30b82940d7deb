package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An answered connection at a steady interval is a beacon when it calls home more often than every
 * 5 minutes; a job every 5 minutes, whose mean interval lands on either side of 300 s with its
 * jitter, is not, whichever side.
 */
class PeriodicPollTest {
  /** 100 answered connections to one outside address, {@code meanMs} apart, spread 10%. */
  private static Entry steady(double meanMs) {
    long gaps = 99;
    long sum = Math.round(meanMs * gaps);
    double sd = meanMs * 0.1;
    long sumSq = Math.round(gaps * (meanMs * meanMs + sd * sd));
    return new Entry(
        "10.0.0.25",
        "192.0.2.80",
        "tcp",
        443,
        false,
        100,
        100,
        0,
        0,
        1000,
        60_000,
        1000,
        60_000,
        1,
        2,
        List.of("2024-03-01"),
        List.of(1),
        gaps,
        sum,
        sumSq);
  }

  @Test
  void aBeaconIsPeriodicAFiveMinuteJobIsNot() {
    assertTrue(Findings.periodicAnswered(steady(30_000)), "30 s");
    assertTrue(Findings.periodicAnswered(steady(60_000)), "60 s");
    assertTrue(Findings.periodicAnswered(steady(270_000)), "270 s");
    assertFalse(Findings.periodicAnswered(steady(270_100)), "just over 270 s");
    assertFalse(Findings.periodicAnswered(steady(299_900)), "a 5-minute job, a little fast");
    assertFalse(Findings.periodicAnswered(steady(300_000)), "a 5-minute job");
    assertFalse(Findings.periodicAnswered(steady(300_200)), "a 5-minute job, a little slow");
  }
}
