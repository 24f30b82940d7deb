package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code egret compile --target capirca} as a user runs it: exit codes, one-line messages. */
class CapircaCliTest {
  @TempDir Path tmp;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int egret(String... args) {
    return dev.egret.cli.Egret.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private static String policy(String name) {
    return CompileCases.POLICIES.resolve(name + ".yaml").toString();
  }

  @Test
  void anUnknownPlatformIsAUsageErrorInOneLine() {
    assertEquals(
        2,
        egret(
            "compile",
            "--target",
            "capirca",
            "--platform",
            "juniper,k9s",
            policy("single-host"),
            "-o",
            tmp.toString()));
    assertEquals(
        "egret: unknown Capirca platform \"k9s\" (expected one of juniper, cisco, arista,"
            + " paloalto, packetfilter, windows_advfirewall, gce, k8s)\n",
        err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void aPlatformAskedForThatCannotExpressThePolicyFailsNamingRuleAndFeature() {
    assertEquals(
        2,
        egret(
            "compile",
            "--target",
            "capirca",
            "--mode",
            "gateway",
            "--platform",
            "gce",
            policy("icmp"),
            "-o",
            tmp.toString()));
    assertEquals(
        "egret: mon-ping contains unsupported keywords (ICMP types for platform gce) for target"
            + " capirca; mon-ping6 contains unsupported keywords (ICMP types for platform gce) for"
            + " target capirca\n",
        err.toString());
    assertFalse(Files.exists(tmp.resolve("policies")), "nothing written");
  }

  @Test
  void byDefaultEachReasonIsOneWarningLine() {
    assertEquals(
        0,
        egret(
            "compile",
            "--target",
            "capirca",
            "--mode",
            "gateway",
            policy("ports"),
            "-o",
            tmp.toString()));
    assertEquals(
        "egret: warning: capirca: not opened for windows_advfirewall, gce, k8s: action reject"
            + " (defaults); --platform names the platforms to open\n"
            + "egret: wrote def/NETWORK.net, def/SERVICES.svc, policies/pol/egret.pol to "
            + tmp
            + "\n",
        err.toString());
  }

  @Test
  void aDenyOnNamesWithNoAddressIsLeftOutWithAWarning() throws IOException {
    String yaml =
        Files.readString(CompileCases.POLICIES.resolve("denied.yaml"), StandardCharsets.UTF_8)
            .replace(
                "names: [tracker.example.org], addresses: [203.0.113.66/32]",
                "names: [tracker.example.org], addresses: []");
    Path p = tmp.resolve("denied-names.yaml");
    Files.writeString(p, yaml, StandardCharsets.UTF_8);
    Path dir = tmp.resolve("out");
    assertEquals(
        0,
        egret("compile", "--target", "capirca", "--mode", "gateway", p.toString(), "-o", "" + dir),
        err.toString());
    assertTrue(
        err.toString()
            .startsWith(
                "egret: warning: capirca: deny rule desk-deny-tcp443-tracker-example-org left out:"
                    + " it names no address, and Capirca cannot follow names\n"),
        err.toString());
    String pol = Files.readString(dir.resolve("policies/pol/egret.pol"), StandardCharsets.UTF_8);
    assertFalse(pol.contains("term desk-deny-tcp443"), pol);
    assertTrue(pol.contains("term desk-deny-tcp-addresses {"), pol);
  }

  /** Wire names of 253 characters and hostile text stay inside comments in every file. */
  @Test
  void longHostileNamesStayInsideComments() throws IOException {
    for (List<String> mode : List.of(List.of("--mode", "gateway"), List.of("--all-roles"))) {
      Path dir = Files.createTempDirectory(tmp, "out");
      String[] args = {"compile", "--target", "capirca", mode.get(0)};
      List<String> all = new java.util.ArrayList<>(List.of(args));
      all.addAll(mode.subList(1, mode.size()));
      all.addAll(List.of(policy("long-names"), "-o", dir.toString()));
      assertEquals(0, egret(all.toArray(String[]::new)), err.toString());
      Pattern comments = RuleText.COMMENTS.get("capirca");
      for (String f : List.of("policies/pol/egret.pol", "def/NETWORK.net", "def/SERVICES.svc")) {
        String text = Files.readString(dir.resolve(f), StandardCharsets.UTF_8);
        String outside = comments.matcher(text).replaceAll("").toLowerCase(Locale.ROOT);
        for (String m : List.of("evil", "reboot", "$(", "bbbbbbbb", "dddddddd", "aaaaaaaa")) {
          assertFalse(outside.contains(m), f + ": \"" + m + "\" outside a comment");
        }
        for (char c : text.toCharArray()) {
          assertTrue(c == '\n' || (c >= 0x20 && c < 0x7f), f + ": control or non-ASCII");
        }
      }
    }
  }
}
