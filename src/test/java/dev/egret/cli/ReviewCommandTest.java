package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** egret review: the open items with their ids; decisions recorded, then applied by policy. */
class ReviewCommandTest {
  @TempDir Path tmp;

  private Path policy(Path decisions) {
    Path out = tmp.resolve("policy.yaml");
    Run r =
        decisions == null
            ? Run.of("policy", PolicyCases.baseline("anomalies"), "-o", out.toString())
            : Run.of(
                "policy",
                PolicyCases.baseline("anomalies"),
                "--decisions",
                decisions.toString(),
                "-o",
                out.toString());
    assertEquals(0, r.exit(), r.toString());
    return out;
  }

  @Test
  void listsTheOpenItemsRecordsDecisionsAndThePolicyAppliesThem() throws Exception {
    Path p = policy(null);
    Run list = Run.of("review", p.toString());
    assertEquals(0, list.exit(), list.toString());
    String[] lines = list.out().split("\n");
    assertTrue(lines[0].startsWith("ID "), list.out());
    assertTrue(lines[1].startsWith("10.0.0.6/tcp/23/*"), list.out());
    assertTrue(lines[1].contains("port-scan"), list.out());
    assertTrue(list.out().contains("10.0.0.5/tcp/25/198.51.100.25"), list.out());
    assertEquals("egret: review: 4 anomalies, 0 review items\n", list.err());

    Path d = tmp.resolve("decisions.yaml");
    Run ignore =
        Run.of(
            "review",
            p.toString(),
            "--ignore",
            "10.0.0.5/tcp/25/198.51.100.25",
            "--note",
            "dead relay");
    assertEquals(0, ignore.exit(), ignore.toString());
    assertEquals(
        "egret: review: recorded ignore 10.0.0.5/tcp/25/198.51.100.25 in "
            + d.toAbsolutePath()
            + "\n",
        ignore.err());
    Run again = Run.of("review", p.toString());
    assertTrue(again.out().contains("[ignore recorded] "), again.out());

    Path p2 = policy(d);
    String yaml = Files.readString(p2);
    assertFalse(yaml.contains("id: \"10.0.0.5/tcp/25/198.51.100.25\""), yaml);
    assertTrue(yaml.contains("ignore 10.0.0.5/tcp/25/198.51.100.25 (20"), yaml);
    assertEquals(
        "egret: review: 3 anomalies, 0 review items\n", Run.of("review", p2.toString()).err());
  }

  @Test
  void badIdsAndBadFilesAreOneLineAndExitTwo() throws Exception {
    Path p = policy(null);
    Run bad = Run.of("review", p.toString(), "--deny", "*/tcp/443/evil\u001b[2J.example");
    assertEquals(2, bad.exit(), bad.toString());
    assertEquals(
        "egret: bad destination in decision id \"*/tcp/443/evil\\u001b[2J.example\" (expected *,"
            + " an address, a prefix, a host name or *.domain)\n",
        bad.err());
    assertFalse(Files.exists(tmp.resolve("decisions.yaml")));

    Path d = tmp.resolve("mine.yaml");
    Files.writeString(
        d,
        "apiVersion: egret/v1\nkind: Decisions\ndecisions:\n  - id: host:10.0.0.5\n    action: permit\n");
    Run policy = Run.of("policy", PolicyCases.baseline("anomalies"), "--decisions", d.toString());
    assertEquals(2, policy.exit(), policy.toString());
    assertEquals(
        "egret: " + d + ":5: bad action \"permit\" (expected allow, deny or ignore)\n",
        policy.err());

    Run both =
        Run.of("review", p.toString(), "--allow", "host:10.0.0.5", "--deny", "host:10.0.0.5");
    assertEquals(2, both.exit(), both.toString());
  }

  @Test
  void aDirectoryGivenAsTheDecisionsFileIsNamedWhenADecisionIsRecorded() throws Exception {
    Path p = policy(null);
    Path dir = Files.createDirectory(tmp.resolve("decisions.d"));
    Run r =
        Run.of("review", p.toString(), "--deny", "host:10.0.0.5", "--decisions", dir.toString());
    assertEquals(2, r.exit(), r.toString());
    assertEquals("egret: " + dir + ": is a directory, not a decisions file\n", r.err());
  }

  @Test
  void denyingAHostOfARoleSaysWhatTheNextPolicyDoesNotThatItIsNoOpenItem() throws Exception {
    Path p = policy(null);
    Run r = Run.of("review", p.toString(), "--deny", "host:10.0.0.5");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(
        "egret: review: 10.0.0.5 is in role host-10-0-0-5 of "
            + p
            + ": the next egret policy leaves it out of every role and withholds all its traffic\n"
            + "egret: review: recorded deny 10.0.0.5/*/*/* in "
            + tmp.resolve("decisions.yaml").toAbsolutePath()
            + "\n",
        r.err());
  }
}
