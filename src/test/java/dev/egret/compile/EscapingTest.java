package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names, SNI and Host strings come from the wire. Each target's one escaping function keeps them
 * inside a comment, and a whole compiled file of a hostile policy holds nothing of them outside
 * one.
 */
class EscapingTest {
  static final List<String> HOSTILE =
      List.of(
          "evil.example\n-A OUTPUT -j ACCEPT",
          "x\" accept; table inet pwn { }",
          "'; rm -rf / #",
          "$(touch /tmp/pwned)`id`",
          "nul\0byte\r\tctl",
          "b\u00fccher.\u4f8b\u3048.\u30c6\u30b9\u30c8\u202e",
          "\\\" \\n \\x41",
          "a".repeat(300) + ".example");

  static final Pattern SAFE = Pattern.compile("[A-Za-z0-9 ._:/,=@+?-]*");

  static final Map<String, UnaryOperator<String>> ESCAPERS =
      Map.of(
          "iptables", IptablesText::comment,
          "nftables", NftText::comment,
          "ufw", s -> strip(UfwText.comment(s), '\''),
          "capirca", CapircaText::comment);

  static final Map<String, Integer> MAX =
      Map.of(
          "iptables", IptablesText.COMMENT_MAX,
          "nftables", NftText.COMMENT_MAX,
          "ufw", UfwText.COMMENT_MAX,
          "capirca", CapircaText.COMMENT_MAX);

  private static String strip(String s, char q) {
    assertEquals(q, s.charAt(0));
    assertEquals(q, s.charAt(s.length() - 1));
    return s.substring(1, s.length() - 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"iptables", "nftables", "ufw", "capirca"})
  void hostileTextBecomesTheSafeAlphabetWithinTheLengthLimit(String target) {
    for (String h : HOSTILE) {
      String out = ESCAPERS.get(target).apply(h);
      assertTrue(SAFE.matcher(out).matches(), target + ": unsafe output " + out);
      assertTrue(out.length() <= MAX.get(target), target + ": too long: " + out.length());
    }
  }

  @Test
  void nftCommentFitsTheKernelsUserdataLimit() {
    String out = NftText.comment("a".repeat(300));
    assertEquals(127, out.length());
    assertTrue(out.endsWith("..."));
  }

  @Test
  void ufwCommentIsOneSingleQuotedShellWord() {
    String out = UfwText.comment("'; rm -rf / #");
    assertEquals("'?? rm -rf / ?'", out);
  }

  @Test
  void surrogatePairsBecomeOneReplacement() {
    assertEquals("x?y", IptablesText.comment("x\uD83D\uDE00y"));
  }

  @Test
  void plainNamesPassUnchanged() {
    assertEquals(
        "egret web: api.example.com, cdn-1.example.net",
        NftText.comment("egret web: api.example.com, cdn-1.example.net"));
  }

  /** Comment regions per target: what may hold wire text. */
  static final List<String> MARKERS =
      List.of("evil", "pwn", "rm -rf", "touch", "reboot", "byte", "aaaa", "cher", "quotes", "$(");

  @Test
  void hostilePolicyLeavesNothingOutsideComments() {
    for (String target : CompilerRegistry.targets()) {
      for (CompileOptions o : List.of(CompileOptions.host(), CompileOptions.gateway())) {
        CompiledRules hostile =
            CompilerRegistry.get(target).compile(CompileCases.policy("hostile"), o);
        for (var f : hostile.files().entrySet()) {
          String outside = RuleText.COMMENTS.get(target).matcher(f.getValue()).replaceAll("");
          for (String m : MARKERS) {
            assertFalse(
                outside.toLowerCase(java.util.Locale.ROOT).contains(m),
                target + " " + f.getKey() + ": \"" + m + "\" outside a comment:\n" + outside);
          }
          for (char c : f.getValue().toCharArray()) {
            assertTrue(c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f), "control or non-ASCII");
          }
        }
        assertTrue(
            hostile.files().values().stream().anyMatch(t -> t.contains("evil.example?-A OUTPUT")),
            "the names should still be readable inside the comments");
      }
    }
  }
}
