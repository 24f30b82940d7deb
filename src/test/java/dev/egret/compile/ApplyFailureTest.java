package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.cli.ApplyCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * apply when a tool fails: its own exit code (3, not the usage error 2), one line naming the tool
 * and its error, and the namespace exactly as it was (no empty tables left by a failed test). And
 * an unconfirmed gateway apply, rolled back: the raw tables as they were, the site's rule kept and
 * a raw table that did not exist gone again.
 */
class ApplyFailureTest {
  @TempDir Path tmp;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final String ns = "egc-af" + ProcessHandle.current().pid() % 100000;

  @AfterEach
  void removeNamespace() throws IOException {
    Tools.run(List.of("ip", "netns", "del", ns), null, 10);
  }

  private int apply(String... args) {
    CommandLine cl = new CommandLine(new ApplyCommand(new ByteArrayInputStream(new byte[0])));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void nftablesRulesThatDoNotCheckExit3AndChangeNothing() throws IOException {
    Tools.require("ip", "nft");
    assertEquals(0, Tools.run(List.of("ip", "netns", "add", ns), null, 10).exit());
    Path dir = Files.createDirectories(tmp.resolve("nft"));
    Files.writeString(
        dir.resolve("egret.nft"), "table inet egret {\n\tchain c {\n\t\tbogus\n\t}\n}\n");
    int code = apply("--target", "nftables", "--timeout", "1", "--netns", ns, dir.toString());
    assertEquals(3, code, err.toString());
    String e = err.toString();
    assertEquals(1, e.split("\n", -1).length - 1, e);
    assertTrue(
        e.startsWith("egret: nft -c -f " + dir.resolve("egret.nft") + " failed (exit 1): "), e);
    assertEquals("", ruleset(), "a failed check changes nothing");
  }

  @Test
  void iptablesRulesThatDoNotCheckExit3AndLeaveNoTablesBehind() throws IOException {
    Tools.require("ip", "nft", "iptables-restore", "ip6tables-restore");
    assertEquals(0, Tools.run(List.of("ip", "netns", "add", ns), null, 10).exit());
    Path dir = Files.createDirectories(tmp.resolve("ipt"));
    Files.writeString(
        dir.resolve("rules.v4"),
        "*filter\n:EGRET-EGRESS - [0:0]\n-A EGRET-EGRESS -p bogus -j ACCEPT\nCOMMIT\n");
    Files.writeString(dir.resolve("rules.v6"), "*filter\n:EGRET-EGRESS - [0:0]\nCOMMIT\n");
    int code = apply("--target", "iptables", "--timeout", "1", "--netns", ns, dir.toString());
    assertEquals(3, code, err.toString());
    String e = err.toString();
    assertEquals(1, e.split("\n", -1).length - 1, e);
    assertTrue(
        e.startsWith(
            "egret: iptables-restore --test --noflush "
                + dir.resolve("rules.v4")
                + " failed (exit "),
        e);
    assertEquals("", ruleset(), "the failed test left tables behind");
  }

  @Test
  void anUnconfirmedGatewayApplyLeavesTheRawTablesAsTheyWere() throws IOException {
    Tools.require("ip", "nft", "iptables-restore", "ip6tables-restore", "iptables-save");
    assertEquals(0, Tools.run(List.of("ip", "netns", "add", ns), null, 10).exit());
    // The site's own raw rule in IPv4; no raw table at all in IPv6.
    netns(
        "iptables",
        "-t",
        "raw",
        "-A",
        "PREROUTING",
        "-p",
        "udp",
        "--dport",
        "9999",
        "-j",
        "CT",
        "--notrack");
    String before4 = save("iptables-save");
    String before6 = save("ip6tables-save");
    String before = ruleset();
    Path dir = Files.createDirectories(tmp.resolve("gw"));
    String rules =
        "*raw\n:EGRET-RPF - [0:0]\n-A PREROUTING -j EGRET-RPF\n-A EGRET-RPF -m addrtype !"
            + " --dst-type LOCAL -m rpfilter --invert -j DROP\nCOMMIT\n*filter\n:EGRET-EGRESS -"
            + " [0:0]\n-A FORWARD -j EGRET-EGRESS\nCOMMIT\n";
    Files.writeString(dir.resolve("rules.v4"), rules);
    Files.writeString(dir.resolve("rules.v6"), rules);
    int code = apply("--target", "iptables", "--timeout", "1", "--netns", ns, dir.toString());
    assertTrue(code != 0 && code != 2 && code != 3, code + ": " + err);
    assertEquals(before4, save("iptables-save"), "the IPv4 tables after the rollback");
    assertEquals(before6, save("ip6tables-save"), "the IPv6 tables after the rollback");
    assertFalse(ruleset().contains("table ip6 raw"), ruleset());
    assertFalse(ruleset().contains("EGRET"), ruleset());
    assertTrue(before.contains("table ip raw"), before);
  }

  private void netns(String... cmd) throws IOException {
    List<String> c = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
    c.addAll(List.of(cmd));
    Tools.Result r = Tools.run(c, null, 10);
    assertEquals(0, r.exit(), r.output());
  }

  /** A save without its dated comment lines. */
  private String save(String tool) throws IOException {
    Tools.Result r = Tools.run(List.of("ip", "netns", "exec", ns, tool), null, 10);
    assertEquals(0, r.exit(), r.output());
    return r.output().replaceAll("(?m)^#.*\n", "");
  }

  @Test
  void aToolTimeoutBelowOneSecondIsAUsageError() {
    assertEquals(
        2,
        dev.egret.cli.Egret.run(
            new String[] {"apply", "--target", "nftables", "--tool-timeout", "0", tmp.toString()},
            new PrintWriter(out, true),
            new PrintWriter(err, true)));
    assertEquals("egret: --tool-timeout must be at least 1 second\n", err.toString());
  }

  private String ruleset() throws IOException {
    Tools.Result r =
        Tools.run(List.of("ip", "netns", "exec", ns, "nft", "list", "ruleset"), null, 10);
    assertEquals(0, r.exit(), r.output());
    return r.output().trim();
  }
}
