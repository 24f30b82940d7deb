package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.egret.baseline.Baseline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus of broken baselines, policies and configs in {@code src/test/resources/broken}: each
 * case in {@code cases.tsv} runs one command on one file and must exit with the exact code and
 * print the exact one line on stderr (file, line, column, field, problem; no Java text). A command
 * that would write leaves its baseline as it was and creates no output.
 */
class BrokenFilesTest {
  static final Path DIR = Path.of("src/test/resources/broken");

  @TempDir Path tmp;

  record Case(String file, String command, int exit, String message) {}

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    for (String line : Files.readAllLines(DIR.resolve("cases.tsv"), StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      assertEquals(4, f.length, "four tab-separated columns: " + line);
      out.add(new Case(f[0], f[1], Integer.parseInt(f[2]), f[3]));
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> everyBrokenFileGetsItsExactMessage() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases()) {
      Path t = tmp.resolve("t" + tests.size());
      tests.add(DynamicTest.dynamicTest(c.file() + ": " + c.command(), () -> check(c, t)));
    }
    return tests.stream();
  }

  private static void check(Case c, Path t) throws IOException {
    // The file is copied so that a command that takes the baseline's lock leaves nothing here.
    Path out = Files.createDirectories(t.resolve("out"));
    Path in = Files.createDirectories(t.resolve("in")).resolve(c.file());
    Files.copy(DIR.resolve(c.file()), in);
    String file = in.toString();
    byte[] before = Files.readAllBytes(in);
    List<String> args = new ArrayList<>();
    for (String a : c.command().split(" ")) {
      args.add(a.replace("$F", file).replace("$D", DIR.toString()).replace("$T", out.toString()));
    }
    Cli r = Cli.run(args.toArray(new String[0]));
    String expected = c.message().replace("$F", file).replace("$SCHEMA", Baseline.SCHEMA);
    assertEquals(expected, r.err().strip(), "stderr of " + args);
    assertEquals(c.exit(), r.rc(), "exit code of " + args);
    assertArrayEquals(before, Files.readAllBytes(in), "the file is left as it was");
    try (Stream<Path> left = Files.list(out)) {
      // The writer's lock file may stay (see WriterLock); nothing else may.
      assertEquals(
          List.of(), left.filter(p -> !p.toString().endsWith(".lock")).toList(), "nothing written");
    }
  }

  @Test
  void everyFileInTheCorpusIsUsed() throws IOException {
    Set<String> used = new HashSet<>(Set.of("config-good.yaml")); // theGoodFilesAreGood
    for (Case c : cases()) {
      used.add(c.file());
      for (String a : c.command().split(" ")) {
        if (a.startsWith("$D/")) {
          used.add(a.substring(3));
        }
      }
    }
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String n = p.getFileName().toString();
        if (!n.equals("cases.tsv")) {
          assertFalse(!used.contains(n), n + " is in the corpus but no case uses it");
        }
      }
    }
  }

  @Test
  void theGoodFilesAreGood() {
    assertEquals(0, Cli.run("baseline", "show", DIR.resolve("baseline-good.json").toString()).rc());
    Cli p =
        Cli.run(
            "policy",
            "--config",
            DIR.resolve("config-good.yaml").toString(),
            DIR.resolve("baseline-good.json").toString());
    assertEquals(0, p.rc(), p.err());
    Cli c = Cli.run("compile", "--target", "nftables", DIR.resolve("policy-good.yaml").toString());
    assertEquals(0, c.rc(), c.err());
  }
}
