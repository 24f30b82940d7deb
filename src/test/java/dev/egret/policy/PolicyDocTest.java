package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The policy documentation stays true: its full example is a golden file, every field has a row.
 */
class PolicyDocTest {
  static final Path DOC = Path.of("src/main/resources/docs/policy.md");

  private static String doc() throws IOException {
    return Files.readString(DOC, StandardCharsets.UTF_8);
  }

  private static String example(String doc) {
    int heading = doc.indexOf("## Full example");
    int start = doc.indexOf("```yaml\n", heading) + "```yaml\n".length();
    return doc.substring(start, doc.indexOf("```", start));
  }

  @Test
  void theFullExampleIsWhatTheGeneratorWrites() throws IOException {
    String expected =
        Files.readString(PolicyCaseFiles.GOLDEN.resolve("example.yaml"), StandardCharsets.UTF_8);
    assertEquals(expected, example(doc()), "copy golden/policy/example.yaml into " + DOC);
  }

  @Test
  void everyFieldOfTheExampleHasARow() throws IOException {
    String doc = doc();
    Set<String> keys = new TreeSet<>();
    collect(new YAMLMapper().readTree(example(doc)), keys);
    Set<String> missing = new TreeSet<>();
    for (String k : keys) {
      if (!doc.contains("| `" + k + "`")) {
        missing.add(k);
      }
    }
    assertTrue(keys.size() > 40, keys.toString());
    assertEquals(Set.of(), missing, "fields without a row in " + DOC);
  }

  @Test
  void everyAnomalyKindIsExplained() throws IOException {
    String doc = doc();
    int last = -1;
    for (AnomalyKind kind : AnomalyKind.values()) {
      int row = doc.indexOf("| `" + kind.id() + "`");
      assertTrue(row >= 0, kind.id());
      assertTrue(row > last, kind.id() + ": the table lists the kinds in the policy's order");
      last = row;
    }
  }

  private static void collect(JsonNode n, Set<String> keys) {
    if (n.isObject()) {
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        keys.add(k);
        collect(n.get(k), keys);
      }
    } else if (n.isArray()) {
      n.forEach(x -> collect(x, keys));
    }
  }
}
