package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import dev.egret.baseline.BaselineException;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.ConfigYaml;
import dev.egret.policy.PolicyException;
import dev.egret.policy.PolicyYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation loop over the baseline, policy and config readers, started from the good and
 * broken files of {@code src/test/resources/broken}: every mutant is read or refused with the
 * reader's own exception type and one line that names the input and speaks no Java. The run is
 * short by default; {@code -Degret.fuzz.iterations=N} (see {@code scripts/fuzz}) runs longer and
 * {@code -Degret.fuzz.seed=S} repeats a run. A finding becomes a case in {@code broken/cases.tsv}.
 */
class ReaderFuzzTest {
  private static final Path CORPUS = Path.of("src/test/resources/broken");
  private static final int ITERATIONS = Integer.getInteger("egret.fuzz.iterations", 500);
  private static final long SEED = Long.getLong("egret.fuzz.seed", 20261129L);
  private static final Pattern JAVA =
      Pattern.compile(
          "java\\.|javax\\.|com\\.fasterxml|org\\.yaml|Exception|Cannot invoke"
              + "|dev\\.egret\\.|\\$|@[0-9a-f]{4,}");

  /** Reads one input; throws the reader's exception type when it refuses it. */
  @FunctionalInterface
  interface Reader {
    void read(byte[] input, String name) throws IOException;
  }

  private static List<byte[]> seeds(String prefix) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(CORPUS)) {
      for (Path p : (Iterable<Path>) files.sorted()::iterator) {
        if (p.getFileName().toString().startsWith(prefix)) {
          out.add(Files.readAllBytes(p));
        }
      }
    }
    return out;
  }

  @Test
  void baselineReader() throws IOException {
    fuzz("baseline-", (b, n) -> BaselineJson.parse(b, n), BaselineException.class);
  }

  @Test
  void policyReader() throws IOException {
    fuzz(
        "policy-",
        (b, n) -> PolicyYaml.parse(new String(b, StandardCharsets.UTF_8), n),
        PolicyException.class);
  }

  @Test
  void configReader() throws IOException {
    fuzz(
        "config-",
        (b, n) -> ConfigYaml.parse(new String(b, StandardCharsets.UTF_8), n),
        BaselineException.class);
  }

  private static void fuzz(String prefix, Reader reader, Class<? extends RuntimeException> refusal)
      throws IOException {
    List<byte[]> seeds = seeds(prefix);
    Random rnd = new Random(SEED ^ prefix.hashCode());
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] in = Mutator.mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
      String name = "fuzz-" + i;
      try {
        reader.read(in, name);
      } catch (RuntimeException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (!refusal.isInstance(e)
            || !m.startsWith(name + ":")
            || m.contains("\n")
            || JAVA.matcher(m.substring(name.length())).find()) {
          fail(
              "mutant "
                  + i
                  + " (seed "
                  + SEED
                  + ") gave "
                  + e.getClass().getName()
                  + ": "
                  + m
                  + "\ninput:\n"
                  + new String(in, StandardCharsets.ISO_8859_1),
              e);
        }
      }
    }
  }

  /** Mutations that resemble real damage and edits: bytes, lines, digits, tabs, truncation. */
  static final class Mutator {
    private static final String[] TOKENS = {
      "\t",
      " ",
      ":",
      "-",
      "\"",
      "{",
      "}",
      "[",
      "]",
      ",",
      "\n",
      "null",
      "-1",
      "999999999999999999999",
      "1e400",
      "0x10",
      "256.1.1.1",
      "::",
      "/129",
      "'",
      "&a",
      "*a",
      "!!binary",
      "---",
      "\u00ff",
      "\ufeff",
      "~",
      "true",
      "1.0",
      "2.0",
      "yes"
    };

    static byte[] mutate(byte[] seed, Random rnd) {
      byte[] b = seed.clone();
      int n = 1 + rnd.nextInt(4);
      for (int k = 0; k < n && b.length > 0; k++) {
        int at = rnd.nextInt(b.length);
        switch (rnd.nextInt(7)) {
          case 0 -> b[at] = (byte) rnd.nextInt(256);
          case 1 -> b = java.util.Arrays.copyOf(b, at); // truncate
          case 2 -> b = splice(b, at, rnd.nextInt(Math.min(16, b.length - at) + 1), new byte[0]);
          case 3 ->
              b =
                  splice(
                      b,
                      at,
                      0,
                      TOKENS[rnd.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
          case 4 -> {
            if (b[at] >= '0' && b[at] <= '9') {
              b[at] = (byte) ('0' + rnd.nextInt(10));
            }
          }
          case 5 -> b = duplicateLine(b, at);
          default ->
              b =
                  splice(
                      b,
                      at,
                      1,
                      TOKENS[rnd.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
        }
      }
      return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
      remove = Math.min(remove, b.length - at);
      byte[] out = new byte[b.length - remove + insert.length];
      System.arraycopy(b, 0, out, 0, at);
      System.arraycopy(insert, 0, out, at, insert.length);
      System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
      return out;
    }

    /** Repeats the line holding {@code at}: duplicate keys, records and list items. */
    private static byte[] duplicateLine(byte[] b, int at) {
      int s = at;
      while (s > 0 && b[s - 1] != '\n') {
        s--;
      }
      int e = at;
      while (e < b.length && b[e] != '\n') {
        e++;
      }
      if (e < b.length) {
        e++;
      }
      return splice(b, s, 0, java.util.Arrays.copyOfRange(b, s, e));
    }
  }
}
