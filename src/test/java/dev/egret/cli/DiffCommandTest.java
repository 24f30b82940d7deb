package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.net.Cidr;
import dev.egret.policy.Destination;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyYaml;
import dev.egret.policy.PortRange;
import dev.egret.policy.Role;
import dev.egret.policy.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {
  @TempDir Path tmp;

  private static Rule rule(String name, List<PortRange> ports, String... prefixes) {
    return new Rule(
        name,
        "web",
        "tcp",
        ports,
        List.of(),
        new Destination(false, List.of(), List.of(prefixes).stream().map(Cidr::parse).toList()),
        false,
        0,
        null);
  }

  private Path write(String file, Rule... rules) throws Exception {
    Policy p =
        new Policy(
            Policy.API_VERSION,
            Policy.KIND,
            null,
            List.of(new Role("web", List.of(Cidr.parse("10.0.2.0/24")), "")),
            List.of(rules),
            null,
            null,
            null);
    Path f = tmp.resolve(file);
    Files.writeString(f, PolicyYaml.write(p));
    return f;
  }

  private static final List<PortRange> HTTPS = List.of(PortRange.of(443));

  @Test
  void samePoliciesExitZero() throws Exception {
    Path a = write("a.yaml", rule("web-https", HTTPS, "192.0.2.10/32"));
    Path b = write("b.yaml", rule("web-https", HTTPS, "192.0.2.10/32"));
    Run r = Run.of("diff", a.toString(), b.toString());
    assertEquals(0, r.exit(), r.toString());
    assertEquals("", r.out());
    assertEquals("egret: diff: no changes\n", r.err());
  }

  @Test
  void everyKindOfChangeIsALineAndExitOne() throws Exception {
    Path old =
        write(
            "old.yaml",
            rule("web-https", HTTPS, "192.0.2.10/32"),
            rule("web-db", List.of(PortRange.of(5432)), "203.0.113.0/28"),
            rule("web-ssh", List.of(PortRange.of(22)), "198.51.100.1/32"));
    Path now =
        write(
            "new.yaml",
            rule("web-https", HTTPS, "192.0.2.10/32", "192.0.2.11/32"),
            rule("web-db", List.of(PortRange.of(5432)), "203.0.113.5/32"),
            rule("web-ntp", List.of(PortRange.of(123)), "198.51.100.2/32"));
    Run r = Run.of("diff", old.toString(), now.toString());
    assertEquals(1, r.exit(), r.toString());
    List<String> lines = List.of(r.out().split("\n"));
    assertEquals(4, lines.size(), r.out());
    assertTrue(lines.get(0).matches("narrowed +web-db: .*203\\.0\\.113\\.5/32.*"), lines.get(0));
    assertTrue(lines.get(1).matches("broadened +web-https: .*192\\.0\\.2\\.11/32.*"), lines.get(1));
    assertTrue(lines.get(2).matches("added +web-ntp: web tcp \\[123\\] to .*"), lines.get(2));
    assertTrue(lines.get(3).matches("removed +web-ssh: web tcp \\[22\\] to .*"), lines.get(3));
    assertEquals("egret: diff: 4 changes\n", r.err());
  }

  @Test
  void aMissingFileIsAnError() throws Exception {
    Path a = write("a.yaml", rule("web-https", HTTPS, "192.0.2.10/32"));
    Run r = Run.of("diff", a.toString(), tmp.resolve("gone.yaml").toString());
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("gone.yaml: no such file"), r.err());
  }

  @Test
  void aBaselineIsNotAPolicy() throws Exception {
    Path a = write("a.yaml", rule("web-https", HTTPS, "192.0.2.10/32"));
    Run r = Run.of("diff", a.toString(), PolicyCases.baseline("names"));
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().startsWith("egret: "), r.err());
  }

  @Test
  void oneArgumentIsAUsageError() {
    Run r = Run.of("diff", "a.yaml");
    assertEquals(2, r.exit(), r.toString());
  }

  @Test
  void generatedPoliciesDiffAsTheirBaselinesDiffer() throws Exception {
    Path strict = tmp.resolve("strict.yaml");
    Path loose = tmp.resolve("loose.yaml");
    String b = PolicyCases.baseline("review");
    assertEquals(0, Run.of("policy", b, "-o", strict.toString()).exit());
    assertEquals(0, Run.of("policy", b, "--min-flows", "2", "-o", loose.toString()).exit());
    Run r = Run.of("diff", strict.toString(), loose.toString());
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.out().startsWith("broadened"), r.out());
    Run back = Run.of("diff", loose.toString(), strict.toString());
    assertTrue(back.out().startsWith("narrowed"), back.out());
  }
}
