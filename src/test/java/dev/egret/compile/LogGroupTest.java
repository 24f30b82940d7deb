package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.cli.Egret;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code compile --log-group N}: the drop log goes to an NFLOG group instead of the kernel log. */
class LogGroupTest {
  static String[] egret(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Egret.run(args, new PrintWriter(out), new PrintWriter(err));
    return new String[] {Integer.toString(rc), out.toString(), err.toString()};
  }

  static String logLine(String text, String word) {
    List<String> lines = text.lines().filter(l -> l.contains(word)).toList();
    assertEquals(1, lines.size(), text);
    return lines.get(0).strip();
  }

  static String policy() {
    return CompileCases.POLICIES.resolve("single-host.yaml").toString();
  }

  @Test
  void nftablesLogsToTheGroupWithoutFlags() {
    String[] r = egret("compile", "--target", "nftables", policy(), "--log-group", "5");
    assertEquals("0", r[0], r[2]);
    assertEquals(
        "limit rate 3/minute burst 10 packets log prefix \"egret-drop \" group 5",
        logLine(r[1], " log "));
    String[] kernel = egret("compile", "--target", "nftables", policy());
    assertEquals(
        "limit rate 3/minute burst 10 packets log prefix \"egret-drop \" flags skuid",
        logLine(kernel[1], " log "));
  }

  @Test
  void iptablesUsesTheNflogTarget(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String[] r =
        egret(
            "compile", "--target", "iptables", policy(), "--log-group", "0", "-o", dir.toString());
    assertEquals("0", r[0], r[2]);
    for (String f : List.of("rules.v4", "rules.v6")) {
      assertEquals(
          "-A EGRET-EGRESS -m limit --limit 3/min --limit-burst 10 -j NFLOG --nflog-group 0"
              + " --nflog-prefix \"egret-drop \"",
          logLine(java.nio.file.Files.readString(dir.resolve(f)), "NFLOG"),
          f);
    }
  }

  @Test
  void otherTargetsAndBadGroupsAreUsageErrors() {
    String[] ufw = egret("compile", "--target", "ufw", policy(), "--log-group", "5");
    assertEquals("2", ufw[0]);
    assertEquals("egret: --log-group applies to the nftables and iptables targets only\n", ufw[2]);
    String[] big = egret("compile", "--target", "nftables", policy(), "--log-group", "65536");
    assertEquals("2", big[0]);
    assertEquals("egret: --log-group must be an NFLOG group from 0 to 65535, not 65536\n", big[2]);
    String[] neg = egret("compile", "--target", "nftables", policy(), "--log-group", "-1");
    assertEquals("2", neg[0]);
    assertEquals("egret: --log-group must be an NFLOG group from 0 to 65535, not -1\n", neg[2]);
  }

  @Test
  void auditLogsEachNewConnectionWithItsUserAndDropsNothing(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String[] nft = egret("compile", "--target", "nftables", policy(), "--audit");
    assertEquals("0", nft[0], nft[2]);
    assertEquals("ct state new log prefix \"egret-drop \" flags skuid", logLine(nft[1], " log "));
    assertEquals(
        "counter accept comment \"egret audit: the policy would drop this\"",
        logLine(nft[1], "egret audit"));
    assertEquals(
        0, nft[1].lines().filter(l -> l.contains("drop\n") || l.endsWith(" drop")).count());
    assertEquals(
        "egret: warning: --audit: these rules block nothing; they log what the policy would block"
            + " and accept it\n",
        nft[2]);
    String[] grouped =
        egret("compile", "--target", "nftables", policy(), "--audit", "--log-group", "3");
    assertEquals("ct state new log prefix \"egret-drop \" group 3", logLine(grouped[1], " log "));
    String[] ipt =
        egret("compile", "--target", "iptables", policy(), "--audit", "-o", dir.toString());
    assertEquals("0", ipt[0], ipt[2]);
    String v4 = java.nio.file.Files.readString(dir.resolve("rules.v4"));
    assertEquals(
        "-A EGRET-EGRESS -m conntrack --ctstate NEW -j LOG --log-prefix \"egret-drop \" --log-uid",
        logLine(v4, "-j LOG"));
    assertEquals(
        "-A EGRET-EGRESS -m comment --comment \"egret audit: the policy would drop this\" -j ACCEPT",
        logLine(v4, "egret audit"));
    assertEquals(0, v4.lines().filter(l -> l.contains("-j DROP") || l.contains("REJECT")).count());
    String[] ufw = egret("compile", "--target", "ufw", policy(), "--audit");
    assertEquals("2", ufw[0]);
    assertEquals("egret: --audit applies to the nftables and iptables targets only\n", ufw[2]);
  }
}
