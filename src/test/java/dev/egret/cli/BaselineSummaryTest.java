package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.baseline.RandomBaselines;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The summary line counts distinct hosts, destinations, names and days as plain sets do. */
class BaselineSummaryTest {
  @Test
  void countsAsSetsOfEveryEntryDo() {
    RandomBaselines gen = new RandomBaselines(1130);
    for (int i = 0; i < 300; i++) {
      Baseline b = gen.next();
      Set<String> dests = new HashSet<>();
      Set<String> days = new HashSet<>();
      Set<String> names = new HashSet<>();
      for (Entry e : b.entries()) {
        dests.add(e.destination());
        days.addAll(e.days());
      }
      b.names().forEach(n -> names.add(n.name()));
      String line = BaselineSummary.of(b, "b.json");
      String expected =
          "egret: baseline b.json: "
              + b.hosts().size()
              + " hosts, "
              + dests.size()
              + " destinations, "
              + b.entries().size()
              + " host/destination/port entries, "
              + names.size()
              + " names, "
              + b.sources().size()
              + (b.sources().size() == 1 ? " capture" : " captures")
              + "; window ";
      assertEquals(expected, line.substring(0, Math.min(line.length(), expected.length())), line);
      if (b.windowStartNs() != null) {
        String d = days.size() + (days.size() == 1 ? " day" : " days") + " with egress)";
        assertEquals(true, line.endsWith(" (" + d), line);
      } else {
        assertEquals(true, line.endsWith("; window no traffic"), line);
      }
    }
  }
}
