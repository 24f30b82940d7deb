package dev.egret.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations such as {@code 90s}, {@code 5m}, {@code 1h}, {@code 3d}. */
final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");

  private Durations() {}

  static long parseNanos(String option, String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new UserError(
          option + ": not a duration: \"" + text + "\" (expected e.g. 30s, 5m, 1h, 3d)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    long nanos =
        switch (unit) {
          case "ms" -> n * 1_000_000L;
          case "s" -> n * 1_000_000_000L;
          case "m" -> n * 60_000_000_000L;
          case "h" -> n * 3_600_000_000_000L;
          default -> n * 86_400_000_000_000L;
        };
    if (nanos <= 0) {
      throw new UserError(option + ": duration must be positive: \"" + text + "\"");
    }
    return nanos;
  }
}
