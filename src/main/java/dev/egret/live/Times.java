package dev.egret.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Time stamps, {@code --until} times and JSON lines for live capture. */
public final class Times {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Times() {}

  /** ISO-8601 UTC to the millisecond, e.g. {@code 2024-05-01T12:00:00.123Z}. */
  static String iso(long epochNanos) {
    return dev.egret.io.Times.format(epochNanos - Math.floorMod(epochNanos, 1_000_000L));
  }

  /** The wall clock in ns since the epoch. */
  public static long now() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /**
   * When to stop, in ns since the epoch: an instant ({@code 2024-05-01T08:00:00Z} or with an
   * offset), a local date and time ({@code 2024-05-01T08:00}) or a local time of day ({@code
   * 08:00}, the next one to come), local meaning {@code now}'s zone.
   *
   * @throws IllegalArgumentException when it is none of these, or not after {@code now}
   */
  public static long parseUntil(String text, ZonedDateTime now) {
    String t = text.trim();
    Instant at;
    try {
      if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
        at = OffsetDateTime.parse(t).toInstant();
      } else if (t.contains("T")) {
        at = LocalDateTime.parse(t).atZone(now.getZone()).toInstant();
      } else {
        ZonedDateTime next = now.with(LocalTime.parse(t));
        if (!next.isAfter(now)) {
          next = next.plusDays(1);
        }
        at = next.toInstant();
      }
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "not a time: \""
              + text
              + "\" (expected e.g. 08:00, 2024-05-01T08:00 or 2024-05-01T08:00:00Z)");
    }
    if (!at.isAfter(now.toInstant())) {
      throw new IllegalArgumentException(text + " is in the past");
    }
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  /** One JSON object on one line; values are strings and numbers only. */
  static String json(Map<String, Object> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }
}
