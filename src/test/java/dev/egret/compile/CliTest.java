package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.cli.ApplyCommand;
import dev.egret.cli.CompileCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
  @TempDir Path tmp;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int run(Object cmd, String... args) {
    CommandLine cl = new CommandLine(cmd);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** The real command line (its error handler and exit codes), as a user runs it. */
  private int egret(String... args) {
    return dev.egret.cli.Egret.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private static String policy(String name) {
    return CompileCases.POLICIES.resolve(name + ".yaml").toString();
  }

  @Test
  void singleFileTargetPrintsToStdout() {
    assertEquals(0, run(new CompileCommand(), "--target", "nftables", policy("single-host")));
    assertTrue(out.toString().startsWith("#!/usr/sbin/nft -f\n"), out.toString());
  }

  @Test
  void multiFileTargetWritesIntoTheDirectory() throws IOException {
    Path dir = tmp.resolve("out");
    assertEquals(
        0,
        run(
            new CompileCommand(),
            "--target",
            "capirca",
            "--mode",
            "gateway",
            policy("cidr"),
            "-o",
            dir.toString()));
    assertTrue(Files.readString(dir.resolve("policies/pol/egret.pol")).contains("term build-ntp"));
    assertTrue(Files.exists(dir.resolve("def/NETWORK.net")));
    assertTrue(err.toString().contains("wrote"), err.toString());
  }

  @Test
  void multiFileTargetWithoutOutputDirIsAUsageError() {
    assertEquals(2, egret("compile", "--target", "iptables", policy("cidr")));
    assertEquals("", out.toString());
    assertEquals(
        "egret: target iptables writes 3 files (ipset.conf, rules.v4, rules.v6); give -o DIR\n",
        err.toString());
  }

  @Test
  void anOutputThatIsAFileIsAUsageErrorAndLeftAsItWas() throws IOException {
    Path file = Files.writeString(tmp.resolve("rules.txt"), "mine\n");
    assertEquals(
        2, egret("compile", "--target", "iptables", policy("cidr"), "-o", file.toString()));
    assertEquals(
        "egret: " + file + ": not a directory (-o names the directory the rules go to)\n",
        err.toString());
    assertEquals("mine\n", Files.readString(file));
  }

  @Test
  void aHostOrServerThatIsNoAddressNamesItsOption() {
    assertEquals(
        2, egret("compile", "--target", "nftables", policy("cidr"), "--host", "10.1.0.999"));
    assertEquals("egret: --host: not an IP address: \"10.1.0.999\"\n", err.toString());
    err.getBuffer().setLength(0);
    assertEquals(
        2,
        egret(
            "resolve",
            "--target",
            "nftables",
            "--once",
            "--server",
            "127.0.0.1:5353",
            policy("cidr")));
    assertEquals("egret: --server: not an IP address: \"127.0.0.1:5353\"\n", err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void noKeepAccessDropsTheKeepAccessRule() {
    assertEquals(
        0, egret("compile", "--target", "nftables", "--no-keep-access", policy("single-host")));
    assertTrue(out.toString().startsWith("#!/usr/sbin/nft -f\n"), out.toString());
    assertTrue(!out.toString().contains("keep-access"), out.toString());
  }

  @Test
  void insideNetworksReplaceThePrivateOnesInGatewayMode() {
    assertEquals(
        0,
        egret(
            "compile",
            "--target",
            "nftables",
            "--mode",
            "gateway",
            "--inside",
            "198.51.100.0/24,2001:db8:77::/48",
            policy("single-host")));
    String nft = out.toString();
    // The site's network and the role's host (10.0.0.5), not the private ranges.
    assertTrue(nft.contains("elements = { 10.0.0.5/32,\n\t\t\t     198.51.100.0/24 }"), nft);
    assertTrue(nft.contains("elements = { 2001:db8:77::/48 }"), nft);
    assertFalse(nft.contains("192.168.0.0/16"), nft);
    assertTrue(
        nft.contains(
            "ip saddr != @inside4 ip daddr @inside4 counter accept comment \"egret: from outside,"
                + " not egress\""),
        nft);
  }

  @Test
  void insideIsForGatewayModeAndTakesPrefixes() {
    assertEquals(
        2,
        egret("compile", "--target", "nftables", "--inside", "10.0.0.0/8", policy("single-host")));
    assertEquals("egret: --inside applies to gateway mode only\n", err.toString());
    err.getBuffer().setLength(0);
    assertEquals(
        2,
        egret(
            "compile",
            "--target",
            "nftables",
            "--mode",
            "gateway",
            "--inside",
            "10.0.0.0/33",
            policy("single-host")));
    assertEquals(
        "egret: --inside: bad prefix length in \"10.0.0.0/33\" (expected 0-32)\n", err.toString());
    assertEquals("", out.toString());
  }

  /** An option the target would ignore is a usage error, one line naming where it applies. */
  @Test
  void optionsATargetWouldIgnoreAreRefused() {
    String[][] cases = {
      {
        "nftables",
        "--audit",
        "--reject",
        "--audit and --reject exclude each other: audit rules" + " block nothing"
      },
      {
        "iptables",
        "--reject",
        "--audit",
        "--audit and --reject exclude each other: audit rules" + " block nothing"
      },
      {
        "dnsmasq",
        "--reject",
        null,
        "--reject applies to the nftables, iptables, ufw and capirca" + " targets only"
      },
      {
        "capirca",
        "--no-keep-access",
        null,
        "--no-keep-access applies to the nftables, iptables" + " and ufw targets only"
      },
      {"nftables", "--standalone", null, "--standalone applies to the iptables target only"},
      {"ufw", "--set-threshold=8", null, "--set-threshold applies to the iptables target only"},
      {"nftables", "--platform=juniper", null, "--platform applies to the capirca target only"},
      {
        "ufw",
        "--log-group=3",
        null,
        "--log-group applies to the nftables and iptables targets" + " only"
      },
      {
        "dnsmasq-ipset",
        "--audit",
        null,
        "--audit applies to the nftables and iptables targets" + " only"
      },
    };
    for (String[] c : cases) {
      out.getBuffer().setLength(0);
      err.getBuffer().setLength(0);
      List<String> args = new java.util.ArrayList<>(List.of("compile", "--target", c[0], c[1]));
      if (c[2] != null) {
        args.add(c[2]);
      }
      args.add(policy("single-host"));
      assertEquals(2, egret(args.toArray(String[]::new)), String.join(" ", args));
      assertEquals("egret: " + c[3] + "\n", err.toString(), String.join(" ", args));
      assertEquals("", out.toString());
    }
  }

  @Test
  void optionsAreKeptForTheTargetsThatReadThem() {
    assertEquals(
        0,
        egret(
            "compile",
            "--target",
            "capirca",
            "--reject",
            "-o",
            tmp.resolve("c").toString(),
            "--platform",
            "juniper",
            policy("single-host")),
        err.toString());
    assertEquals(
        0,
        egret(
            "compile",
            "--target",
            "iptables",
            "--standalone",
            "--set-threshold",
            "2",
            "-o",
            tmp.resolve("i").toString(),
            policy("single-host")),
        err.toString());
    assertEquals(
        0,
        egret("compile", "--target", "ufw", "--reject", "--no-keep-access", policy("single-host")),
        err.toString());
  }

  @Test
  void badModeIsAUsageError() {
    assertEquals(2, egret("compile", "--target", "ufw", "--mode", "router", policy("cidr")));
    assertEquals("", out.toString());
    assertEquals("egret: --mode must be host or gateway, not \"router\"\n", err.toString());
  }

  @Test
  void misspelledOptionIsAUsageError() {
    assertEquals(
        2, egret("compile", "--target", "nftables", "--no-keep-acces", policy("single-host")));
    assertEquals("", out.toString());
    assertTrue(
        err.toString().startsWith("egret: Unknown option: '--no-keep-acces'"), err.toString());
  }

  @Test
  void applyRollsBackUnlessConfirmedAndKeepsWhenConfirmed() throws IOException {
    Tools.require("ip", "nft");
    String ns = "egc-ap" + ProcessHandle.current().pid() % 100000;
    Path dir = tmp.resolve("rules");
    assertEquals(
        0,
        run(new CompileCommand(), "--target", "nftables", policy("single-host"), "-o", "" + dir));
    assertEquals(0, Tools.run(List.of("ip", "netns", "add", ns), null, 10).exit());
    try {
      ApplyCommand silent = new ApplyCommand(new ByteArrayInputStream(new byte[0]));
      int code = run(silent, "--target", "nftables", "--timeout", "1", "--netns", ns, "" + dir);
      assertEquals(1, code, err.toString());
      assertEquals("", tables(ns), "not confirmed: the previous (empty) ruleset is back");
      ApplyCommand yes =
          new ApplyCommand(new ByteArrayInputStream("yes\n".getBytes(StandardCharsets.UTF_8)));
      code = run(yes, "--target", "nftables", "--timeout", "5", "--netns", ns, "" + dir);
      assertEquals(0, code, err.toString());
      assertTrue(tables(ns).contains("table inet egret"), tables(ns));
    } finally {
      Tools.run(List.of("ip", "netns", "del", ns), null, 10);
    }
  }

  /**
   * iptables with an address set: a rollback puts back what an existing set of the same name held
   * and removes the sets the apply created; a confirmed apply keeps the new members.
   */
  @Test
  void applyRollsBackIpsetsWithTheRules() throws IOException {
    Tools.require("ip", "iptables-restore", "ip6tables-restore", "ipset");
    String ns = "egc-as" + ProcessHandle.current().pid() % 100000;
    Path dir = tmp.resolve("ipt");
    assertEquals(
        0,
        run(new CompileCommand(), "--target", "iptables", policy("many-addresses"), "-o", "" + dir),
        err.toString());
    List<String> sets =
        Files.readAllLines(dir.resolve("ipset.conf")).stream()
            .filter(l -> l.startsWith("create "))
            .map(l -> l.split(" ")[1])
            .toList();
    assertTrue(!sets.isEmpty(), "the policy needs an address set");
    String kept = sets.get(0);
    assertEquals(0, Tools.run(List.of("ip", "netns", "add", ns), null, 10).exit());
    try {
      ApplyCommand first = new ApplyCommand(new ByteArrayInputStream(new byte[0]));
      int rolledBack =
          run(first, "--target", "iptables", "--timeout", "1", "--netns", ns, "" + dir);
      assertEquals(1, rolledBack, err.toString());
      assertEquals("", exec(ns, "ipset", "list", "-n").trim(), "sets the apply made are gone");
      assertTrue(!exec(ns, "iptables-save").contains("EGRET"), "the rules are rolled back");
      // A set of the same name from before, holding one address the new policy does not have.
      // (A name rule's set, with timeout support as egret creates it.)
      exec(ns, "ipset", "create", kept, "hash:net", "family", "inet", "timeout", "0");
      exec(ns, "ipset", "add", kept, "192.0.2.99");
      ApplyCommand silent = new ApplyCommand(new ByteArrayInputStream(new byte[0]));
      int code = run(silent, "--target", "iptables", "--timeout", "1", "--netns", ns, "" + dir);
      assertEquals(1, code, err.toString());
      assertEquals(List.of("192.0.2.99"), members(ns, kept), "the old members are back");
      assertEquals(List.of(kept), exec(ns, "ipset", "list", "-n").lines().toList());
      assertTrue(!exec(ns, "iptables-save").contains("EGRET"), "the rules are rolled back");
      ApplyCommand yes =
          new ApplyCommand(new ByteArrayInputStream("yes\n".getBytes(StandardCharsets.UTF_8)));
      code = run(yes, "--target", "iptables", "--timeout", "5", "--netns", ns, "" + dir);
      assertEquals(0, code, err.toString());
      List<String> now = members(ns, kept);
      assertTrue(!now.contains("192.0.2.99") && now.size() > 8, now.toString());
      assertTrue(exec(ns, "iptables-save").contains("--match-set " + kept));
      // Applying again replaces the jump into egret's chain instead of adding a second one.
      ApplyCommand again =
          new ApplyCommand(new ByteArrayInputStream("yes\n".getBytes(StandardCharsets.UTF_8)));
      code = run(again, "--target", "iptables", "--timeout", "5", "--netns", ns, "" + dir);
      assertEquals(0, code, err.toString());
      for (String tool : List.of("iptables-save", "ip6tables-save")) {
        long jumps =
            exec(ns, tool).lines().filter(l -> l.equals("-A OUTPUT -j EGRET-EGRESS")).count();
        assertEquals(1, jumps, tool);
        long drops =
            exec(ns, tool).lines().filter(l -> l.equals("-A EGRET-EGRESS -j DROP")).count();
        assertEquals(1, drops, tool + ": the chain is replaced, not appended to");
      }
    } finally {
      Tools.run(List.of("ip", "netns", "del", ns), null, 10);
    }
  }

  private static String exec(String ns, String... cmd) throws IOException {
    List<String> c = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
    c.addAll(List.of(cmd));
    Tools.Result r = Tools.run(c, null, 10);
    assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r.output());
    return r.output();
  }

  /** Members of a set, without the /32 ipset adds to host entries of a hash:net. */
  private static List<String> members(String ns, String set) throws IOException {
    return exec(ns, "ipset", "save", set)
        .lines()
        .filter(l -> l.startsWith("add "))
        .map(l -> l.split(" ")[2].replace("/32", ""))
        .sorted()
        .toList();
  }

  private static String tables(String ns) throws IOException {
    return Tools.run(List.of("ip", "netns", "exec", ns, "nft", "list", "tables"), null, 10)
        .output()
        .trim();
  }
}
