package dev.egret.compile;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host mode is explicit: a ruleset for one machine holds the rules of that machine's roles only, a
 * machine in no role gets deny-all egress, and a union of roles is asked for by name.
 */
class HostModeTest {
  static final String TWO_ROLES =
      "apiVersion: egret/v1\n"
          + "kind: EgressPolicy\n"
          + "roles:\n"
          + "  - {name: mail, hosts: [10.1.0.11/32], description: mail server}\n"
          + "  - {name: web, hosts: [10.1.0.10/32], description: web server}\n"
          + "rules:\n"
          + "  - name: mail-smtp\n"
          + "    role: mail\n"
          + "    protocol: tcp\n"
          + "    ports: [25]\n"
          + "    icmpTypes: []\n"
          + "    destination: {any: true, names: [], addresses: []}\n"
          + "    broad: true\n"
          + "    exposure: -1\n"
          + "  - name: web-https\n"
          + "    role: web\n"
          + "    protocol: tcp\n"
          + "    ports: [443]\n"
          + "    icmpTypes: []\n"
          + "    destination: {any: false, names: [api.example.com], addresses: [192.0.2.10/32]}\n"
          + "    broad: false\n"
          + "    exposure: 0\n";

  @TempDir Path tmp;
  Path policy;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void write() throws IOException {
    policy = tmp.resolve("policy.yaml");
    Files.writeString(policy, TWO_ROLES, StandardCharsets.UTF_8);
  }

  private int run(String... args) {
    return Egret.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void aPolicyOfSeveralRolesWithoutHostIsRefusedInOneLine() {
    assertEquals(2, run("compile", "--target", "nftables", policy.toString()));
    assertEquals(
        "egret: "
            + policy
            + ": host mode compiles one machine's rules and this policy has 2 roles (mail, web):"
            + " give --host ADDR (the machine's address), --all-roles for their union, or --mode"
            + " gateway\n",
        err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void aHostGetsItsOwnRolesRulesOnly() {
    assertEquals(
        0, run("compile", "--target", "nftables", "--host", "10.1.0.10", policy.toString()));
    assertTrue(out.toString().contains("egret web-https"), out.toString());
    assertFalse(out.toString().contains("mail-smtp"), "the mail server's rule on the web server");
    assertEquals("", err.toString());
  }

  @Test
  void aHostInNoRoleGetsDenyAllEgressAndAWarning() {
    for (String target : new String[] {"nftables", "iptables"}) {
      out.getBuffer().setLength(0);
      err.getBuffer().setLength(0);
      Path dir = tmp.resolve(target);
      assertEquals(
          0,
          run(
              "compile",
              "--target",
              target,
              "--host",
              "10.1.0.20",
              policy.toString(),
              "-o",
              dir.toString()));
      assertTrue(
          err.toString()
              .startsWith(
                  "egret: warning: host 10.1.0.20 is in no role of the policy (it learned no"
                      + " outbound traffic): its rules deny all egress but loopback, established"
                      + " connections, keep-access and IPv6 neighbour discovery\n"),
          err.toString());
    }
    String nft =
        CompileCases.render(
            new NftablesCompiler()
                .compile(
                    dev.egret.policy.PolicyYaml.parse(TWO_ROLES, "p"),
                    CompileOptions.builder(CompileOptions.Mode.HOST)
                        .hosts(java.util.List.of(dev.egret.net.IpAddress.parse("10.1.0.20")))
                        .build()));
    String chain = nft.substring(nft.indexOf("chain egress"));
    assertEquals(
        "chain egress {\n"
            + "\t\ttype filter hook output priority filter; policy drop;\n"
            + "\t\toifname \"lo\" accept\n"
            + "\t\ticmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert } ip6"
            + " hoplimit 255 counter accept comment \"egret: IPv6 neighbour discovery, link-local,"
            + " RFC 4861\"\n"
            + "\t\ticmpv6 type { mld-listener-report, mld-listener-done, mld2-listener-report } ip6"
            + " hoplimit 1 counter accept comment \"egret: IPv6 multicast listener reports,"
            + " link-local, RFC 3810\"\n"
            + "\t\ttcp sport 22 ct state established counter accept comment \"egret keep-access"
            + " tcp/22\"\n"
            + "\t\tct state established,related counter accept\n"
            + "\t\tlimit rate 3/minute burst 10 packets log prefix \"egret-drop \" flags skuid\n"
            + "\t\tcounter drop\n"
            + "\t}\n"
            + "}\n",
        chain);
  }

  @Test
  void allRolesCompilesTheUnionWithAWarning() {
    assertEquals(0, run("compile", "--target", "nftables", "--all-roles", policy.toString()));
    assertTrue(out.toString().contains("mail-smtp") && out.toString().contains("web-https"));
    assertEquals(
        "egret: warning: --all-roles: one ruleset for the 2 roles' rules together; a machine"
            + " loading it may do what any role may\n",
        err.toString());
  }

  @Test
  void allRolesWithHostIsAUsageError() {
    assertEquals(
        2,
        run(
            "compile",
            "--target",
            "nftables",
            "--all-roles",
            "--host",
            "10.1.0.10",
            policy.toString()));
    assertEquals(
        "egret: --all-roles applies to host mode without --host only (gateway mode has every"
            + " role)\n",
        err.toString());
  }

  @Test
  void gatewayModeNeedsNoHost() {
    assertEquals(0, run("compile", "--target", "nftables", "--mode", "gateway", policy.toString()));
    assertTrue(out.toString().contains("ip saddr @s4_mail"), out.toString());
    assertEquals("", err.toString());
  }

  @Test
  void anOutOfRangeKeepAccessPortIsRefusedWithTheFileAndLine() throws IOException {
    Files.writeString(
        policy,
        TWO_ROLES
            + "defaults: {action: drop, allowEstablished: true, allowLoopback: true, logRate: 3,"
            + " logBurst: 10, logPrefix: 'egret-drop ', keepAccess: [tcp/99999]}\n",
        StandardCharsets.UTF_8);
    assertEquals(2, run("compile", "--target", "nftables", "--mode", "gateway", policy.toString()));
    assertEquals("", out.toString());
    String e = err.toString();
    assertEquals(1, e.split("\n", -1).length - 1, e);
    assertTrue(e.startsWith("egret: " + policy + ":23:"), e);
    assertTrue(e.contains("keepAccess") && e.contains("99999") && e.contains("1-65535"), e);
  }

  @Test
  void anOutOfRangeRulePortIsRefusedWithTheFileAndLine() throws IOException {
    Files.writeString(policy, TWO_ROLES.replace("[25]", "[70000]"), StandardCharsets.UTF_8);
    assertEquals(2, run("compile", "--target", "nftables", "--mode", "gateway", policy.toString()));
    String e = err.toString();
    assertEquals(1, e.split("\n", -1).length - 1, e);
    assertTrue(e.startsWith("egret: " + policy + ":10:"), e);
    assertTrue(e.contains("70000"), e);
  }
}
