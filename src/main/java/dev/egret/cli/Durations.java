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

  /** Whole seconds of a duration option: {@code 30s}, {@code 5m}, {@code 1h}, or {@code 30}. */
  static long seconds(String option, String text) {
    long nanos = parseNanos(option, text);
    if (nanos % 1_000_000_000L != 0) {
      throw new UserError(option + ": \"" + text + "\" is not a whole number of seconds");
    }
    return nanos / 1_000_000_000L;
  }

  /** Converts a duration option to whole seconds (a bare number is seconds). */
  static final class Seconds implements picocli.CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      if (text.trim().matches("0+(ms|s|m|h|d)?")) {
        return 0L; // the command says which minimum applies
      }
      try {
        return seconds("duration", text);
      } catch (UserError e) {
        throw new picocli.CommandLine.TypeConversionException(
            "not a duration: \"" + text + "\" (expected e.g. 30s, 5m, 1h, 3d)");
      }
    }
  }

  /**
   * Converts a duration option to nanoseconds ({@code 200ms}, {@code 30s}, {@code 5m}, {@code 1h},
   * {@code 3d}; a bare number is seconds); zero is refused.
   */
  static final class Nanos implements picocli.CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      try {
        return parseNanos("duration", text);
      } catch (UserError e) {
        throw new picocli.CommandLine.TypeConversionException(
            e.getMessage().substring("duration: ".length()));
      }
    }
  }

  /** {@link Seconds} for an int option (at most 68 years). */
  static final class IntSeconds implements picocli.CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      long s = new Seconds().convert(text);
      if (s > Integer.MAX_VALUE) {
        throw new picocli.CommandLine.TypeConversionException("too long: \"" + text + "\"");
      }
      return (int) s;
    }
  }
}
