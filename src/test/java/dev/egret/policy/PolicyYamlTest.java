package dev.egret.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Thresholds;
import dev.egret.net.Cidr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The policy file: deterministic, a lossless round trip, and wire text that stays text. */
class PolicyYamlTest {
  /** Text that YAML would read as something else if written bare. */
  static final List<String> HOSTILE =
      List.of(
          "evil.example\nrules: []",
          "two\nlines",
          "crlf\r\nline",
          "quote\"in.example",
          "single'quote",
          "hash # comment",
          "#leading-hash",
          "key: value",
          "{flow: map}",
          "[flow, list]",
          "- item",
          "? complex",
          "&anchor",
          "*alias",
          "!tag",
          "%YAML 1.2",
          "@at",
          "`tick",
          "|",
          ">",
          "--- doc",
          "...",
          "null",
          "~",
          "true",
          "yes",
          "off",
          "y",
          "N",
          "Null",
          "2001:10:20:30:40:50:0:1",
          "12:30:45",
          "2024-03-01",
          "0x1F",
          "1e3",
          "012",
          ".inf",
          "",
          " leading space",
          "trailing space ",
          "\ttab",
          "back\\slash",
          "nel\u0085line",
          "ls\u2028ps\u2029",
          "bell\u0007nul\u0000",
          "non-ascii é 中文 \uD83D\uDE00",
          "a".repeat(63) + "." + "b".repeat(300));

  static final Set<String> TOP =
      Set.of("apiVersion", "kind", "metadata", "roles", "rules", "defaults", "review", "anomalies");

  static final Set<String> RULE =
      Set.of(
          "name",
          "role",
          "protocol",
          "ports",
          "icmpTypes",
          "destination",
          "broad",
          "exposure",
          "evidence");

  private static Evidence evidence(List<String> names) {
    return new Evidence(
        1,
        1,
        "2024-03-01T00:00:00Z",
        "2024-03-01T00:00:01Z",
        List.of("10.0.0.5"),
        names,
        names,
        null);
  }

  private static Policy hostilePolicy() {
    List<Rule> rules = new ArrayList<>();
    List<ReviewItem> review = new ArrayList<>();
    List<Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < HOSTILE.size(); i++) {
      String s = HOSTILE.get(i);
      rules.add(
          new Rule(
              "r" + i,
              "web",
              "tcp",
              List.of(PortRange.of(443), PortRange.of(8000, 8002)),
              List.of(),
              new Destination(false, List.of(s), List.of(Cidr.parse("192.0.2." + i + "/32"))),
              false,
              0,
              evidence(List.of(s, s + "2"))));
      review.add(
          new ReviewItem("10.0.0.5", "192.0.2.1", "tcp", 443, List.of(s), s, evidence(List.of(s))));
      anomalies.add(new Anomaly("unanswered", s, List.of(s), "tcp", 25, s, evidence(List.of(s))));
    }
    return new Policy(
        Policy.API_VERSION,
        Policy.KIND,
        new PolicyMetadata(
            "2024-03-01T00:00:00Z",
            "2024-03-02T00:00:00Z",
            2,
            HOSTILE,
            5,
            0,
            0,
            Map.of("minFlows", 3, "minCoverage", 0.5, "answeredOnly", true),
            "2024-03-03T00:00:00Z",
            HOSTILE),
        List.of(new Role("web", List.of(Cidr.parse("10.0.0.0/24")), String.join("|", HOSTILE))),
        rules,
        null,
        review,
        anomalies);
  }

  private static List<String> fields(JsonNode n) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  @Test
  void hostileTextRoundTripsUnchanged() {
    Policy p = hostilePolicy();
    String yaml = PolicyYaml.write(p);
    Policy back = PolicyYaml.parse(yaml, "hostile.yaml");
    assertEquals(p, back);
    for (int i = 0; i < HOSTILE.size(); i++) {
      assertEquals(HOSTILE.get(i), back.rules().get(i).destination().names().get(0), "item " + i);
      assertEquals(HOSTILE.get(i), back.review().get(i).reason(), "item " + i);
      assertEquals(HOSTILE.get(i), back.anomalies().get(i).host(), "item " + i);
    }
    assertEquals(HOSTILE, back.metadata().sources());
    assertEquals(yaml, PolicyYaml.write(back));
  }

  @Test
  void hostileTextCreatesNoKeysOrItems() throws IOException {
    String yaml = PolicyYaml.write(hostilePolicy());
    JsonNode root = new YAMLMapper().readTree(yaml);
    assertEquals(TOP, new TreeSet<>(fields(root)));
    assertEquals(HOSTILE.size(), root.get("rules").size());
    for (int i = 0; i < HOSTILE.size(); i++) {
      JsonNode r = root.get("rules").get(i);
      assertEquals(RULE, new TreeSet<>(fields(r)), "rule " + i);
      assertEquals(List.of("any", "names", "addresses"), fields(r.get("destination")), "rule " + i);
      assertEquals(1, r.get("destination").get("names").size(), "rule " + i);
      assertTrue(r.get("destination").get("names").get(0).isTextual(), "rule " + i);
      assertEquals(2, r.get("evidence").get("names").size(), "rule " + i);
      JsonNode a = root.get("anomalies").get(i);
      assertTrue(a.get("detail").isTextual(), "anomaly " + i);
      assertEquals(HOSTILE.get(i), a.get("detail").asText(), "anomaly " + i);
    }
    assertEquals(HOSTILE.size(), root.get("metadata").get("sources").size());
  }

  /** A plain YAML 1.1 reader (booleans, octal and hex ints, timestamps, .inf) sees only text. */
  @Test
  @SuppressWarnings("unchecked")
  void aYaml11ReaderSeesTheSameText() {
    String yaml = PolicyYaml.write(hostilePolicy());
    Map<String, Object> root = new org.yaml.snakeyaml.Yaml().load(yaml);
    assertEquals(TOP, new TreeSet<>(root.keySet()));
    List<Map<String, Object>> rules = (List<Map<String, Object>>) root.get("rules");
    List<Map<String, Object>> anomalies = (List<Map<String, Object>>) root.get("anomalies");
    for (int i = 0; i < HOSTILE.size(); i++) {
      Map<String, Object> dest = (Map<String, Object>) rules.get(i).get("destination");
      assertEquals(List.of(HOSTILE.get(i)), dest.get("names"), "rule " + i);
      assertEquals(HOSTILE.get(i), anomalies.get(i).get("detail"), "anomaly " + i);
    }
    Map<String, Object> meta = (Map<String, Object>) root.get("metadata");
    assertEquals(HOSTILE, meta.get("sources"));
    assertEquals("2024-03-01T00:00:00Z", meta.get("windowStart"));
  }

  @Test
  void everyLineOfTheFileIsPrintable() {
    // Control characters and line separators are escaped, never written raw.
    String yaml = PolicyYaml.write(hostilePolicy());
    for (char c : yaml.toCharArray()) {
      boolean ok = c == '\n' || (c >= 0x20 && c != 0x7f && c != 0x85 && c != 0x2028 && c != 0x2029);
      assertTrue(ok || c > 0xa0, "raw control character U+" + Integer.toHexString(c));
    }
  }

  @Test
  void hostileNamesInABaselineMakeValidRuleNames() {
    TestBaselines b = new TestBaselines();
    for (int i = 0; i < HOSTILE.size(); i++) {
      String dest = "198.51.100." + i;
      b.entry("10.0.0.5", dest, "tcp", 443, 5).name("10.0.0.5", dest, HOSTILE.get(i));
    }
    Baseline baseline = b.build();
    Thresholds d = Thresholds.defaults();
    Thresholds t =
        new Thresholds(
            d.minFlows(),
            d.minDays(),
            d.answeredOnly(),
            100,
            d.maxPrefixV4(),
            d.maxPrefixV6(),
            d.minCoverage(),
            d.maxExposure(),
            d.portRanges(),
            d.lateDays());
    Policy p = new PolicyGenerator(new EgretConfig(null, null, null, false, t)).generate(baseline);
    assertEquals(HOSTILE.size(), p.rules().size());
    for (Rule r : p.rules()) {
      assertTrue(Role.NAME.matcher(r.name()).matches(), r.name());
    }
    assertEquals(p, PolicyYaml.parse(PolicyYaml.write(p), "generated"));
  }

  @Test
  void sameBaselineSameBytes() throws IOException {
    for (String c : PolicyCaseFiles.cases()) {
      String once = PolicyYaml.write(PolicyCaseFiles.generate(c));
      String twice = PolicyYaml.write(PolicyCaseFiles.generate(c));
      assertEquals(once, twice, c);
    }
  }

  @Test
  void inputOrderDoesNotMatter() {
    TestBaselines a = new TestBaselines().days(2);
    TestBaselines z = new TestBaselines().days(2);
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(new String[] {"10.0.0." + (1 + i % 3), "203.0.113." + (16 + i % 16), "" + (i % 4)});
    }
    for (int i = 0; i < rows.size(); i++) {
      String[] x = rows.get(i);
      String[] y = rows.get(rows.size() - 1 - i);
      a.entry(x[0], x[1], "tcp", 440 + Integer.parseInt(x[2]), 5, 5, 0, 1);
      z.entry(y[0], y[1], "tcp", 440 + Integer.parseInt(y[2]), 5, 5, 0, 1);
      a.name(x[0], x[1], "n" + x[2] + ".example");
      z.name(y[0], y[1], "n" + y[2] + ".example");
    }
    EgretConfig c = EgretConfig.defaults();
    assertEquals(
        PolicyYaml.write(new PolicyGenerator(c).generate(a.build())),
        PolicyYaml.write(new PolicyGenerator(c).generate(z.build())));
  }

  @Test
  void goldenFilesRoundTrip() throws IOException {
    for (String c : PolicyCaseFiles.cases()) {
      Policy p = PolicyCaseFiles.generate(c);
      assertEquals(p, PolicyYaml.parse(PolicyYaml.write(p), c), c);
      String golden =
          Files.readString(PolicyCaseFiles.GOLDEN.resolve(c + ".yaml"), StandardCharsets.UTF_8);
      assertEquals(golden, PolicyYaml.write(PolicyYaml.parse(golden, c)), c);
    }
  }

  @Test
  void unknownKeysAndWrongKindsAreRefused() {
    String ok = PolicyYaml.write(hostilePolicy());
    PolicyException extra =
        assertThrows(PolicyException.class, () -> PolicyYaml.parse(ok + "surprise: 1\n", "p.yaml"));
    assertTrue(extra.getMessage().startsWith("p.yaml:"), extra.getMessage());
    PolicyException kind =
        assertThrows(
            PolicyException.class,
            () -> PolicyYaml.parse(ok.replace("kind: EgressPolicy", "kind: Other"), "p.yaml"));
    assertTrue(kind.getMessage().contains("unsupported kind"), kind.getMessage());
    PolicyException port =
        assertThrows(
            PolicyException.class,
            () -> PolicyYaml.parse(ok.replaceFirst("- 443", "- 70000"), "p.yaml"));
    assertTrue(port.getMessage().contains("70000"), port.getMessage());
    assertThrows(PolicyException.class, () -> PolicyYaml.parse("", "empty.yaml"));
  }
}
