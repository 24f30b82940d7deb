package dev.egret.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/** The clock and {@code --until} times for live capture. */
final class LiveTimes {
  private LiveTimes() {}

  static long nowNanos() {
    return nanos(Instant.now());
  }

  private static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /**
   * {@code --until}: an instant ({@code 2024-05-01T08:00:00Z}), a local date and time ({@code
   * 2024-05-01T08:00}) or a local time of day ({@code 08:00}, the next one to come).
   */
  static long parseUntil(String text) {
    return parseUntil(text, ZonedDateTime.now());
  }

  static long parseUntil(String text, ZonedDateTime now) {
    String t = text.trim();
    ZoneId zone = now.getZone();
    Instant at;
    try {
      if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
        at = java.time.OffsetDateTime.parse(t).toInstant();
      } else if (t.contains("T")) {
        at = LocalDateTime.parse(t).atZone(zone).toInstant();
      } else {
        ZonedDateTime next = now.with(LocalTime.parse(t));
        if (!next.isAfter(now)) {
          next = next.plusDays(1);
        }
        at = next.toInstant();
      }
    } catch (DateTimeParseException e) {
      throw new UserError(
          "--until: not a time: \""
              + text
              + "\" (expected e.g. 08:00, 2024-05-01T08:00 or 2024-05-01T08:00:00Z)");
    }
    if (!at.isAfter(now.toInstant())) {
      throw new UserError("--until: " + text + " is in the past");
    }
    return nanos(at);
  }
}
