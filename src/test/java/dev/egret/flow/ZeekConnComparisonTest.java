package dev.egret.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.egret.capture.CaptureFiles;
import dev.egret.capture.PacketSource;
import dev.egret.flow.ZeekConnLog.Tuple;
import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every real capture that has a Zeek conn.log beside it and compares the connections egret
 * finds with Zeek's: the multiset of (initiator, initiator port, responder, responder port, proto)
 * against Zeek's (orig_h, orig_p, resp_h, resp_p, proto). Each difference that remains must be
 * listed, with its reason, in {@code zeek/expected-differences.tsv}; an unlisted difference fails
 * the trace's test, and so does a listed one that no longer occurs. The match rate (matched tuples
 * over Zeek rows) is printed per trace and overall.
 */
class ZeekConnComparisonTest {
  private static final String EXPECTED = "/zeek/expected-differences.tsv";
  private static final String ZEEK_ONLY = "zeek-only";
  private static final String EGRET_ONLY = "egret-only";

  /** One listed or found difference. */
  record Difference(String trace, String side, String tuple) implements Comparable<Difference> {
    @Override
    public int compareTo(Difference o) {
      return (trace + "\t" + side + "\t" + tuple)
          .compareTo(o.trace + "\t" + o.side + "\t" + o.tuple);
    }

    String tsv(String reason) {
      return trace + "\t" + side + "\t" + tuple + "\t" + reason;
    }
  }

  /** The outcome for one conn.log. */
  record Comparison(
      String trace,
      Path capture,
      int zeekRows,
      int tunnelledRows,
      int egretFlows,
      int matched,
      Map<Difference, Integer> differences,
      String note) {}

  @TestFactory
  Stream<DynamicTest> egretFindsTheConnectionsZeekLogged() throws IOException {
    Path real = SharedPcaps.dir().resolve("real");
    Map<Difference, Integer> listed = new TreeMap<>();
    Map<Difference, String> reasons = new TreeMap<>();
    readExpected(listed, reasons);

    List<Comparison> results = new ArrayList<>();
    for (Path log : connLogs(real)) {
      results.add(compare(real, log));
    }
    report(results);

    Set<String> traces = results.stream().map(Comparison::trace).collect(Collectors.toSet());
    List<DynamicTest> tests = new ArrayList<>();
    tests.add(
        DynamicTest.dynamicTest(
            "every listed trace has a conn.log",
            () -> {
              Set<String> unknown = new TreeSet<>();
              for (Difference d : listed.keySet()) {
                if (!traces.contains(d.trace())) {
                  unknown.add(d.trace());
                }
              }
              assertTrue(unknown.isEmpty(), "listed traces with no conn.log: " + unknown);
            }));
    tests.add(
        DynamicTest.dynamicTest(
            "conn.logs were found",
            () -> assertTrue(results.size() >= 30, "only " + results.size() + " conn.logs")));
    for (Comparison c : results) {
      tests.add(DynamicTest.dynamicTest(c.trace(), () -> check(c, listed, reasons)));
    }
    return tests.stream();
  }

  private static void check(
      Comparison c, Map<Difference, Integer> listed, Map<Difference, String> reasons) {
    if (c.note() != null) {
      assertTrue(c.egretFlows() > 0, c.trace() + ": " + c.note() + ", yet egret found no flows");
      assertFalse(
          listed.keySet().stream().anyMatch(d -> d.trace().equals(c.trace())),
          c.trace() + " has no tuples to compare, so nothing may be listed for it");
      return;
    }
    List<String> unlisted = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    Set<Difference> all = new TreeSet<>(c.differences().keySet());
    listed.keySet().stream().filter(d -> d.trace().equals(c.trace())).forEach(all::add);
    for (Difference d : all) {
      int found = c.differences().getOrDefault(d, 0);
      int expected = listed.getOrDefault(d, 0);
      for (int i = expected; i < found; i++) {
        unlisted.add(d.tsv("?"));
      }
      for (int i = found; i < expected; i++) {
        stale.add(d.tsv(reasons.get(d)));
      }
    }
    if (!unlisted.isEmpty() || !stale.isEmpty()) {
      fail(
          c.trace()
              + ": differences from Zeek not as listed in "
              + EXPECTED
              + "\nunlisted (fix egret or add with a reason):\n"
              + lines(unlisted)
              + "\nlisted but no longer found (remove):\n"
              + lines(stale));
    }
  }

  private static String lines(List<String> l) {
    return l.isEmpty() ? "  (none)" : "  " + String.join("\n  ", l);
  }

  /** Every conn.log baseline under {@code real}, variants and zeek-cut subsets included. */
  private static List<Path> connLogs(Path real) throws IOException {
    try (Stream<Path> s = Files.walk(real)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".conn.log") || n.endsWith(".conn.log.cut");
              })
          .sorted()
          .toList();
    }
  }

  /**
   * {@code <stem>[.<variant>].conn.log[.cut]} belongs to {@code <stem>.pcap} or {@code .pcapng}.
   */
  static Path captureFor(Path log) {
    String name = log.getFileName().toString();
    String stem = name.substring(0, name.indexOf(".conn.log"));
    while (true) {
      for (String ext : List.of(".pcap", ".pcapng")) {
        Path p = log.resolveSibling(stem + ext);
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
      int dot = stem.lastIndexOf('.');
      if (dot < 0) {
        fail("no capture for " + log);
      }
      stem = stem.substring(0, dot);
    }
  }

  private static Comparison compare(Path real, Path log) throws IOException {
    String trace = real.relativize(log).toString().replace('\\', '/');
    Path capture = captureFor(log);
    ZeekConnLog zeek = ZeekConnLog.read(log);
    // Where Zeek found tunnels, egret decapsulates too and both compare inner connections as well.
    boolean tunnels = zeek.tunnelledRows() > 0;
    if (tunnels) {
      zeek = ZeekConnLog.read(log, true);
    }
    List<FlowRecord> flows = replay(capture, tunnels);
    if (!zeek.comparable()) {
      return new Comparison(
          trace,
          capture,
          0,
          zeek.tunnelledRows(),
          flows.size(),
          0,
          Map.of(),
          "no address columns (" + String.join(" ", zeek.columns()) + ")");
    }
    Map<Tuple, Integer> z = new TreeMap<>();
    for (Tuple t : zeek.tuples()) {
      z.merge(t, 1, Integer::sum);
    }
    Map<Tuple, Integer> e = new TreeMap<>();
    for (FlowRecord f : flows) {
      Tuple t = ZeekConnLog.tupleOf(f);
      e.merge(zeek.hasProto() ? t : t.withoutProto(), 1, Integer::sum);
    }
    int matched = 0;
    Map<Difference, Integer> diffs = new TreeMap<>();
    Set<Tuple> keys = new TreeSet<>(z.keySet());
    keys.addAll(e.keySet());
    for (Tuple t : keys) {
      int zn = z.getOrDefault(t, 0);
      int en = e.getOrDefault(t, 0);
      matched += Math.min(zn, en);
      if (zn > en) {
        diffs.put(new Difference(trace, ZEEK_ONLY, t.toString()), zn - en);
      } else if (en > zn) {
        diffs.put(new Difference(trace, EGRET_ONLY, t.toString()), en - zn);
      }
    }
    return new Comparison(
        trace,
        capture,
        zeek.tuples().size(),
        zeek.tunnelledRows(),
        flows.size(),
        matched,
        diffs,
        null);
  }

  /** The pipeline as {@code egret flows} runs it, in-process. */
  static List<FlowRecord> replay(Path capture) throws IOException {
    return replay(capture, false);
  }

  /** As {@code egret flows}, with {@code --decapsulate} when {@code decapsulate}. */
  static List<FlowRecord> replay(Path capture, boolean decapsulate) throws IOException {
    List<FlowRecord> flows = new ArrayList<>();
    FlowPipeline pipeline =
        new FlowPipeline(FlowConfig.defaults().withDecapsulate(decapsulate), flows::add, null);
    try (PacketSource src = CaptureFiles.open(capture.toString())) {
      src.run(pipeline);
    }
    pipeline.flush();
    return flows;
  }

  private static void readExpected(Map<Difference, Integer> listed, Map<Difference, String> why)
      throws IOException {
    try (InputStream in = ZeekConnComparisonTest.class.getResourceAsStream(EXPECTED)) {
      if (in == null) {
        fail("missing test resource " + EXPECTED);
      }
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.startsWith("trace\t"))) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length != 4 || f[3].isBlank() || f[3].equals("?")) {
          fail(EXPECTED + " line " + (i + 1) + ": expected trace, side, tuple, reason: " + line);
        }
        if (!f[1].equals(ZEEK_ONLY) && !f[1].equals(EGRET_ONLY)) {
          fail(EXPECTED + " line " + (i + 1) + ": side must be zeek-only or egret-only: " + f[1]);
        }
        Difference d = new Difference(f[0], f[1], f[2]);
        listed.merge(d, 1, Integer::sum);
        why.putIfAbsent(d, f[3]);
      }
    }
  }

  private static void report(List<Comparison> results) {
    StringBuilder sb =
        new StringBuilder(
            "\negret vs Zeek conn.log (with --decapsulate and inner connections where Zeek found"
                + " tunnels: their count is the last column)\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "%-62s %5s %5s %7s %6s %6s %6s%n",
            "trace",
            "zeek",
            "match",
            "rate",
            "z-only",
            "e-only",
            "tunnel"));
    long zeekRows = 0;
    long matched = 0;
    for (Comparison c : results) {
      if (c.note() != null) {
        sb.append(String.format(Locale.ROOT, "%-62s not compared: %s%n", c.trace(), c.note()));
        continue;
      }
      int zOnly = count(c, ZEEK_ONLY);
      int eOnly = count(c, EGRET_ONLY);
      sb.append(
          String.format(
              Locale.ROOT,
              "%-62s %5d %5d %6.1f%% %6d %6d %6d%n",
              c.trace(),
              c.zeekRows(),
              c.matched(),
              rate(c.matched(), c.zeekRows()),
              zOnly,
              eOnly,
              c.tunnelledRows()));
      zeekRows += c.zeekRows();
      matched += c.matched();
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%-62s %5d %5d %6.1f%%%n",
            "overall",
            zeekRows,
            matched,
            rate(matched, zeekRows)));
    System.out.print(sb);
    assertEquals(results.size(), results.stream().map(Comparison::trace).distinct().count());
  }

  private static int count(Comparison c, String side) {
    return c.differences().entrySet().stream()
        .filter(e -> e.getKey().side().equals(side))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  private static double rate(long matched, long total) {
    return total == 0 ? 100.0 : 100.0 * matched / total;
  }
}
