package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.testutil.Requirements;
import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For every real capture under {@code ../shared/pcaps/real/zeek/} and {@code
 * real/suricata-verify/}, Suricata ({@code suricata -r}, no rules, checksums ignored, flow timeouts
 * of a day so that every flow is logged once, at the end of the capture) writes EVE; the baseline
 * {@code egret learn} makes from the capture and the one it makes from that EVE file must agree on
 * hosts, destinations, protocols, ports and names, as {@link LogsEquivalenceTest} compares them for
 * Zeek, and, for the entries on both sides, on how their flows ended (answered, never answered,
 * refused), which checks EVE's state mapping. Each difference that remains is listed with its
 * reason in {@code logs/eve-expected-differences.tsv}; an unlisted one fails, and so does a listed
 * one that no longer occurs. A capture Suricata cannot read is a difference too ({@code
 * suricata-failed}).
 *
 * <p>Suricata writes two EVE files in the same run: one with the DNS answers in version 2's {@code
 * answers[]} list ("detailed"), one with them in {@code grouped}; both must give the same facts.
 * (Suricata 7 writes only DNS version 2; version 3 is read in {@link EveReaderTest}.)
 *
 * <p>Needs {@code suricata} (installed by {@code scripts/test}) and the shared captures: skipped
 * without them, a failure under {@code CI=true}.
 */
class EveEquivalenceTest {
  private static final String EXPECTED = "/logs/eve-expected-differences.tsv";
  private static final int PARALLEL = 2;
  private static final long TIMEOUT_SECONDS = 60;

  @TempDir Path dir;

  @Test
  void baselineFromSuricataEveAgreesWithBaselineFromThePackets() throws Exception {
    String suricata = Requirements.which("suricata");
    if (suricata == null) {
      Requirements.unavailable("suricata is not installed (scripts/test installs it as root)");
    }
    Path real = SharedPcaps.dir().resolve("real");
    List<Path> captures = new ArrayList<>();
    for (String sub : List.of("zeek", "suricata-verify")) {
      try (Stream<Path> s = Files.walk(real.resolve(sub))) {
        s.filter(Files::isRegularFile)
            .filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
            .sorted()
            .forEach(captures::add);
      }
    }
    assertTrue(captures.size() >= 50, "only " + captures.size() + " captures");
    Path config = dir.resolve("suricata.yaml");
    Files.writeString(config, CONFIG, StandardCharsets.UTF_8);
    Path rules = dir.resolve("empty.rules");
    Files.writeString(rules, "");
    List<Run> runs = new ArrayList<>();
    for (Path c : captures) {
      String rel = real.relativize(c).toString();
      String stem = rel.substring(0, rel.lastIndexOf('.'));
      runs.add(new Run(stem, c, dir.resolve("eve").resolve(stem)));
    }
    runAll(suricata, config, rules, runs);

    Set<String> found = new TreeSet<>();
    int agree = 0;
    for (Run r : runs) {
      Baseline fromPackets =
          BaselineFacts.learn(dir, List.of(r.capture.toString()), r.stem + ".pcap");
      Set<String> packets = BaselineFacts.of(fromPackets);
      if (r.exit != 0) {
        found.add(r.stem + "\tsuricata-failed");
        continue;
      }
      Baseline fromEve = learnEve(r, "eve.json");
      Set<String> detailed = BaselineFacts.of(fromEve);
      Set<String> grouped = BaselineFacts.of(learnEve(r, "eve-grouped.json"));
      assertEquals(detailed, grouped, r.stem + ": DNS answers grouped and detailed differ");
      int before = found.size();
      BaselineFacts.diff(r.stem, packets, detailed, found);
      BaselineFacts.diffOutcomes(
          r.stem, BaselineFacts.outcomes(fromPackets), BaselineFacts.outcomes(fromEve), found);
      if (found.size() == before) {
        agree++;
      }
    }
    System.out.println("EveEquivalenceTest: " + agree + " of " + runs.size() + " captures agree");
    BaselineFacts.assertListed(found, EXPECTED);
  }

  private Baseline learnEve(Run r, String file) throws IOException {
    Path eve = r.out.resolve(file);
    assertTrue(Files.isRegularFile(eve), r.stem + ": Suricata wrote no " + file);
    return BaselineFacts.learn(dir, List.of(eve.toString()), r.stem + "." + file);
  }

  /** One capture's Suricata run. */
  private static final class Run {
    final String stem;
    final Path capture;
    final Path out;
    Process process;
    int exit = -1;

    Run(String stem, Path capture, Path out) {
      this.stem = stem;
      this.capture = capture;
      this.out = out;
    }
  }

  /** Runs Suricata on every capture, {@link #PARALLEL} at a time, each with its own log dir. */
  private static void runAll(String suricata, Path config, Path rules, List<Run> runs)
      throws IOException, InterruptedException {
    Deque<Run> waiting = new ArrayDeque<>(runs);
    Deque<Run> running = new ArrayDeque<>();
    while (!waiting.isEmpty() || !running.isEmpty()) {
      while (running.size() < PARALLEL && !waiting.isEmpty()) {
        Run r = waiting.poll();
        Files.createDirectories(r.out);
        r.process =
            new ProcessBuilder(
                    suricata,
                    "-c",
                    config.toString(),
                    "-S",
                    rules.toString(),
                    "-k",
                    "none",
                    "--runmode",
                    "single",
                    "-r",
                    r.capture.toString(),
                    "-l",
                    r.out.toString())
                .redirectErrorStream(true)
                .redirectOutput(r.out.resolve("suricata.out").toFile())
                .start();
        running.add(r);
      }
      Run r = running.poll();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      while (!r.process.waitFor(100, TimeUnit.MILLISECONDS)) {
        // A link type Suricata cannot read fails its reader thread at once, yet Suricata then
        // waits a minute for it before it exits: stop it as soon as it says so.
        if (System.nanoTime() > deadline
            || Files.readString(r.out.resolve("suricata.out")).contains("failed to initialize")) {
          r.process.destroyForcibly().waitFor();
        }
      }
      r.exit = r.process.exitValue();
    }
  }

  /**
   * Suricata's configuration: EVE with flow, dns (version 2, detailed and grouped in two files),
   * tls, http and quic; flows time out after a day, so each is logged once when the capture ends.
   */
  private static final String CONFIG =
      """
      %YAML 1.1
      ---
      logging:
        default-log-level: error
        outputs:
          - console:
              enabled: yes
      stats:
        enabled: no
      outputs:
        - eve-log:
            enabled: yes
            filetype: regular
            filename: eve.json
            types:
              - flow
              - dns:
                  version: 2
                  formats: [detailed]
              - tls:
                  extended: yes
              - http:
                  extended: yes
              - quic
        - eve-log:
            enabled: yes
            filetype: regular
            filename: eve-grouped.json
            types:
              - flow
              - dns:
                  version: 2
                  formats: [grouped]
              - tls:
                  extended: yes
              - http:
                  extended: yes
              - quic
      flow-timeouts:
      """
          + timeouts("default")
          + timeouts("tcp")
          + timeouts("udp")
          + timeouts("icmp");

  private static String timeouts(String proto) {
    StringBuilder b = new StringBuilder("  " + proto + ":\n");
    for (String k : List.of("new", "established", "closed", "bypassed")) {
      b.append("    ").append(k).append(": 86400\n");
      b.append("    emergency-").append(k).append(": 86400\n");
    }
    return b.toString();
  }
}
