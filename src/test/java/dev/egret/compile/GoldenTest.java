package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.egret.testutil.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One golden file per (policy, target, mode) under {@code src/test/resources/golden/<target>/}. A
 * mismatch writes {@code target/golden-actual/<target>/<case>.actual}; a missing or orphan golden
 * file fails. {@code -Degret.updateGolden=true} rewrites them (refused under CI, see {@link
 * Golden}).
 */
class GoldenTest {
  static final Path ACTUAL = Path.of("target/golden-actual");

  @TestFactory
  Stream<DynamicTest> everyCaseMatchesItsGoldenFile() {
    return CompileCases.all().stream()
        .map(c -> DynamicTest.dynamicTest(c.target() + "/" + c.name(), () -> check(c)));
  }

  private static void check(CompileCases.Case c) throws IOException {
    String actual = c.render();
    assertEquals(actual, c.render(), "output is not deterministic");
    Path golden = c.golden();
    if (Golden.update()) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(golden)) {
      writeActual(c, actual);
      fail("missing golden file " + golden + " (run with -Degret.updateGolden=true)");
    }
    String expected = Files.readString(golden, StandardCharsets.UTF_8);
    if (!expected.equals(actual)) {
      Path out = writeActual(c, actual);
      assertEquals(expected, actual, "golden mismatch; actual output in " + out);
    }
  }

  private static Path writeActual(CompileCases.Case c, String actual) throws IOException {
    Path out = ACTUAL.resolve(c.target()).resolve(c.name() + ".actual");
    Files.createDirectories(out.getParent());
    Files.writeString(out, actual, StandardCharsets.UTF_8);
    return out;
  }

  @Test
  void noOrphanGoldenFiles() throws IOException {
    Set<Path> expected =
        CompileCases.all().stream().map(CompileCases.Case::golden).collect(Collectors.toSet());
    List<Path> orphans = new ArrayList<>();
    // The compiler targets' folders only: golden/policy belongs to the policy generator's test.
    for (String target : CompilerRegistry.targets()) {
      Path dir = CompileCases.GOLDEN.resolve(target);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(Files::isRegularFile).filter(p -> !expected.contains(p)).forEach(orphans::add);
      }
    }
    assertTrue(orphans.isEmpty(), "golden files without a case: " + orphans);
  }

  @Test
  void renderedGoldenTextParsesBackIntoItsFiles() {
    CompileCases.Case c =
        new CompileCases.Case("single-host", "capirca", CompileOptions.Mode.GATEWAY);
    CompiledRules r = c.compile();
    assertEquals(r.files(), CompileCases.parse(CompileCases.render(r)));
  }
}
