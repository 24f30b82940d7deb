package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.DayPcap;
import dev.egret.baseline.Entry;
import dev.egret.baseline.NameRecord;
import dev.egret.baseline.QueryRecord;
import dev.egret.baseline.SourceRecord;
import dev.egret.baseline.SummaryRecord;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code egret baseline show|export|merge}, with hostile names in the baseline. */
class BaselineCommandTest {
  private static final String EVIL = "\u001b[31mevil\nname";
  private static final String FORMULA = "=cmd|' /C calc'!A0";

  @TempDir Path dir;

  private static Entry entry(String host, String dest, int port, long flows) {
    return new Entry(
        host,
        dest,
        "tcp",
        port,
        false,
        flows,
        flows,
        0,
        0,
        flows,
        100 * flows,
        flows,
        100 * flows,
        1_709_542_800_000_000_000L,
        1_709_542_900_000_000_000L,
        List.of("2024-03-04"),
        List.of(9),
        0,
        0,
        0);
  }

  /**
   * A hand-made baseline: a quiet host, a busy one, and names meant to break output (addresses are
   * checked when a baseline is read, names are free text from the wire).
   */
  private Path hostile() throws IOException {
    List<Entry> entries =
        List.of(
            entry("10.0.0.1", "192.0.2.10", 443, 2),
            entry("10.0.0.2", "192.0.2.20", 443, 40),
            entry("10.0.0.2", "192.0.2.30", 80, 7),
            entry("10.0.0.3", "192.0.2.40", 22, 1));
    List<NameRecord> names =
        List.of(
            new NameRecord("10.0.0.1", "192.0.2.10", EVIL, "sni", 3, 1, 2, 0),
            new NameRecord("10.0.0.2", "192.0.2.20", FORMULA, "dns", 9, 1, 2, 60),
            new NameRecord("10.0.0.2", "192.0.2.30", "plain.example", "http-host", 1, 1, 2, 0),
            new NameRecord(
                "10.0.0.3", "192.0.2.40", "=HYPERLINK(\"x\")\u001b[2J", "dns", 1, 1, 2, 0));
    List<QueryRecord> queries =
        List.of(new QueryRecord("10.0.0.2", "nx\u001b]0;title\u0007.example", 1, 1, 1, 2));
    Baseline b =
        new Baseline(
            Baseline.SCHEMA,
            "test",
            1L,
            2L,
            List.of(new SourceRecord("file", "hand.pcap", "ab".repeat(32), 1, 2, 3)),
            null,
            entries,
            names,
            queries);
    Path f = dir.resolve("hostile.json");
    BaselineJson.write(f, b);
    return f;
  }

  private static void noControlCharacters(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      assertFalse(c < 0x20 && c != '\n' || c == 0x7f, "raw control 0x" + Integer.toHexString(c));
    }
  }

  @Test
  void showCountsAHostsDestinationsAsAddressesAndItsEntriesApart() throws IOException {
    Path b = dir.resolve("web.json");
    Cli.run(
            "learn",
            "captures/webserver.pcapng",
            "--internal",
            "10.20.0.0/24,fd20::/64",
            "-b",
            b.toString())
        .ok();
    Cli c = Cli.run("baseline", "show", b.toString()).ok();
    assertEquals(
        List.of(
            "host 10.20.0.10: 5 destinations, 7 entries, 21 flows",
            "host fd20::10: 1 destination, 3 entries, 5 flows"),
        c.out().lines().filter(l -> l.startsWith("host ")).toList());
  }

  @Test
  void showOfOneHostTakesItsAddressInAnySpellingAndSaysWhenItIsNotThere() throws IOException {
    Path b = dir.resolve("web.json");
    Cli.run(
            "learn",
            "captures/webserver.pcapng",
            "--internal",
            "10.20.0.0/24,fd20::/64",
            "-b",
            b.toString())
        .ok();
    Cli v6 = Cli.run("baseline", "show", b.toString(), "--host", "fd20:0:0:0::10").ok();
    assertEquals(
        List.of("host fd20::10: 1 destination, 3 entries, 5 flows"),
        v6.out().lines().filter(l -> l.startsWith("host ")).toList());
    Cli absent = Cli.run("baseline", "show", b.toString(), "--host", "10.20.0.99").ok();
    assertEquals(
        "egret: baseline show: 10.20.0.99 started no connection in " + b + "\n", absent.err());
    Cli typo = Cli.run("baseline", "show", b.toString(), "--host", "10.20.0");
    assertEquals(2, typo.rc());
    assertEquals("egret: --host: not an IP address: \"10.20.0\"\n", typo.err());
    assertEquals("", typo.out());
  }

  @Test
  void showListsHostsMostUsedFirstAndEscapesNames() throws IOException {
    Cli c = Cli.run("baseline", "show", hostile().toString()).ok();
    noControlCharacters(c.out());
    List<String> hosts = c.out().lines().filter(l -> l.startsWith("host ")).toList();
    assertEquals(3, hosts.size(), c.out());
    assertEquals("host 10.0.0.2: 2 destinations, 2 entries, 47 flows", hosts.get(0));
    assertEquals("host 10.0.0.1: 1 destination, 1 entry, 2 flows", hosts.get(1));
    assertEquals("host 10.0.0.3: 1 destination, 1 entry, 1 flows", hosts.get(2));
    assertTrue(c.out().contains("=HYPERLINK(\"x\")\\u001b[2J"), c.out());
    assertTrue(c.out().contains("\\u001b[31mevil\\nname"), c.out());
    assertTrue(
        c.out().contains("queried, never connected: nx\\u001b]0;title\\u0007.example (failed 1)"),
        c.out());
    List<String> busy = c.out().lines().dropWhile(l -> !l.startsWith("host 10.0.0.2")).toList();
    assertTrue(busy.get(2).contains("192.0.2.20") && busy.get(2).contains(FORMULA), busy.get(2));
    assertTrue(
        busy.get(3).contains("192.0.2.30") && busy.get(3).contains("plain.example"), busy.get(3));
  }

  @Test
  void showOneHostWithALimit() throws IOException {
    Cli c =
        Cli.run("baseline", "show", hostile().toString(), "--host", "10.0.0.2", "--limit", "1")
            .ok();
    assertEquals(1, c.out().lines().filter(l -> l.startsWith("host ")).count(), c.out());
    assertTrue(c.out().contains("  ... 1 more"), c.out());
  }

  @Test
  void exportNeutralisesFormulasAndKeepsOneLinePerRecord() throws IOException {
    Cli c = Cli.run("baseline", "export", "--csv", hostile().toString()).ok();
    assertEquals(c.out(), Cli.run("baseline", "export", hostile().toString()).ok().out());
    noControlCharacters(c.out());
    List<String> lines = c.out().lines().toList();
    assertEquals(5, lines.size(), "header and one line per entry:\n" + c.out());
    assertTrue(
        lines.get(0).startsWith("host,destination,internal,protocol,port,flows,"), lines.get(0));
    List<CSVRecord> rows = new ArrayList<>();
    CSVFormat.RFC4180
        .builder()
        .setHeader()
        .setSkipHeaderRecord(true)
        .build()
        .parse(new StringReader(c.out()))
        .forEach(rows::add);
    assertEquals(4, rows.size());
    for (CSVRecord r : rows) {
      for (String cell : r) {
        assertFalse(cell.matches("^[=+\\-@].*"), "formula cell: " + cell);
      }
    }
    CSVRecord busy =
        rows.stream().filter(r -> r.get("destination").equals("192.0.2.20")).findFirst().get();
    assertEquals("'" + FORMULA, busy.get("names"));
    assertEquals("40", busy.get("flows"));
    CSVRecord evil =
        rows.stream().filter(r -> r.get("destination").equals("192.0.2.10")).findFirst().get();
    assertEquals("\\u001b[31mevil\\nname", evil.get("names"));
    CSVRecord odd =
        rows.stream().filter(r -> r.get("destination").equals("192.0.2.40")).findFirst().get();
    assertTrue(odd.get("names").startsWith("'="), odd.get("names"));
  }

  @Test
  void exportToAFile() throws IOException {
    Path out = dir.resolve("b.csv");
    Cli c = Cli.run("baseline", "export", "--csv", hostile().toString(), "-o", out.toString()).ok();
    assertEquals("", c.out());
    assertEquals(5, Files.readAllLines(out).size());
  }

  private Path learned(String name, String date) throws IOException {
    Path pcap =
        new DayPcap()
            .tcp(date + "T10:00:00Z", "10.1.0.10", 40001, "93.184.216.34", 443, null)
            .write(dir.resolve(name + ".pcap"));
    Path state = dir.resolve(name + ".json");
    Cli.run("learn", pcap.toString(), "--baseline", state.toString()).ok();
    return state;
  }

  @Test
  void mergeAddsBaselines() throws IOException {
    Path a = learned("a", "2024-03-04");
    Path b = learned("b", "2024-03-05");
    Path c = dir.resolve("c.json");
    Cli r = Cli.run("baseline", "merge", a.toString(), b.toString(), "-o", c.toString()).ok();
    assertTrue(r.err().startsWith("egret: baseline " + c + ": 1 hosts, 1 destinations"), r.err());
    Baseline m = BaselineJson.read(c);
    assertEquals(2, m.sources().size());
    assertEquals(2, m.entries().get(0).flows());
    assertEquals(List.of("2024-03-04", "2024-03-05"), m.entries().get(0).days());
    Path c2 = dir.resolve("c2.json");
    Cli.run("baseline", "merge", b.toString(), a.toString(), "-o", c2.toString()).ok();
    assertArrayEquals(Files.readAllBytes(c), Files.readAllBytes(c2), "order does not matter");
  }

  @Test
  void mergeKeepsTheMostUsedEntriesWithinMaxEntriesAndSaysWhatItSummarised() throws IOException {
    Path a =
        new DayPcap()
            .tcp("2024-03-04T10:00:00Z", "10.1.0.10", 40001, "93.184.216.34", 443, null)
            .tcp("2024-03-04T10:05:00Z", "10.1.0.10", 40002, "93.184.216.34", 443, null)
            .write(dir.resolve("two.pcap"));
    Path b =
        new DayPcap()
            .tcp("2024-03-05T10:00:00Z", "10.1.0.10", 40003, "198.51.100.7", 443, null)
            .write(dir.resolve("one.pcap"));
    Path ba = dir.resolve("a.json");
    Path bb = dir.resolve("b.json");
    Cli.run("learn", a.toString(), "--baseline", ba.toString()).ok();
    Cli.run("learn", b.toString(), "--baseline", bb.toString()).ok();
    Path c = dir.resolve("c.json");
    Cli r =
        Cli.run(
                "baseline",
                "merge",
                ba.toString(),
                bb.toString(),
                "-o",
                c.toString(),
                "--max-entries",
                "1")
            .ok();
    assertTrue(
        r.err()
            .endsWith(
                "egret: warning: entry limit reached (--max-entries 1): 1 entries of the merged"
                    + " baseline (1 flows, the least used) summarised per host and port, not kept"
                    + " per destination; raise --max-entries, with a larger heap"
                    + " (EGRET_JAVA_OPTS=-Xmx4g) above 1,000,000\n"),
        r.err());
    Baseline m = BaselineJson.read(c);
    assertEquals(1, m.entries().size());
    assertEquals("93.184.216.34", m.entries().get(0).destination());
    assertEquals(2, m.entries().get(0).flows());
    assertEquals(1, m.summaries().size());
    SummaryRecord s = m.summaries().get(0);
    assertEquals("entry-limit", s.reason());
    assertEquals(1, s.flows());
    assertEquals(List.of("198.51.100.7"), s.sample());
    Cli all = Cli.run("baseline", "merge", ba.toString(), bb.toString(), "-o", c.toString()).ok();
    assertFalse(all.err().contains("entry limit"), all.err());
    assertEquals(2, BaselineJson.read(c).entries().size());
    Cli bad =
        Cli.run(
            "baseline",
            "merge",
            ba.toString(),
            bb.toString(),
            "-o",
            c.toString(),
            "--max-entries",
            "0");
    assertEquals(2, bad.rc());
    assertEquals("egret: --max-entries must be at least 1: 0\n", bad.err());
  }

  @Test
  void mergeRefusesACaptureInBoth() throws IOException {
    Path a = learned("a", "2024-03-04");
    Path b = dir.resolve("b.json");
    Files.copy(a, b);
    Path c = dir.resolve("c.json");
    Cli r = Cli.run("baseline", "merge", a.toString(), b.toString(), "-o", c.toString());
    assertEquals(2, r.rc());
    assertTrue(
        r.err().startsWith("egret: " + b + ": both baselines absorbed capture a.pcap"), r.err());
    assertTrue(r.err().contains("merging would count it twice"), r.err());
    assertFalse(Files.exists(c));
  }

  @Test
  void mergeNeedsTwoInputsAndAnOutput() throws IOException {
    Path a = learned("a", "2024-03-04");
    assertEquals(
        2, Cli.run("baseline", "merge", a.toString(), "-o", dir.resolve("x.json").toString()).rc());
    assertEquals(2, Cli.run("baseline", "merge", a.toString(), a.toString()).rc());
  }

  @Test
  void newerSchemaIsRefusedByEveryCommand() throws IOException {
    Path f = dir.resolve("future.json");
    Files.writeString(f, "{\"schemaVersion\": \"2.1\"}");
    for (String[] args :
        List.of(
            new String[] {"baseline", "show", f.toString()},
            new String[] {"baseline", "export", "--csv", f.toString()},
            new String[] {
              "baseline",
              "merge",
              f.toString(),
              f.toString(),
              "-o",
              dir.resolve("x.json").toString()
            })) {
      Cli r = Cli.run(args);
      assertEquals(2, r.rc(), String.join(" ", args));
      assertTrue(r.err().startsWith("egret: " + f + ": baseline schema 2.1 is newer"), r.err());
    }
  }

  @Test
  void missingBaselineIsNamed() {
    Path f = dir.resolve("none.json");
    Cli r = Cli.run("baseline", "show", f.toString());
    assertEquals(2, r.rc());
    assertEquals("egret: " + f + ": no such file", r.err().strip());
  }

  @Test
  void subcommandsHaveHelp() {
    for (String sub : List.of("merge", "show", "export")) {
      Cli r = Cli.run("baseline", sub, "--help").ok();
      assertTrue(r.out().contains("Usage: egret baseline " + sub), r.out());
    }
  }
}
