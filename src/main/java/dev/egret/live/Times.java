package dev.egret.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Time stamps and JSON lines for status and alert output. */
final class Times {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Times() {}

  /** ISO-8601 UTC to the millisecond, e.g. {@code 2024-05-01T12:00:00.123Z}. */
  static String iso(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos).truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /** The wall clock in ns since the epoch. */
  static long now() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
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
