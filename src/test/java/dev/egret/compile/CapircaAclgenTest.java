package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.policy.Role;
import dev.egret.testutil.Requirements;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code aclgen} (python3-capirca) over what {@code egret compile --target capirca} writes
 * with default settings, for every test policy (long-names.yaml: 253-character DNS names, 63-
 * character rule and role names, names Capirca's lexer would misread, two names whose short hashes
 * collide), in gateway mode and in host mode for each role's host: it must succeed and write the
 * file of every platform the policy opened, and each platform left out must be named on stderr, one
 * line per reason.
 */
class CapircaAclgenTest {
  private static final String LEFT_OUT = "egret: warning: capirca: not opened for ";
  private static final String TAIL = "; --platform names the platforms to open";

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> aclgenBuildsEveryPlatformOpenedByDefault() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : CompileCases.policyNames()) {
      List<List<String>> runs = new ArrayList<>();
      runs.add(List.of("--mode", "gateway"));
      for (Role r : CompileCases.policy(name).roles()) {
        String host = r.hosts().get(0).toString().replaceAll("/.*", "");
        runs.add(List.of("--host", host));
      }
      for (List<String> args : runs) {
        tests.add(
            DynamicTest.dynamicTest(
                name + " " + String.join(" ", args), () -> compileAndBuild(name, args)));
      }
    }
    tests.add(
        DynamicTest.dynamicTest(
            "single-host, a host in no role",
            () -> {
              Map<String, String> leftOut =
                  compileAndBuild("single-host", List.of("--host", "10.255.255.254"));
              assertEquals(
                  Map.of("no rule to allow, and its deny is implicit", "windows_advfirewall, k8s"),
                  leftOut);
            }));
    return tests.stream();
  }

  @Test
  void denyDecisionsBecomeDenyTermsEverywhereButKubernetes() throws IOException {
    Map<String, String> leftOut = compileAndBuild("denied", List.of("--mode", "gateway"));
    assertEquals(Map.of("deny decisions (a NetworkPolicy only allows)", "k8s"), leftOut);
  }

  @Test
  void longNamesLeaveOutKubernetesOnlyInOneLine() throws IOException {
    Map<String, String> leftOut = compileAndBuild("long-names", List.of("--mode", "gateway"));
    assertEquals(Map.of("rules of more than one role, --host picks one", "k8s"), leftOut);
  }

  /**
   * Compiles with the real command line, runs aclgen, checks its files; returns the reasons named
   * on stderr, each to the platforms it left out.
   */
  private Map<String, String> compileAndBuild(String policy, List<String> args) throws IOException {
    if (!Requirements.missing("aclgen").isEmpty()) {
      Requirements.unavailable("missing tools: aclgen (apt-get install python3-capirca)");
    }
    Path dir = Files.createTempDirectory(tmp, policy);
    List<String> cmd = new ArrayList<>(List.of("compile", "--target", "capirca"));
    cmd.addAll(args);
    cmd.add(CompileCases.POLICIES.resolve(policy + ".yaml").toString());
    cmd.add("-o");
    cmd.add(dir.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        dev.egret.cli.Egret.run(
            cmd.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    if (new CompileCases.Case(policy, "capirca", CompileOptions.Mode.GATEWAY).compile() == null) {
      // Something no platform expresses (a deny decision): one line, exit 2, nothing written.
      assertEquals(2, exit, err.toString());
      assertEquals(1, err.toString().split("\n").length, err.toString());
      assertTrue(err.toString().endsWith(" for target capirca\n"), err.toString());
      assertFalse(Files.exists(dir.resolve("policies")), "nothing written");
      return Map.of();
    }
    assertEquals(0, exit, err.toString());

    Map<String, String> leftOut = new LinkedHashMap<>();
    Set<String> notOpened = new HashSet<>();
    for (String line : err.toString().split("\n")) {
      if (!line.startsWith(LEFT_OUT)) {
        continue;
      }
      assertTrue(line.endsWith(TAIL), line);
      String rest = line.substring(LEFT_OUT.length(), line.length() - TAIL.length());
      int colon = rest.indexOf(": ");
      String platforms = rest.substring(0, colon);
      String reason = rest.substring(colon + 2).replaceAll(" \\([^()]*\\)$", "");
      assertEquals(null, leftOut.put(reason, platforms), "one line per reason: " + err);
      notOpened.addAll(List.of(platforms.split(", ")));
    }

    String pol = Files.readString(dir.resolve("policies/pol/egret.pol"), StandardCharsets.UTF_8);
    Set<String> opened = new HashSet<>();
    for (CapircaPlatform p : CapircaPlatform.ALL) {
      if (pol.contains("  target:: " + p.name() + " ")) {
        opened.add(p.name());
      }
      assertTrue(
          opened.contains(p.name()) != notOpened.contains(p.name()),
          p.name() + " must be either opened or named as left out:\n" + err + pol);
    }

    Files.createDirectories(dir.resolve("out"));
    Tools.Result r =
        Tools.run(
            List.of(
                Requirements.which("aclgen"),
                "--base_directory=policies",
                "--definitions_directory=def",
                "--output_directory=out"),
            dir,
            120);
    assertEquals(0, r.exit(), r.output());
    assertFalse(r.output().contains("with errors"), r.output());
    for (CapircaPlatform p : CapircaPlatform.ALL) {
      Path f = dir.resolve("out").resolve(p.output());
      if (opened.contains(p.name())) {
        assertTrue(Files.size(f) > 0, p.output() + " missing or empty:\n" + r.output());
      } else {
        assertFalse(Files.exists(f), p.output() + " written for a platform left out");
      }
    }
    return leftOut;
  }
}
