package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.cli.Egret;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a capture whose DNS answers, TLS server names and HTTP Host headers carry
 * rule text (made by {@code egret synth --hostile}): learn, policy and every compiler. Wire text
 * may appear in the compiled files only inside comments.
 */
class HostileCaptureTest {
  /** Pieces of the hostile names that must never reach rule text outside a comment. */
  private static final List<String> FRAGMENTS =
      List.of(
          "reboot",
          "flush",
          "semi",
          "colon",
          "brace",
          "hash",
          "quote",
          "evil",
          "bcher",
          "nul",
          "backslash",
          "slash");

  @TempDir static Path dir;
  static Path policy;

  @BeforeAll
  static void learnAndPolicy() throws IOException {
    Path pcap = dir.resolve("hostile.pcap");
    run(
        0,
        "synth",
        "-o",
        pcap.toString(),
        "--hostile",
        "--size",
        "300K",
        "--days",
        "3",
        "--hosts",
        "4");
    Path baseline = dir.resolve("baseline.json");
    run(0, "learn", pcap.toString(), "-b", baseline.toString());
    policy = dir.resolve("policy.yaml");
    run(
        0,
        "policy",
        baseline.toString(),
        "--min-flows",
        "1",
        "--min-days",
        "1",
        "-o",
        policy.toString());
    String yaml = Files.readString(policy);
    assertTrue(yaml.contains("reboot"), "the hostile names reached the policy's evidence");
  }

  @Test
  void policyShowAndExportStayOnTheirLines() throws IOException {
    String show = run(0, "baseline", "show", dir.resolve("baseline.json").toString());
    for (String line : show.split("\n")) {
      assertFalse(
          Pattern.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f\\u202e]").matcher(line).find(), line);
    }
    String csv = run(0, "baseline", "export", "--csv", dir.resolve("baseline.json").toString());
    long rows = csv.lines().count();
    String header = csv.lines().findFirst().orElseThrow();
    assertTrue(header.startsWith("host,destination"));
    // One physical line per record: no name brought its own line break.
    assertEquals(rows, csv.split("\n", -1).length - 1);
  }

  @Test
  void compiledRulesCarryWireTextOnlyInComments() throws IOException {
    for (String target :
        List.of("iptables", "nftables", "ufw", "capirca", "dnsmasq", "dnsmasq-ipset")) {
      for (String mode : List.of("host", "gateway")) {
        Path out = dir.resolve(target + "-" + mode);
        StringWriter err = new StringWriter();
        List<String> args =
            new java.util.ArrayList<>(
                List.of(
                    "compile",
                    "--target",
                    target,
                    "--mode",
                    mode,
                    policy.toString(),
                    "-o",
                    out.toString()));
        if (mode.equals("host")) {
          args.add("--all-roles"); // the union of the roles: every rule's names are written
        }
        int code =
            Egret.run(
                args.toArray(new String[0]),
                new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        if (code != 0) {
          // ufw cannot express ICMP and says so for every such rule: an error, not a dropped rule.
          assertTrue(err.toString().contains("unsupported"), target + " " + mode + ": " + err);
          continue;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(out)) {
          files = s.filter(Files::isRegularFile).toList();
        }
        assertFalse(files.isEmpty(), target + " wrote no files");
        for (Path f : files) {
          String text = Files.readString(f, StandardCharsets.UTF_8);
          for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            assertTrue(
                c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f),
                f + ": non-printable char " + (int) c);
          }
          for (String line : text.split("\n")) {
            String code2 = withoutComments(line);
            for (String frag : FRAGMENTS) {
              assertFalse(
                  code2.toLowerCase().contains(frag),
                  f + ": wire text \"" + frag + "\" outside a comment: " + line);
            }
          }
        }
      }
    }
  }

  /** The line with every comment form of the four targets removed. */
  static String withoutComments(String line) {
    String t = line.strip();
    if (t.startsWith("#")) {
      return "";
    }
    List<Pattern> comments = new ArrayList<>();
    comments.add(Pattern.compile("--comment \"[^\"]*\""));
    comments.add(Pattern.compile("comment \"[^\"]*\""));
    comments.add(Pattern.compile("comment '[^']*'"));
    comments.add(Pattern.compile("comment:: \"[^\"]*\""));
    comments.add(Pattern.compile("^\\s*\"[^\"]*\"\\s*$"));
    for (Pattern p : comments) {
      t = p.matcher(t).replaceAll("");
    }
    int hash = t.indexOf(" #");
    t = hash >= 0 ? t.substring(0, hash) : t;
    // ipset restore syntax (ipset.conf): the command word and the set type are not wire text.
    return t.replaceFirst("^(create|flush|add) ", "").replace(" hash:net ", " ");
  }

  static String run(int expected, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Egret.run(args, new PrintWriter(out), new PrintWriter(err));
    assertEquals(expected, code, String.join(" ", args) + ": " + err);
    return out.toString();
  }
}
