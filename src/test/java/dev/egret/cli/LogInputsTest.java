package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The summary's CPU figures read as {@code %.2f} writes them. */
class LogInputsTest {
  @Test
  void hundredthsAsFormatWritesThem() {
    double[] fixed = {0, 0.004, 0.005, 0.01, 0.099, 0.1, 1, 1.5, 2.1, 9.999, 10, 123.456};
    for (double v : fixed) {
      assertEquals(String.format(Locale.ROOT, "%.2f", v), LogInputs.hundredths(v), "" + v);
    }
    Random r = new Random(15);
    for (int i = 0; i < 10_000; i++) {
      // CPU seconds and M lines per second, away from the exact halves where binary and decimal
      // rounding may part
      double v = Math.round(r.nextDouble() * 100_000) / 1000.0 + 0.0003;
      assertEquals(String.format(Locale.ROOT, "%.2f", v), LogInputs.hundredths(v), "" + v);
    }
  }
}
