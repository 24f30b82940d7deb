package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.DayPcap;
import dev.egret.baseline.Entry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture spanning three UTC days: days seen per destination, learned whole or a day a file. */
class LearnMultiDayTest {
  @TempDir Path dir;

  static DayPcap day(DayPcap p, String date, boolean oneOff) {
    p.tcp(date + "T08:00:00Z", "10.1.0.10", 40001, "93.184.216.34", 443, null);
    p.tcp(date + "T20:30:00Z", "10.1.0.10", 40002, "93.184.216.34", 443, null);
    if (oneOff) {
      p.tcp(
          date + "T12:00:00Z",
          "10.1.0.10",
          40003,
          "198.51.100.20",
          80,
          "GET / HTTP/1.1\r\nHost: once.example\r\n\r\n");
    }
    return p;
  }

  private int run(String... args) {
    StringWriter err = new StringWriter();
    int rc = Egret.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertEquals(0, rc, err.toString());
    return rc;
  }

  private static Entry entry(Baseline b, String dest) {
    return b.entries().stream().filter(e -> e.destination().equals(dest)).findFirst().orElseThrow();
  }

  private static void check(Baseline b) {
    Entry recurring = entry(b, "93.184.216.34");
    assertEquals(List.of("2024-03-01", "2024-03-02", "2024-03-03"), recurring.days());
    assertEquals(6, recurring.flows());
    assertEquals(6, recurring.answered());
    assertEquals(List.of(8, 20), recurring.hours());
    Entry once = entry(b, "198.51.100.20");
    assertEquals(List.of("2024-03-02"), once.days());
    assertEquals(1, once.flows());
    assertEquals(List.of("once.example"), b.nameIndex().nameStrings("10.1.0.10", "198.51.100.20"));
  }

  @Test
  void oneCaptureOverThreeDays() throws Exception {
    DayPcap p = new DayPcap();
    day(p, "2024-03-01", false);
    day(p, "2024-03-02", true);
    day(p, "2024-03-03", false);
    Path pcap = p.write(dir.resolve("three-days.pcap"));
    Path state = dir.resolve("b.json");
    run("learn", pcap.toString(), "--baseline", state.toString());
    Baseline b = BaselineJson.read(state);
    check(b);
    assertEquals(2, b.entries().size());
    assertEquals(1, b.sources().size());
  }

  @Test
  void oneCaptureADayLearnedInTurn() throws Exception {
    Path state = dir.resolve("b.json");
    String[] dates = {"2024-03-01", "2024-03-02", "2024-03-03"};
    for (String d : dates) {
      Path pcap = day(new DayPcap(), d, d.endsWith("02")).write(dir.resolve(d + ".pcap"));
      run("learn", pcap.toString(), "--baseline", state.toString());
    }
    Baseline b = BaselineJson.read(state);
    check(b);
    assertEquals(3, b.sources().size());
  }

  @Test
  void perDayBaselinesMerged() throws Exception {
    String[] dates = {"2024-03-01", "2024-03-02", "2024-03-03"};
    String[] states = new String[dates.length];
    for (int i = 0; i < dates.length; i++) {
      Path pcap = day(new DayPcap(), dates[i], i == 1).write(dir.resolve(dates[i] + ".pcap"));
      states[i] = dir.resolve(dates[i] + ".json").toString();
      run("learn", pcap.toString(), "--baseline", states[i]);
    }
    Path merged = dir.resolve("merged.json");
    run("baseline", "merge", states[0], states[1], states[2], "-o", merged.toString());
    check(BaselineJson.read(merged));
  }
}
