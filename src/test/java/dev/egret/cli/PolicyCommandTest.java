package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.ConfigYaml;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyGenerator;
import dev.egret.policy.PolicyYaml;
import dev.egret.policy.Rule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandTest {

  @TempDir Path tmp;

  @Test
  void writesTheFileAndEndsWithASummary() throws Exception {
    Path out = tmp.resolve("policy.yaml");
    Run r = Run.of("policy", PolicyCases.baseline("review"), "-o", out.toString());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("", r.out());
    String expected =
        PolicyYaml.write(
            new PolicyGenerator(dev.egret.baseline.EgretConfig.defaults())
                .generate(BaselineJson.read(Path.of(PolicyCases.baseline("review")))));
    assertEquals(expected, Files.readString(out, StandardCharsets.UTF_8));
    assertEquals(
        "egret: policy: 2 rules for 1 role, 0 broad (any destination or wildcard name), 2 to"
            + " review, 0 anomalies, exposure 0 never-seen addresses allowed\n",
        r.err());
  }

  /** A name rule on a CDN front's addresses is counted in the summary line. */
  @Test
  void theSummaryCountsNameRulesOnSharedAddresses() {
    dev.egret.policy.Evidence shared =
        new dev.egret.policy.Evidence(
            10,
            2,
            null,
            null,
            java.util.List.of(),
            java.util.List.of("api.example.com"),
            java.util.List.of("192.0.2.80"),
            null,
            null,
            null,
            null,
            null,
            null,
            new dev.egret.policy.Evidence.Shared(30, java.util.List.of("a.example.net")));
    Rule r =
        new Rule(
            "web-tcp443-api-example-com",
            "web",
            "tcp",
            java.util.List.of(dev.egret.policy.PortRange.of(443, 443)),
            java.util.List.of(),
            new dev.egret.policy.Destination(
                false,
                java.util.List.of("api.example.com"),
                java.util.List.of(dev.egret.net.Cidr.parse("192.0.2.80/32"))),
            false,
            0,
            shared);
    Policy p =
        new Policy(
            Policy.API_VERSION,
            Policy.KIND,
            new dev.egret.policy.PolicyMetadata(
                null, null, 2, java.util.List.of(), 0, 0, 0, null, null, java.util.List.of()),
            java.util.List.of(
                new dev.egret.policy.Role(
                    "web", java.util.List.of(dev.egret.net.Cidr.parse("10.0.0.5/32")), "web")),
            java.util.List.of(r),
            dev.egret.policy.Defaults.standard(),
            java.util.List.of(),
            java.util.List.of());
    assertEquals(
        "egret: policy: 1 rule for 1 role, 0 broad (any destination or wildcard name), 0 to"
            + " review, 0 anomalies, exposure 0 never-seen addresses allowed, 1 name rule on"
            + " addresses shared with other names (evidence.sharedAddresses)",
        PolicyCommand.summary(p, 0));
  }

  @Test
  void thinEvidenceIsWarnedOnStderrBeforeTheSummary() {
    Run r = Run.of("policy", PolicyCases.baseline("names"));
    assertEquals(0, r.exit(), r.toString());
    assertTrue(
        r.err()
            .startsWith(
                "egret: policy: warning: the window spans 1 day, fewer than minDays 2: rules rest"
                    + " on 1 day of traffic and anything weekly or daily-but-rare is missing; learn"
                    + " longer\n"),
        r.err());
    assertTrue(r.err().contains("\negret: policy: 3 rules"), r.err());
  }

  @Test
  void withoutOutputTheYamlGoesToStdout() {
    Run r = Run.of("policy", PolicyCases.baseline("names"));
    assertEquals(0, r.exit(), r.toString());
    Policy p = PolicyYaml.parse(r.out(), "stdout");
    assertEquals(3, p.rules().size());
    assertTrue(r.err().contains("egret: policy: 3 rules"), r.err());
  }

  @Test
  void sameInputSameBytes() throws Exception {
    Path a = tmp.resolve("a.yaml");
    Path b = tmp.resolve("b.yaml");
    assertEquals(
        0,
        Run.of(
                "policy",
                PolicyCases.baseline("withheld"),
                "-o",
                a.toString(),
                "--config",
                PolicyCases.CASES.resolve("withheld.config.yaml").toString())
            .exit());
    assertEquals(
        0,
        Run.of(
                "policy",
                PolicyCases.baseline("withheld"),
                "-o",
                b.toString(),
                "--config",
                PolicyCases.CASES.resolve("withheld.config.yaml").toString())
            .exit());
    assertEquals(-1, Files.mismatch(a, b));
  }

  @Test
  void minFlowsAndMinDaysFlagsMoveReviewItemsIntoRules() {
    Policy strict = PolicyYaml.parse(Run.of("policy", PolicyCases.baseline("review")).out(), "x");
    assertEquals(2, strict.review().size());
    Policy fewer =
        PolicyYaml.parse(
            Run.of("policy", PolicyCases.baseline("review"), "--min-flows", "2").out(), "x");
    assertEquals(1, fewer.review().size());
    assertTrue(fewer.review().get(0).reason().contains("minDays"));
    Policy oneDay =
        PolicyYaml.parse(
            Run.of("policy", PolicyCases.baseline("review"), "--min-flows", "2", "--min-days", "1")
                .out(),
            "x");
    assertEquals(0, oneDay.review().size());
    assertEquals(1, oneDay.metadata().thresholds().get("minDays"));
  }

  @Test
  void includeUnansweredCountsEveryConnection() {
    // 192.0.2.21: 6 connections, 2 answered.
    Policy p =
        PolicyYaml.parse(
            Run.of("policy", PolicyCases.baseline("review"), "--include-unanswered").out(), "x");
    assertEquals(1, p.review().size());
    assertEquals("192.0.2.22", p.review().get(0).destination());
    assertEquals(false, p.metadata().thresholds().get("answeredOnly"));
  }

  @Test
  void broadFlagRaisesTheThreshold() {
    Policy p =
        PolicyYaml.parse(
            Run.of("policy", PolicyCases.baseline("broad"), "--broad", "30").out(), "x");
    assertFalse(p.rules().stream().anyMatch(Rule::broad));
    Policy q = PolicyYaml.parse(Run.of("policy", PolicyCases.baseline("broad")).out(), "x");
    assertTrue(q.rules().stream().anyMatch(Rule::broad));
  }

  @Test
  void configNamesRoles() throws Exception {
    Run r =
        Run.of(
            "policy",
            PolicyCases.baseline("roles"),
            "--config",
            PolicyCases.CASES.resolve("roles.config.yaml").toString());
    assertEquals(0, r.exit(), r.toString());
    Policy p = PolicyYaml.parse(r.out(), "x");
    assertEquals(
        ConfigYaml.read(PolicyCases.CASES.resolve("roles.config.yaml")).roles().get("web"),
        p.role("web").hosts());
  }

  @Test
  void aMissingBaselineIsAUsageError() {
    Run r = Run.of("policy", tmp.resolve("none.json").toString());
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("none.json: no such file"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void aBadThresholdIsAUsageError() {
    Run r = Run.of("policy", PolicyCases.baseline("names"), "--min-flows", "0");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("minFlows must be at least 1"), r.err());
  }
}
