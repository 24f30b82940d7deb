package dev.egret.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class LiveTimesTest {
  private static final ZonedDateTime NOW =
      ZonedDateTime.of(2024, 5, 1, 10, 30, 0, 0, ZoneId.of("Europe/Paris"));

  private static long nanos(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Test
  void anInstantInUtc() {
    assertEquals(nanos("2024-05-02T08:00:00Z"), Times.parseUntil("2024-05-02T08:00:00Z", NOW));
  }

  @Test
  void anInstantWithAnOffset() {
    assertEquals(nanos("2024-05-02T06:00:00Z"), Times.parseUntil("2024-05-02T08:00:00+02:00", NOW));
  }

  @Test
  void aLocalDateAndTimeIsInTheLocalZone() {
    // Paris is UTC+2 in May.
    assertEquals(nanos("2024-05-02T06:00:00Z"), Times.parseUntil("2024-05-02T08:00", NOW));
  }

  @Test
  void aTimeLaterTodayIsToday() {
    assertEquals(nanos("2024-05-01T09:00:00Z"), Times.parseUntil("11:00", NOW));
  }

  @Test
  void aTimeAlreadyPassedTodayIsTomorrow() {
    assertEquals(nanos("2024-05-02T06:00:00Z"), Times.parseUntil("08:00", NOW));
  }

  @Test
  void aTimeInThePastIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Times.parseUntil("2024-04-30T08:00", NOW));
    assertTrue(e.getMessage().contains("in the past"), e.getMessage());
  }

  @Test
  void somethingElseIsRefusedWithExamples() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Times.parseUntil("tomorrow", NOW));
    assertTrue(e.getMessage().contains("\"tomorrow\""), e.getMessage());
    assertTrue(e.getMessage().contains("08:00"), e.getMessage());
  }

  @Test
  void isoTimesAreUtcToTheMillisecond() {
    assertEquals("2024-05-01T08:30:00.123Z", Times.iso(nanos("2024-05-01T08:30:00.123456789Z")));
  }
}
