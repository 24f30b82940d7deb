package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every public capture opens and reads to the end, or fails with a {@link CaptureException} naming
 * the file, in bounded time; packet counts match the {@code pkts} column of SOURCES.md (capinfos).
 */
class SharedCapturesTest {
  private static final Pattern ROW =
      Pattern.compile("^\\| `([^`]+\\.pcap(?:ng)?)` \\| [^|]* \\| [^|]* \\| (\\d+) \\|");

  @TestFactory
  Stream<DynamicTest> everyCaptureReadsOrFailsCleanly() throws IOException {
    Path root = SharedPcaps.dir();
    Map<String, Long> expected = packetCounts(root);
    List<Path> files;
    try (Stream<Path> s =
        Stream.concat(Files.walk(root.resolve("real")), Files.walk(root.resolve("malformed")))) {
      files =
          s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
              .sorted()
              .collect(Collectors.toList());
    }
    assertTrue(files.size() > 200, "expected the whole corpus, found " + files.size());
    return files.stream()
        .map(
            p -> {
              String rel = root.relativize(p).toString().replace('\\', '/');
              return DynamicTest.dynamicTest(rel, () -> check(p, expected.get(rel)));
            });
  }

  private static void check(Path p, Long expectedPackets) {
    String name = p.toString();
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          try {
            Read.Result r = Read.run(CaptureFiles.open(name));
            if (expectedPackets != null) {
              assertEquals(expectedPackets.longValue(), r.stats().packets(), "packets in " + name);
            }
          } catch (CaptureException e) {
            assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
          }
        });
  }

  /** The {@code pkts} column of SOURCES.md by relative path. */
  private static Map<String, Long> packetCounts(Path root) throws IOException {
    Map<String, Long> m = new HashMap<>();
    for (String line : Files.readAllLines(root.resolve("SOURCES.md"))) {
      Matcher x = ROW.matcher(line);
      if (x.find()) {
        m.put(x.group(1), Long.parseLong(x.group(2)));
      }
    }
    if (m.size() < 200) {
      fail("SOURCES.md table not understood: " + m.size() + " rows");
    }
    return m;
  }

  @Test
  void knownCounts() throws IOException {
    assertEquals(136, count("real/zeek/wikipedia.pcap"));
    assertEquals(2282, count("malformed/tcpdump/arp-oobr.pcap"));
    assertEquals(23, count("real/tcpdump/pptp.pcap")); // big-endian
    assertEquals(3, count("real/tcpdump/tcp-handshake-nano.pcap"));
    assertEquals(6, count("real/zeek/pcapng-multi-interface.pcapng"));
    assertEquals(0, count("real/tcpdump/empty.pcapng"));
  }

  private static long count(String rel) throws IOException {
    return Read.run(CaptureFiles.open(SharedPcaps.file(rel).toString())).stats().packets();
  }
}
