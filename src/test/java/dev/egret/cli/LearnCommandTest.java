package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.DayPcap;
import dev.egret.baseline.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code egret learn}: creating, adding to and protecting a baseline. */
class LearnCommandTest {
  @TempDir Path dir;
  Path monday;
  Path tuesday;
  Path state;

  @BeforeEach
  void captures() throws IOException {
    monday =
        new DayPcap()
            .tcp("2024-03-04T09:00:00Z", "10.1.0.10", 40001, "93.184.216.34", 443, null)
            .tcp("2024-03-04T09:01:00Z", "10.1.0.10", 40002, "93.184.216.34", 443, null)
            .tcp("2024-03-04T09:02:00Z", "10.1.0.11", 40003, "10.1.2.5", 5432, null)
            .write(dir.resolve("monday.pcap"));
    tuesday =
        new DayPcap()
            .tcp("2024-03-05T09:00:00Z", "10.1.0.10", 40001, "93.184.216.34", 443, null)
            .syn("2024-03-05T09:05:00Z", "10.1.0.10", 40009, "203.0.113.66", 25)
            .write(dir.resolve("tuesday.pcap"));
    state = dir.resolve("state.json");
  }

  private Cli learn(Path... pcaps) {
    String[] args = new String[pcaps.length + 3];
    args[0] = "learn";
    for (int i = 0; i < pcaps.length; i++) {
      args[i + 1] = pcaps[i].toString();
    }
    args[pcaps.length + 1] = "--baseline";
    args[pcaps.length + 2] = state.toString();
    return Cli.run(args);
  }

  private static Entry entry(Baseline b, String host, String dest, int port) {
    return b.entries().stream()
        .filter(e -> e.host().equals(host) && e.destination().equals(dest) && e.port() == port)
        .findFirst()
        .orElseThrow(() -> new AssertionError(host + " " + dest + " " + port));
  }

  @Test
  void createsTheBaselineAndSummarises() throws IOException {
    Cli c = learn(monday).ok();
    assertEquals("", c.out(), "data only to stdout; learn writes none");
    List<String> lines = c.err().lines().toList();
    assertEquals(
        "egret: baseline "
            + state
            + ": 2 hosts, 2 destinations, 2 host/destination/port entries, 0 names, 1 capture;"
            + " window 2024-03-04T09:00:00Z to 2024-03-04T09:02:00.006Z (1 day with egress)",
        lines.get(lines.size() - 1));
    assertTrue(c.err().contains("egret: 18 packets in 1 file"), c.err());
    Baseline b = BaselineJson.read(state);
    assertEquals(2, entry(b, "10.1.0.10", "93.184.216.34", 443).flows());
    assertTrue(entry(b, "10.1.0.11", "10.1.2.5", 5432).internalDestination());
    assertEquals("file", b.sources().get(0).kind());
    assertEquals("monday.pcap", b.sources().get(0).name());
    assertEquals(64, b.sources().get(0).fingerprint().length());
    assertEquals(18, b.sources().get(0).packets());
    assertEquals(18, b.counters().packets());
    assertEquals(Baseline.SCHEMA, b.schemaVersion());
  }

  @Test
  void sameCaptureTwiceIsRefused() throws IOException {
    learn(monday).ok();
    byte[] before = Files.readAllBytes(state);
    Path copy = Files.copy(monday, dir.resolve("renamed.pcap"));
    Cli c = learn(copy);
    assertEquals(2, c.rc());
    assertEquals(
        "egret: "
            + copy
            + ": already in "
            + state
            + " (absorbed as monday.pcap); not counted twice",
        c.err().strip());
    assertArrayEquals(before, Files.readAllBytes(state), "baseline untouched");
  }

  @Test
  void sameCaptureTwiceInOneCommandIsRefused() throws IOException {
    Path copy = Files.copy(monday, dir.resolve("copy.pcap"));
    Cli c = learn(monday, copy);
    assertEquals(2, c.rc());
    assertTrue(c.err().contains(copy + ": same capture as " + monday), c.err());
    assertFalse(Files.exists(state), "nothing written");
  }

  @Test
  void secondCaptureAdds() throws IOException {
    learn(monday).ok();
    Baseline one = BaselineJson.read(state);
    Cli c = learn(tuesday).ok();
    assertTrue(
        c.err().contains(": 2 hosts, 3 destinations, 3 host/destination/port entries"), c.err());
    assertTrue(
        c.err()
            .contains(
                "2 captures; window 2024-03-04T09:00:00Z to 2024-03-05T09:05:00Z (2 days with egress)"),
        c.err());
    Baseline b = BaselineJson.read(state);
    assertEquals(2, b.sources().size());
    assertEquals(one.counters().packets() + 7, b.counters().packets());
    assertEquals(one.counters().egressFlows() + 2, b.counters().egressFlows());
    Entry web = entry(b, "10.1.0.10", "93.184.216.34", 443);
    assertEquals(3, web.flows());
    assertEquals(List.of("2024-03-04", "2024-03-05"), web.days());
    Entry smtp = entry(b, "10.1.0.10", "203.0.113.66", 25);
    assertEquals(List.of(1L, 0L, 1L), List.of(smtp.flows(), smtp.answered(), smtp.unanswered()));
  }

  @Test
  void twoCapturesInOneCommandEqualTwoCommands() throws IOException {
    learn(monday, tuesday).ok();
    Baseline together = BaselineJson.read(state);
    Files.delete(state);
    learn(monday).ok();
    learn(tuesday).ok();
    Baseline apart = BaselineJson.read(state);
    // Gaps between connection starts are measured within one learning run; a merge cannot measure
    // the one between the last start of one baseline and the first of the next.
    assertEquals(withoutGaps(together), withoutGaps(apart));
    assertEquals(together.sources(), apart.sources());
    assertEquals(together.counters(), apart.counters());
  }

  private static List<Entry> withoutGaps(Baseline b) {
    return b.entries().stream()
        .map(
            e ->
                new Entry(
                    e.host(),
                    e.destination(),
                    e.protocol(),
                    e.port(),
                    e.internalDestination(),
                    e.flows(),
                    e.answered(),
                    e.unanswered(),
                    e.rejected(),
                    e.packetsOut(),
                    e.bytesOut(),
                    e.packetsIn(),
                    e.bytesIn(),
                    e.firstSeenNs(),
                    e.lastSeenNs(),
                    e.days(),
                    e.hours(),
                    0,
                    0,
                    0))
        .toList();
  }

  @Test
  void newerSchemaIsRefusedAndKept() throws IOException {
    Files.writeString(state, "{\"schemaVersion\": \"2.0\"}");
    Cli c = learn(monday);
    assertEquals(2, c.rc());
    assertTrue(c.err().startsWith("egret: " + state + ": baseline schema 2.0 is newer"), c.err());
    assertEquals("{\"schemaVersion\": \"2.0\"}", Files.readString(state));
  }

  @Test
  void cutCompressedBaselineIsRefusedAndKept() throws IOException {
    learn(monday).ok();
    byte[] whole = Files.readAllBytes(state);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
    Files.write(state, cut);
    Cli c = learn(tuesday);
    assertEquals(2, c.rc());
    assertEquals(
        "egret: " + state + ": corrupt baseline: compressed data cut short\n", c.err(), c.err());
    assertArrayEquals(cut, Files.readAllBytes(state));
  }

  @Test
  void corruptBaselineIsRefusedAndKept() throws IOException {
    learn(monday).ok();
    String text;
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(state))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String cut = text.substring(0, text.length() / 2);
    Files.writeString(state, cut);
    Cli c = learn(tuesday);
    assertEquals(2, c.rc());
    assertTrue(
        c.err()
            .matches(
                "(?s)egret: "
                    + java.util.regex.Pattern.quote(state.toString())
                    + ":\\d+:\\d+: .*the file ends in the middle of a value \\(cut short\\?\\)\n"),
        c.err());
    assertEquals(cut, Files.readString(state, StandardCharsets.UTF_8));
  }

  @Test
  void customInternalAndConfig() throws IOException {
    Path cfg = dir.resolve("egret.yaml");
    Files.writeString(cfg, "internal: [10.1.0.10/32]\nexclude: [10.1.0.11]\n");
    Cli c =
        Cli.run(
                "learn",
                monday.toString(),
                "--baseline",
                state.toString(),
                "--config",
                cfg.toString())
            .ok();
    Baseline b = BaselineJson.read(state);
    assertEquals(1, b.entries().size(), c.err());
    assertEquals(1, b.counters().excludedFlows());
    Files.delete(state);
    Cli.run(
            "learn",
            monday.toString(),
            "--baseline",
            state.toString(),
            "--config",
            cfg.toString(),
            "--internal",
            "10.1.0.11/32")
        .ok();
    b = BaselineJson.read(state);
    assertEquals(0, b.entries().size(), "--internal overrides; 10.1.0.11 stays excluded");
    assertEquals(2, b.counters().externalFlows());
  }

  @Test
  void badInternalIsAUsageError() {
    Cli c =
        Cli.run(
            "learn", monday.toString(), "--baseline", state.toString(), "--internal", "10.0.0/8x");
    assertEquals(2, c.rc());
    assertTrue(c.err().startsWith("egret: --internal: "), c.err());
  }

  @Test
  void helpNamesTheExampleConfig() {
    Cli c = Cli.run("learn", "--help").ok();
    assertTrue(c.out().contains("egret.example.yaml"), c.out());
    assertTrue(c.out().contains("--internal"), c.out());
  }
}
