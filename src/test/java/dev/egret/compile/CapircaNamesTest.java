package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.compile.CapircaNames.Style;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Names every opened Capirca platform takes: within limits, unique, read by the lexer as words. */
class CapircaNamesTest {
  /** Two 63-character rule names whose SHA-256 share their first 8 hex digits (76a50279). */
  static final String COLLIDE_A = "web-tcp443-collide-collide-collide-collide-collide-x-0000010836";

  static final String COLLIDE_B = "web-tcp443-collide-collide-collide-collide-collide-x-0000118080";

  static final Pattern TERM = Pattern.compile("[a-z][a-z0-9_-]*");
  static final Pattern STRICT = Pattern.compile("[a-z]([a-z0-9-]*[a-z0-9])?");
  static final Pattern TOKEN = Pattern.compile("[A-Z][A-Z0-9_]*");

  @Test
  void theTwoNamesReallyShareTheirShortHash() {
    assertEquals("76a50279", CapircaNames.hash(COLLIDE_A, 8));
    assertEquals("76a50279", CapircaNames.hash(COLLIDE_B, 8));
  }

  @Test
  void namesThatFitStayAsTheyAre() {
    assertEquals(
        Map.of("web-dns", "web-dns", "web-https", "web-https"),
        CapircaNames.assign(List.of("web-dns", "web-https"), Style.TERM, 28, Set.of()));
  }

  @Test
  void aLongNameIsCutAndGivenTheHashOfTheFullName() {
    String n = "app-tcp80-mirror-example-test";
    assertEquals(
        "app-tcp80-mirror-ex-" + CapircaNames.hash(n, 8),
        CapircaNames.assign(List.of(n), Style.TERM, 28, Set.of()).get(n));
  }

  @Test
  void aHashCollisionGetsMoreDigitsInsteadOfADuplicate() {
    for (Style style : List.of(Style.TERM, Style.STRICT)) {
      for (int max : List.of(28, 45, 62)) {
        Map<String, String> m =
            CapircaNames.assign(List.of(COLLIDE_A, COLLIDE_B), style, max, Set.of());
        String a = m.get(COLLIDE_A);
        String b = m.get(COLLIDE_B);
        assertTrue(a.endsWith("-76a50279"), a);
        assertTrue(b.endsWith("-" + CapircaNames.hash(COLLIDE_B, 12)), b);
        assertTrue(a.length() <= max && b.length() <= max, a + " " + b);
      }
    }
  }

  @Test
  void tenThousandLongNamesGiveTenThousandDistinctNamesWithinEachLimit() {
    List<String> names = new ArrayList<>();
    String head = "web-tcp443-collide-collide-collide-collide-collide-x-";
    for (int i = 0; i < 10_000; i++) {
      names.add(head + String.format("%010d", i));
    }
    names.add(COLLIDE_A);
    names.add(COLLIDE_B);
    names.add("web-tcp443-collide-collide-collide-collide-collide-x");
    for (var c :
        List.of(
            Map.entry(Style.TERM, 28),
            Map.entry(Style.TERM, 62),
            Map.entry(Style.STRICT, 45),
            Map.entry(Style.TOKEN, 31))) {
      List<String> keys =
          c.getKey() == Style.TOKEN ? names.stream().map(n -> "EGRET_DST_" + n).toList() : names;
      Map<String, String> m = CapircaNames.assign(keys, c.getKey(), c.getValue(), Set.of());
      Set<String> seen = new HashSet<>();
      Pattern p = c.getKey() == Style.TOKEN ? TOKEN : c.getKey() == Style.TERM ? TERM : STRICT;
      for (String k : keys) {
        String v = m.get(k);
        assertTrue(seen.add(v), "duplicate " + v);
        assertTrue(v.length() <= c.getValue(), v);
        assertTrue(p.matcher(v).matches(), v);
      }
      assertEquals(names.size(), seen.size());
    }
  }

  @Test
  void namesTheLexerReadsAsSomethingElseAreRenamed() {
    List<String> odd =
        List.of("0web", "term", "action", "ef", "be-ef-x", "af11", "cs3-x", "b000000", "0x1f");
    Map<String, String> m = CapircaNames.assign(odd, Style.TERM, 62, Set.of());
    for (String n : odd) {
      String v = m.get(n);
      assertTrue(v.startsWith("r" + n) && v.endsWith("-" + CapircaNames.hash(n, 8)), n + " " + v);
    }
    assertEquals("r0web-" + CapircaNames.hash("0web", 8), m.get("0web"));
  }

  @Test
  void aTakenNameIsNeverGiven() {
    Map<String, String> m =
        CapircaNames.assign(List.of("default-deny"), Style.TERM, 62, Set.of("default-deny"));
    assertEquals("default-deny-" + CapircaNames.hash("default-deny", 8), m.get("default-deny"));
  }

  @Test
  void strictNamesHaveNoUnderscoreAndEndInALetterOrDigit() {
    Map<String, String> m =
        CapircaNames.assign(List.of("web_servers", "db-", "0app-"), Style.STRICT, 63, Set.of());
    assertEquals("web-servers", m.get("web_servers"));
    assertEquals("db-" + CapircaNames.hash("db-", 8), m.get("db-"));
    assertEquals("r0app-" + CapircaNames.hash("0app-", 8), m.get("0app-"));
  }

  @Test
  void tokensAreUpperCaseWithinPfsThirtyOneCharacters() {
    String k = "EGRET_DST_app-tcp443-api-example-test";
    String v = CapircaNames.assign(List.of(k), Style.TOKEN, 31, Set.of()).get(k);
    assertEquals("EGRET_DST_APP_TCP443_A_" + CapircaNames.hash(k, 8).toUpperCase(), v);
    assertEquals(31, v.length());
  }
}
