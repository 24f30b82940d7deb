package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line reads the same everywhere: every command has a one-line header and lists its own
 * exit codes (not the root's), every option with a fixed set of values lists them, and each
 * command's documented failure modes really exit with the code its --help gives.
 */
class CliConsistencyTest {
  @TempDir Path dir;

  static List<CommandLine> commands() {
    List<CommandLine> out = new ArrayList<>();
    collect(Egret.commandLine(), out);
    return out;
  }

  private static void collect(CommandLine cl, List<CommandLine> out) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!sub.getCommandName().equals("help")) {
        out.add(sub);
        collect(sub, out);
      }
    }
  }

  /** Commands for which exit 1 means something besides a crash, as their --help says. */
  static final Set<String> USE_ONE =
      Set.of("egret check", "egret diff", "egret capture", "egret resolve");

  @Test
  void everyCommandHasAOneLineHeaderAndItsOwnExitCodes() {
    List<String> problems = new ArrayList<>();
    for (CommandLine c : commands()) {
      String name = c.getCommandSpec().qualifiedName();
      String[] header = c.getCommandSpec().usageMessage().header();
      if (header.length != 1 || header[0].isBlank() || header[0].length() > 68) {
        problems.add(name + ": header must be one line of up to 68 characters");
      }
      Map<String, String> codes = c.getCommandSpec().usageMessage().exitCodeList();
      Set<String> keys = new TreeSet<>();
      codes.keySet().forEach(k -> keys.add(k.strip()));
      if (!keys.contains("0") || !keys.contains("2")) {
        problems.add(name + ": exit codes " + keys + " lack 0 or 2");
      }
      if (keys.contains("1") != USE_ONE.contains(name) && !name.equals("egret apply")) {
        problems.add(name + ": exit code 1 listed " + keys.contains("1"));
      }
      if (!c.getUsageMessage().contains("Exit codes:")) {
        problems.add(name + ": --help shows no exit codes");
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void optionsWithAFixedSetOfValuesListThemAndHaveALabel() {
    List<String> problems = new ArrayList<>();
    for (CommandLine c : commands()) {
      for (OptionSpec o : c.getCommandSpec().options()) {
        Iterable<String> values = o.completionCandidates();
        if (values == null || o.arity().max() == 0) {
          continue;
        }
        String text = String.join(" ", o.renderedDescription());
        for (String v : values) {
          if (!text.contains(v)) {
            problems.add(c.getCommandSpec().qualifiedName() + " " + o.longestName() + ": " + v);
          }
        }
        if (!o.paramLabel().startsWith("<")) {
          problems.add(o.longestName() + " label " + o.paramLabel());
        }
      }
    }
    assertTrue(problems.isEmpty(), "values not listed:\n" + String.join("\n", problems));
  }

  /** Runs egret; returns the exit code after checking the message is one line naming the fault. */
  int fails(String expectedStart, String... args) {
    Cli c = Cli.run(args);
    String[] lines = c.err().split("\n");
    assertTrue(lines[0].startsWith(expectedStart), String.join(" ", args) + ": " + c.err());
    return c.rc();
  }

  /** The exit code {@code code} is one that {@code command}'s --help lists. */
  static void listed(String command, int code) {
    CommandLine cl = Egret.commandLine();
    for (String part : command.split(" ")) {
      cl = cl.getSubcommands().get(part);
    }
    Set<String> keys = new TreeSet<>();
    cl.getCommandSpec().usageMessage().exitCodeList().keySet().forEach(k -> keys.add(k.strip()));
    assertTrue(
        keys.contains(Integer.toString(code)), command + " exits " + code + ", lists " + keys);
  }

  @Test
  void documentedFailureModesExitWithTheirCodes() {
    String missing = dir.resolve("missing").toString();
    String policies = "src/test/resources/policies/";
    Object[][] cases = {
      {"flows", 2, "egret: " + missing, new String[] {"flows", missing}},
      {
        "learn",
        2,
        "egret: " + missing,
        new String[] {"learn", missing, "-b", dir.resolve("b").toString()}
      },
      {"capture", 2, "egret: Missing required option", new String[] {"capture", "-b", missing}},
      {"interfaces", 2, "egret: Unknown option", new String[] {"interfaces", "--no-such-option"}},
      {"baseline show", 2, "egret: " + missing, new String[] {"baseline", "show", missing}},
      {"baseline export", 2, "egret: " + missing, new String[] {"baseline", "export", missing}},
      {
        "baseline merge",
        2,
        "egret: " + missing,
        new String[] {"baseline", "merge", missing, missing, "-o", dir.resolve("m").toString()}
      },
      {"policy", 2, "egret: " + missing, new String[] {"policy", missing}},
      {
        "check",
        2,
        "egret: " + missing,
        new String[] {"check", "--policy", missing, "captures/webserver.pcapng"}
      },
      {
        "check",
        1,
        "egret: check:",
        new String[] {
          "check", "--policy", policies + "single-host.yaml", "captures/webserver.pcapng"
        }
      },
      {"diff", 2, "egret: " + missing, new String[] {"diff", missing, policies + "cidr.yaml"}},
      {"diff", 1, "", new String[] {"diff", policies + "cidr.yaml", policies + "ports.yaml"}},
      {
        "compile",
        2,
        "egret: unknown target",
        new String[] {"compile", "--target", "pf", policies + "cidr.yaml"}
      },
      {"apply", 2, "egret: Missing required option", new String[] {"apply", missing}},
      {"drops", 2, "egret: " + missing, new String[] {"drops", missing}},
      {
        "report",
        2,
        "egret: " + missing,
        new String[] {"report", missing, "-o", dir.resolve("r.html").toString()}
      },
      {
        "resolve",
        2,
        "egret: " + missing,
        new String[] {"resolve", "--target", "nftables", missing, "--once"}
      },
      {"review", 2, "egret: " + missing, new String[] {"review", missing}},
      {"synth", 2, "egret: Missing required option", new String[] {"synth"}},
      {"score", 2, "egret: Missing required options", new String[] {"score"}},
    };
    List<String> problems = new ArrayList<>();
    Set<String> covered = new TreeSet<>();
    for (Object[] c : cases) {
      String command = (String) c[0];
      int code = fails((String) c[2], (String[]) c[3]);
      if (code != (int) c[1]) {
        problems.add(command + ": exit " + code + ", expected " + c[1]);
      }
      listed(command, code);
      covered.add(command.split(" ")[0]);
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertEquals(new TreeSet<>(Egret.COMMANDS), covered, "every command has a failure case");
  }

  @Test
  void theManPagesAndCompletionAreBuiltWithTheJar() throws Exception {
    Path share = Path.of("target/classes/share");
    assertTrue(java.nio.file.Files.isRegularFile(share.resolve("man/man1/egret.1")));
    Docs.write(dir, Egret.commandLine());
    for (String c : Egret.COMMANDS) {
      Path page = dir.resolve("man/man1/egret-" + c + ".1");
      String text = java.nio.file.Files.readString(page);
      assertTrue(text.startsWith(".TH EGRET-" + c.toUpperCase(java.util.Locale.ROOT) + " 1"), c);
      assertTrue(text.contains("\n.SH EXIT STATUS\n"), c);
      assertFalse(text.contains("%n"), c);
    }
    String drops = java.nio.file.Files.readString(dir.resolve("man/man1/egret-drops.1"));
    assertTrue(drops.contains("\\fB\\-\\-log\\-group\\fR \\fIN\\fR\n"), drops);
    String bash = java.nio.file.Files.readString(dir.resolve("bash-completion/completions/egret"));
    assertTrue(
        bash.contains(
            "(\"capirca\" \"dnsmasq\" \"dnsmasq-ipset\" \"iptables\" \"nftables\" \"ufw\")"),
        "compile --target values");
    assertTrue(bash.contains("(\"table\" \"csv\" \"json\")"), "drops --format values");
    assertTrue(bash.contains("(\"host\" \"gateway\")"), "--mode values");
    if (dev.egret.testutil.Requirements.which("bash") != null) {
      Process p =
          new ProcessBuilder(
                  "bash", "-n", dir.resolve("bash-completion/completions/egret").toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(0, p.waitFor(), out);
    }
  }

  @Test
  void durationsAreWrittenWithUnitsEverywhere() {
    ApplyCommand apply = new ApplyCommand();
    new CommandLine(apply).parseArgs("--target", "nftables", "dir", "--timeout", "2m");
    assertEquals(120, apply.timeout);
    assertEquals(30, apply.toolTimeout, "default 30s");
    ApplyCommand bare = new ApplyCommand();
    new CommandLine(bare).parseArgs("--target", "nftables", "dir", "--timeout", "45");
    assertEquals(45, bare.timeout, "a bare number is seconds");
    ResolveCommand resolve = new ResolveCommand();
    new CommandLine(resolve).parseArgs("--target", "nftables", "p.yaml", "--max-ttl", "2h");
    assertEquals(7200, resolve.ttlOptions.maxTtl);
    assertEquals(300, resolve.ttlOptions.grace, "default 5m");
    CaptureCommand capture = new CaptureCommand();
    new CommandLine(capture).parseArgs("-i", "eth0", "--rotate", "90m", "--status-every", "200ms");
    assertEquals(5_400_000_000_000L, capture.source.rotateNanos);
    assertEquals(200_000_000L, capture.run.statusEveryNanos);
    assertEquals(300_000_000_000L, capture.run.checkpointNanos, "default 5m");
    assertEquals(3_600_000_000_000L, capture.drift.alertEveryNanos, "default 1h");
    Cli bad = Cli.run("apply", "--target", "nftables", "dir", "--timeout", "soon");
    assertEquals(2, bad.rc());
    assertEquals(
        "egret: Invalid value for option '--timeout': not a duration: \"soon\" (expected e.g."
            + " 30s, 5m, 1h, 3d)",
        bad.err().split("\n")[0]);
    for (String option : List.of("--rotate", "--checkpoint", "--status-every", "--alert-every")) {
      Cli c = Cli.run("capture", "-i", "eth0", option, "0s");
      assertEquals(2, c.rc(), option);
      assertEquals(
          "egret: Invalid value for option '" + option + "': duration must be positive: \"0s\"",
          c.err().split("\n")[0]);
    }
  }

  /** Capture's drift options without --policy would do nothing: refused before capturing. */
  @Test
  void captureRefusesDriftOptionsWithoutAPolicy(@TempDir Path dir) {
    for (String[] extra :
        List.of(
            new String[] {"--alert-every", "5m"},
            new String[] {"--alerts", dir.resolve("a.jsonl").toString()},
            new String[] {"--learn-blocked"})) {
      List<String> args =
          new java.util.ArrayList<>(
              List.of("capture", "-i", "egret-none0", "-b", dir.resolve("b.json").toString()));
      args.addAll(List.of(extra));
      Cli c = Cli.run(args.toArray(String[]::new));
      assertEquals(2, c.rc(), String.join(" ", args));
      assertEquals(
          "egret: --alerts, --alert-every, --held and --learn-blocked need --policy\n", c.err());
    }
  }
}
