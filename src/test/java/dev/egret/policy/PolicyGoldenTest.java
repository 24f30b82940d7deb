package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.egret.testutil.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden policies: each {@code policy-cases/<case>.baseline.json} (with its optional {@code
 * <case>.config.yaml}) must give exactly {@code golden/policy/<case>.yaml}. A mismatch writes the
 * actual file under {@code target/golden-actual/policy/} for review; {@code
 * -Degret.updateGolden=true} rewrites the golden files instead. A case without a golden file, or a
 * golden file without a case, fails.
 */
class PolicyGoldenTest {
  private static final Path CASES = PolicyCaseFiles.CASES;
  private static final Path GOLDEN = PolicyCaseFiles.GOLDEN;
  private static final Path ACTUAL = Path.of("target/golden-actual/policy");

  /** The minimisation cases the issue asks for; each must exist. */
  private static final Set<String> REQUIRED =
      Set.of(
          "names", "cidr-bound", "broad", "ports", "roles", "review", "anomalies", "icmp", "ipv6");

  @TestFactory
  Stream<DynamicTest> policies() throws IOException {
    return PolicyCaseFiles.cases().stream().map(c -> DynamicTest.dynamicTest(c, () -> check(c)));
  }

  private static void check(String name) throws IOException {
    String actual = PolicyYaml.write(PolicyCaseFiles.generate(name));
    Path golden = GOLDEN.resolve(name + ".yaml");
    if (Golden.update()) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(golden)) {
      fail(
          "no golden file "
              + golden
              + " for case "
              + name
              + " (run with -Degret.updateGolden=true to create it, then review it)");
    }
    String expected = Files.readString(golden, StandardCharsets.UTF_8);
    Path out = ACTUAL.resolve(name + ".yaml.actual");
    Files.deleteIfExists(out); // no stale file from an earlier failure
    if (!expected.equals(actual)) {
      Files.createDirectories(ACTUAL);
      Files.writeString(out, actual, StandardCharsets.UTF_8);
      assertEquals(expected, actual, "policy for case " + name + " differs; actual in " + out);
    }
  }

  @Test
  void everyGoldenFileHasACase() throws IOException {
    Set<String> cases = PolicyCaseFiles.cases();
    List<String> orphans;
    try (Stream<Path> s = Files.list(GOLDEN)) {
      orphans =
          s.map(p -> p.getFileName().toString())
              .filter(n -> !n.endsWith(".yaml") || !cases.contains(n.substring(0, n.length() - 5)))
              .sorted()
              .toList();
    }
    assertEquals(List.of(), orphans, "golden files without a case in " + CASES);
  }

  @Test
  void everyConfigHasACase() throws IOException {
    Set<String> cases = PolicyCaseFiles.cases();
    List<String> orphans;
    try (Stream<Path> s = Files.list(CASES)) {
      orphans =
          s.map(p -> p.getFileName().toString())
              .filter(n -> !n.endsWith(".baseline.json"))
              .filter(
                  n ->
                      !n.endsWith(".config.yaml") || !cases.contains(n.replace(".config.yaml", "")))
              .sorted()
              .toList();
    }
    assertEquals(List.of(), orphans, "files in " + CASES + " that belong to no case");
  }

  @Test
  void everyRequiredCaseIsThere() throws IOException {
    Set<String> missing = new TreeSet<>(REQUIRED);
    missing.removeAll(PolicyCaseFiles.cases());
    assertTrue(missing.isEmpty(), "missing policy cases: " + missing);
  }
}
