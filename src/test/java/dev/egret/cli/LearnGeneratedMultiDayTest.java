package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Entry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code captures/multiday.pcap}, made by {@code egret synth --days 3} (scripts/make-captures):
 * each host's usual destinations recur every day, and every day adds one-off names ({@code
 * dN-M.oneoff.example.net}) that must show up on exactly one day.
 */
class LearnGeneratedMultiDayTest {
  @TempDir Path dir;

  @Test
  void daysSeenCountRecurringAndOneOffDestinations() throws Exception {
    Path baseline = dir.resolve("b.json");
    StringWriter err = new StringWriter();
    int rc =
        Egret.run(
            new String[] {"learn", "captures/multiday.pcap", "-b", baseline.toString()},
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertEquals(0, rc, err.toString());
    assertTrue(err.toString().contains("(3 days with egress)"), err.toString());
    Baseline b = BaselineJson.read(baseline);
    Baseline.NameIndex names = b.nameIndex();
    int everyDay = 0;
    int oneOffs = 0;
    for (Entry e : b.entries()) {
      List<String> ns = names.nameStrings(e.host(), e.destination());
      boolean oneOff = ns.stream().anyMatch(n -> n.endsWith(".oneoff.example.net"));
      if (oneOff) {
        oneOffs++;
        assertEquals(1, e.days().size(), e + " " + ns);
        String day = ns.get(0).substring(1, 2); // d1-..., d2-..., d3-...
        assertEquals("2024-03-0" + (3 + Integer.parseInt(day)), e.days().get(0), ns.toString());
      }
      if (e.days().size() == 3) {
        everyDay++;
        assertFalse(oneOff, e.toString());
        assertEquals(List.of("2024-03-04", "2024-03-05", "2024-03-06"), e.days());
      }
    }
    assertTrue(oneOffs >= 3, "one-off destinations learned: " + oneOffs);
    assertTrue(everyDay >= 3, "destinations seen on all three days: " + everyDay);
  }
}
