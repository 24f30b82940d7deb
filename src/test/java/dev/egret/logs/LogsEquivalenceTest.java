package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For every real capture with a full Zeek conn.log beside it, the baseline {@code egret learn}
 * makes from the capture and the one it makes from Zeek's logs of that capture (conn.log, and
 * dns.log, ssl.log and http.log where present) must agree on hosts, destinations, protocols, ports
 * and names: the (host, destination, protocol, port) entries, the (host, address, name, source)
 * names and the (host, name) questions. Every host is inside ({@code 0.0.0.0/0,::/0}) so that all
 * egress is compared. Each difference that remains must be listed with its reason in {@code
 * logs/expected-differences.tsv}; an unlisted one fails, and so does a listed one that no longer
 * occurs.
 *
 * <p>The logs are btest baselines whose {@code ts} column is masked ({@code XXXXXXXXXX.XXXXXX}, see
 * SOURCES.md): egret refuses such a row as malformed, so the test writes a copy with one fixed time
 * in its place. Times are not compared; everything else is read as Zeek wrote it.
 */
class LogsEquivalenceTest {
  private static final String MASK = "XXXXXXXXXX.XXXXXX";
  private static final String EXPECTED = "/logs/expected-differences.tsv";

  @TempDir Path dir;

  @Test
  void baselineFromZeekLogsAgreesWithBaselineFromThePackets() throws IOException {
    Path zeek = SharedPcaps.dir().resolve("real/zeek");
    List<Path> connLogs;
    try (Stream<Path> s = Files.walk(zeek)) {
      connLogs =
          s.filter(p -> p.getFileName().toString().endsWith(".conn.log"))
              .filter(LogsEquivalenceTest::hasFields)
              .sorted()
              .toList();
    }
    assertTrue(connLogs.size() >= 20, "only " + connLogs.size() + " full conn.logs");
    Set<String> found = new TreeSet<>();
    int compared = 0;
    for (Path conn : connLogs) {
      String rel = zeek.relativize(conn).toString();
      String stem = rel.substring(0, rel.length() - ".conn.log".length());
      Path capture = capture(zeek, stem);
      if (capture == null) {
        continue; // a variant conn.log (q-in-q.vlan-logging) shares its capture's stem
      }
      Baseline fromPackets = BaselineFacts.learn(dir, List.of(capture.toString()), stem + ".pcap");
      List<String> logs = new ArrayList<>();
      logs.add(unmasked(conn, stem, "conn").toString());
      for (String other : List.of("dns", "ssl", "http")) {
        Path f = zeek.resolve(stem + "." + other + ".log");
        if (Files.isRegularFile(f)) {
          logs.add(unmasked(f, stem, other).toString());
        }
      }
      Baseline fromLogs = BaselineFacts.learn(dir, logs, stem + ".logs");
      compared++;
      BaselineFacts.diff(stem, BaselineFacts.of(fromPackets), BaselineFacts.of(fromLogs), found);
    }
    BaselineFacts.assertListed(found, EXPECTED);
    assertTrue(compared >= 20, "compared " + compared + " captures");
  }

  private static boolean hasFields(Path p) {
    try {
      return Files.readString(p, StandardCharsets.ISO_8859_1).contains("\n#fields\t");
    } catch (IOException e) {
      return false;
    }
  }

  private static Path capture(Path zeek, String stem) {
    for (String ext : List.of(".pcap", ".pcapng")) {
      Path p = zeek.resolve(stem + ext);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  private Path unmasked(Path log, String stem, String kind) throws IOException {
    Path out = dir.resolve(stem.replace('/', '_') + "." + kind + ".log");
    String text = Files.readString(log, StandardCharsets.ISO_8859_1);
    Files.writeString(out, text.replace(MASK, "1300000000.000000"), StandardCharsets.ISO_8859_1);
    return out;
  }
}
