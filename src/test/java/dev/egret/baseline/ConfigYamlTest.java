package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.net.Cidr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented example config parses, and config mistakes are named. */
class ConfigYamlTest {
  static String example() throws IOException {
    try (InputStream in = ConfigYaml.class.getResourceAsStream("/egret.example.yaml")) {
      assertTrue(in != null, "egret.example.yaml is in the jar");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void exampleParses() throws IOException {
    EgretConfig c = ConfigYaml.parse(example(), "egret.example.yaml");
    assertEquals(EgretConfig.DEFAULT_INTERNAL, c.internal());
    assertEquals(List.of("build", "db", "web"), List.copyOf(c.roles().keySet()));
    assertEquals(List.of(Cidr.parse("10.1.0.10"), Cidr.parse("10.1.0.11")), c.roles().get("web"));
    assertEquals(List.of(Cidr.parse("10.1.9.99")), c.exclude());
    assertFalse(c.learnChatter());
    assertEquals(Thresholds.defaults(), c.thresholds(), "the example shows the defaults");
  }

  @Test
  void exampleDocumentsEverySetting() throws IOException {
    String text = example();
    for (String s :
        List.of(
            "internal:",
            "roles:",
            "exclude:",
            "learnChatter:",
            "thresholds:",
            "minFlows:",
            "minDays:",
            "answeredOnly:",
            "broadDestinations:",
            "maxPrefixV4:",
            "maxPrefixV6:",
            "minCoverage:",
            "maxExposure:",
            "portRanges:",
            "lateDays:")) {
      int at = text.indexOf("\n" + s);
      if (at < 0) {
        at = text.indexOf("  " + s);
      }
      assertTrue(at > 0, s + " is in the example");
      String before = text.substring(0, at);
      String previous = before.substring(before.lastIndexOf('\n', before.length() - 2) + 1);
      assertTrue(previous.strip().startsWith("#"), s + " has a comment above it");
    }
  }

  @Test
  void emptyConfigIsTheDefaults() {
    assertEquals(EgretConfig.defaults(), ConfigYaml.parse("", "e.yaml"));
    assertEquals(EgretConfig.defaults(), ConfigYaml.parse("# nothing\n", "e.yaml"));
  }

  @Test
  void unknownSettingIsNamed() {
    BaselineException e =
        assertThrows(
            BaselineException.class, () -> ConfigYaml.parse("internall: [10.0.0.0/8]\n", "e.yaml"));
    assertEquals(
        "e.yaml:1:1: internall: unknown setting (expected one of exclude, internal, learnChatter,"
            + " roles, thresholds)",
        e.getMessage());
  }

  @Test
  void badPrefixIsNamed() {
    BaselineException e =
        assertThrows(
            BaselineException.class, () -> ConfigYaml.parse("exclude: [10.0.0.300]\n", "e.yaml"));
    assertEquals(
        "e.yaml:1:11: exclude[0]: not an address or prefix: \"10.0.0.300\"", e.getMessage());
  }

  @Test
  void badThresholdIsNamed() {
    BaselineException e =
        assertThrows(
            BaselineException.class,
            () -> ConfigYaml.parse("thresholds:\n  minFlows: 0\n", "e.yaml"));
    assertTrue(e.getMessage().contains("minFlows must be at least 1"), e.getMessage());
  }

  @Test
  void badRoleNameIsNamed() {
    BaselineException e =
        assertThrows(
            BaselineException.class,
            () -> ConfigYaml.parse("roles:\n  \"Web Servers\": [10.0.0.1]\n", "e.yaml"));
    assertTrue(e.getMessage().contains("Web Servers"), e.getMessage());
  }

  @Test
  void invalidYamlGivesTheLine() {
    BaselineException e =
        assertThrows(
            BaselineException.class,
            () -> ConfigYaml.parse("internal:\n  - 10.0.0.0/8\n bad: [\n", "e.yaml"));
    assertEquals(
        "e.yaml:3:2: the indentation does not line up with the lines above", e.getMessage());
  }

  @Test
  void readsAFileAndRefusesADirectory(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("egret.yaml");
    Files.writeString(f, "internal: [141.142.0.0/16]\nlearnChatter: true\n");
    EgretConfig c = ConfigYaml.read(f);
    assertEquals(List.of(Cidr.parse("141.142.0.0/16")), c.internal());
    assertTrue(c.learnChatter());
    BaselineException e = assertThrows(BaselineException.class, () -> ConfigYaml.read(dir));
    assertTrue(e.getMessage().contains("is a directory"));
  }
}
