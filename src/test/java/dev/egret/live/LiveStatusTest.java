package dev.egret.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LiveStatusTest {
  private static Status status(boolean done, long blocked) {
    return new Status(
        1_714_550_400_000_000_000L,
        3_723_000_000_000L,
        1_234_567,
        182_345.4,
        12,
        3456,
        7,
        89,
        10,
        2,
        3,
        blocked,
        blocked == 0 ? 0 : 1,
        4,
        done);
  }

  @Test
  void theLineShowsPacketsRateFlowsHostsNamesAndEveryDrop() {
    String t = status(false, 0).text();
    assertEquals(
        "1,234,567 packets (182,345/s), 3,456 flows (12 open), 7 hosts, 89 names,"
            + " drops 15 (kernel 10, interface 2, queue 3), 1h02m",
        t);
  }

  @Test
  void blockedFlowsAppearOnlyWithAPolicy() {
    assertFalse(status(false, 0).text().contains("blocked"));
    assertTrue(status(false, 5).text().contains("5 would be blocked (1 alerts)"));
  }

  @Test
  void theFinalLineHasNoRate() {
    assertFalse(status(true, 0).text().contains("/s)"));
  }

  @Test
  void jsonCarriesTheSameFigures() throws Exception {
    JsonNode j = new ObjectMapper().readTree(status(false, 5).json());
    assertEquals("status", j.get("event").asText());
    assertEquals("2024-05-01T08:00:00Z", j.get("time").asText());
    assertEquals(1_234_567, j.get("packets").asLong());
    assertEquals(182_345, j.get("packets_per_s").asLong());
    assertEquals(10, j.get("kernel_drops").asLong());
    assertEquals(2, j.get("interface_drops").asLong());
    assertEquals(3, j.get("queue_drops").asLong());
    assertEquals(5, j.get("blocked").asLong());
    assertEquals(3723, j.get("elapsed_s").asLong());
    assertEquals(
        "stopped", new ObjectMapper().readTree(status(true, 0).json()).get("event").asText());
  }

  @Test
  void elapsedTimeScalesItsUnits() {
    assertEquals("0m59s", Status.elapsed(59_000_000_000L));
    assertEquals("2h00m", Status.elapsed(7_200_000_000_000L));
    assertEquals("3d01h", Status.elapsed((3 * 86400 + 3600) * 1_000_000_000L));
  }
}
