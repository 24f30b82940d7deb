package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every capture in the shared malformed corpus (crafted and fuzzed packets, odd link types, bad
 * timestamps, truncations) goes through {@code egret flows} and {@code egret learn} in-process.
 * Each run must end within {@link #LIMIT} either with exit 0 (bad packets counted and skipped) or
 * with exit 2 and one line on stderr that names the file; never exit 1, never a stack trace.
 */
class MalformedCorpusTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);

  @TempDir Path tmp;

  /** A run's outcome. */
  record Run(int exit, String out, String err) {}

  @TestFactory
  Stream<DynamicTest> flowsOnEveryMalformedCapture() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path f : captures()) {
      tests.add(
          DynamicTest.dynamicTest(
              name(f),
              () -> {
                Run r = run("flows", f.toString());
                checkOutcome(f, r);
                if (r.exit() == ExitCodes.OK) {
                  assertTrue(
                      r.out().startsWith(String.join(",", FlowsCommand.HEADER) + "\n"),
                      "flows output starts with the CSV header: " + r.out());
                  assertTrue(r.err().contains(" packets in 1 file"), "summary on stderr");
                }
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> learnOnEveryMalformedCapture() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    int[] n = {0};
    for (Path f : captures()) {
      tests.add(
          DynamicTest.dynamicTest(
              name(f),
              () -> {
                Path baseline = tmp.resolve("baseline-" + n[0]++ + ".json");
                Run r = run("learn", f.toString(), "--baseline", baseline.toString());
                checkOutcome(f, r);
                assertEquals(
                    r.exit() == ExitCodes.OK,
                    Files.isRegularFile(baseline),
                    "a baseline is written exactly when learn succeeds");
              }));
    }
    return tests.stream();
  }

  private static void checkOutcome(Path f, Run r) {
    assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
    assertFalse(r.err().contains("internal error"), "no internal error:\n" + r.err());
    if (r.exit() == ExitCodes.OK) {
      return;
    }
    assertEquals(ExitCodes.USAGE, r.exit(), "exit 0 or 2, got " + r.exit() + ":\n" + r.err());
    String[] lines = r.err().split("\n");
    assertEquals(1, lines.length, "one line on stderr:\n" + r.err());
    assertTrue(lines[0].startsWith("egret: "), lines[0]);
    assertTrue(lines[0].contains(f.toString()), "the error names the file: " + lines[0]);
  }

  private static Run run(String... args) {
    return assertTimeoutPreemptively(
        LIMIT,
        () -> {
          StringWriter out = new StringWriter();
          StringWriter err = new StringWriter();
          int exit = Egret.run(args, new PrintWriter(out), new PrintWriter(err));
          return new Run(exit, out.toString(), err.toString());
        },
        () -> "egret " + String.join(" ", args) + " did not finish in " + LIMIT);
  }

  private static String name(Path f) {
    return SharedPcaps.dir().resolve("malformed").relativize(f).toString();
  }

  /**
   * Every file under {@code malformed/} named as a capture or starting with a pcap, pcapng or gzip
   * magic number.
   */
  static List<Path> captures() throws IOException {
    Path root = SharedPcaps.dir().resolve("malformed");
    List<Path> found;
    try (Stream<Path> s = Files.walk(root)) {
      found = s.filter(Files::isRegularFile).sorted().toList();
    }
    List<Path> captures = new ArrayList<>();
    for (Path p : found) {
      String n = p.getFileName().toString();
      if (n.endsWith(".pcap") || n.endsWith(".pcapng") || hasCaptureMagic(p)) {
        captures.add(p);
      }
    }
    assertTrue(captures.size() >= 100, "malformed corpus has " + captures.size() + " captures");
    return captures;
  }

  private static boolean hasCaptureMagic(Path p) throws IOException {
    byte[] b;
    try (InputStream in = Files.newInputStream(p)) {
      b = in.readNBytes(4);
    }
    if (b.length < 4) {
      return false;
    }
    int magic = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    return magic == 0xa1b2c3d4
        || magic == 0xd4c3b2a1
        || magic == 0xa1b23c4d
        || magic == 0x4d3cb2a1
        || magic == 0x0a0d0d0a
        || (magic >>> 16) == 0x1f8b;
  }
}
