package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No rule in any target accepts a new outbound connection because of its source port: a client
 * socket bound to port 22 must not be a way out. Checked line by line over every golden file (every
 * target, both modes); the check == kernel test proves the same against the kernel.
 */
class SourcePortTest {
  /** A match on the source port, per target. */
  static final Pattern SOURCE_PORT =
      Pattern.compile("\\bsport\\b|--sports?\\b|\\bsource-port::|ufw [a-z ]*\\bfrom \\S+ port\\b");

  /** The state match that restricts a line to packets of connections already open. */
  static final Pattern ESTABLISHED_ONLY =
      Pattern.compile("ct state established counter|--ctstate ESTABLISHED -m comment");

  static List<String> violations(String file, String text) {
    List<String> out = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String code =
          RuleText.COMMENTS.values().stream()
              .reduce(lines[i], (l, p) -> p.matcher(l).replaceAll(""), (a, b) -> a);
      if (SOURCE_PORT.matcher(code).find() && !ESTABLISHED_ONLY.matcher(lines[i]).find()) {
        out.add(file + ":" + (i + 1) + ": " + lines[i].trim());
      }
    }
    return out;
  }

  @Test
  void noGoldenRuleAcceptsNewEgressBySourcePort() throws IOException {
    List<String> bad = new ArrayList<>();
    int files = 0;
    try (Stream<Path> s = Files.walk(CompileCases.GOLDEN)) {
      for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        if (f.startsWith(CompileCases.GOLDEN.resolve("policy"))) {
          continue;
        }
        files++;
        bad.addAll(violations(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
      }
    }
    assertTrue(files >= 64, "golden files read: " + files);
    assertTrue(
        bad.isEmpty(), "rules that accept new egress by source port:\n" + String.join("\n", bad));
  }

  /** The compilers as they are now, not only what the golden files say they wrote. */
  @Test
  void noCompiledRuleAcceptsNewEgressBySourcePort() {
    List<String> bad = new ArrayList<>();
    int compiled = 0;
    for (CompileCases.Case c : CompileCases.all()) {
      CompiledRules r = c.compile();
      if (r == null) {
        continue;
      }
      compiled++;
      r.files().forEach((name, text) -> bad.addAll(violations(c.name() + "/" + name, text)));
    }
    assertTrue(compiled >= 64, "cases compiled: " + compiled);
    assertTrue(
        bad.isEmpty(), "rules that accept new egress by source port:\n" + String.join("\n", bad));
  }

  @Test
  void theCheckWouldCatchTheOldKeepAccessRules() {
    assertEquals(
        List.of(
            "a:1: tcp sport 22 counter accept comment \"egret keep-access tcp/22\"",
            "a:2: -A EGRET-EGRESS -p tcp -m tcp --sport 22 -m comment --comment \"x\" -j ACCEPT"),
        violations(
            "a",
            "\t\ttcp sport 22 counter accept comment \"egret keep-access tcp/22\"\n"
                + "-A EGRET-EGRESS -p tcp -m tcp --sport 22 -m comment --comment \"x\" -j ACCEPT\n"
                + "\t\ttcp sport 22 ct state established counter accept comment \"k\"\n"
                + "\t\tip daddr @d tcp dport 22 counter accept comment \"sport 22\"\n"));
  }
}
