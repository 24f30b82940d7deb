package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.DayPcap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** learn's bounds on the command line: what is summarised is said in one line each. */
class LearnLimitsCommandTest {
  @TempDir Path dir;

  /** One host sends a SYN to 1,100 addresses on port 445 and to 30 ports of one address. */
  private Path scan() throws IOException {
    DayPcap p = new DayPcap();
    Instant t = Instant.parse("2024-03-04T09:00:00Z");
    for (int i = 0; i < 1100; i++) {
      p.syn(
          t.plusMillis(i).toString(),
          "10.1.0.10",
          20000 + i,
          "198.18." + (i / 250) + "." + (i % 250 + 1),
          445);
    }
    for (int port = 1; port <= 30; port++) {
      p.syn(
          t.plusSeconds(5).plusMillis(port).toString(),
          "10.1.0.10",
          30000 + port,
          "198.19.0.1",
          port);
    }
    return p.write(dir.resolve("scan.pcap"));
  }

  @Test
  void aFanoutIsSummarisedWithOneLine() throws IOException {
    Path state = dir.resolve("b.json");
    Cli c = Cli.run("learn", scan().toString(), "-b", state.toString());
    assertEquals(0, c.rc(), c.err());
    assertTrue(
        c.err()
            .contains(
                "egret: 1 host/port pairs with over 1024 destinations (scans, crawlers,"
                    + " resolvers): 76 flows summarised, not kept per destination; egret baseline"
                    + " show lists them\n"),
        c.err());
    assertFalse(c.err().contains("entry limit"), c.err());
    Baseline b = BaselineJson.read(state);
    assertEquals(1024 + 30, b.entries().size());
    assertEquals(1, b.summaries().size());
    String show = Cli.run("baseline", "show", state.toString()).out();
    assertTrue(
        show.contains("\n  summarised: tcp/445 76 flows (fanout, 0 answered) to 198.18."), show);
  }

  @Test
  void theEntryLimitIsSummarisedWithOneLine() throws IOException {
    Path state = dir.resolve("b.json");
    Cli c = Cli.run("learn", scan().toString(), "-b", state.toString(), "--max-entries", "10");
    assertEquals(0, c.rc(), c.err());
    assertTrue(
        c.err().contains("egret: warning: entry limit reached (--max-entries 10): 1120 flows of "),
        c.err());
    assertTrue(
        c.err().contains(" host/port pairs summarised, not kept per destination; raise"), c.err());
    Baseline b = BaselineJson.read(state);
    assertEquals(10, b.entries().size());
    assertEquals(1120, b.summaries().stream().mapToLong(s -> s.flows()).sum());
  }

  @Test
  void aMaxEntriesBelowOneIsAUsageError() throws IOException {
    Path state = dir.resolve("b.json");
    Cli c = Cli.run("learn", scan().toString(), "-b", state.toString(), "--max-entries", "0");
    assertEquals(2, c.rc());
    assertEquals("egret: --max-entries must be at least 1: 0\n", c.err());
    assertFalse(Files.exists(state));
  }
}
