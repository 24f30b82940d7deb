package dev.egret.enforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.enforce.Transaction.Outcome;
import dev.egret.enforce.Transaction.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apply transaction with a fake tool runner: which commands run in which order, what each
 * failure leads to, and that the saved state is put back whenever the new rules do not stay.
 */
class TransactionTest {
  @TempDir Path dir;

  /** Records every command; fails those the predicate picks, with a one-line error. */
  static final class FakeTools implements Tools {
    final List<String> ran = new ArrayList<>();
    final Predicate<String> fails;
    final String errorText;

    FakeTools(Predicate<String> fails, String errorText) {
      this.fails = fails;
      this.errorText = errorText;
    }

    @Override
    public String run(List<String> cmd) {
      String c = String.join(" ", cmd);
      ran.add(c);
      if (fails.test(c)) {
        throw new ToolException(c + " failed (exit 1): " + errorText);
      }
      if (c.equals("nft list ruleset")) {
        return "table inet site {\n}\n";
      }
      if (c.equals("ipset list -n")) {
        return "ed4-old\n";
      }
      if (c.startsWith("ipset save ")) {
        return "create ed4-old hash:net family inet\nadd ed4-old 192.0.2.1\n";
      }
      if (c.equals("iptables-save")) {
        return "*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -j EGRET-EGRESS\nCOMMIT\n";
      }
      return "";
    }

    boolean ranAny(String prefix) {
      return ran.stream().anyMatch(c -> c.startsWith(prefix));
    }
  }

  private Result apply(Firewall fw, FakeTools tools, boolean confirm) throws Exception {
    return new Transaction(fw, tools).apply(dir, () -> confirm);
  }

  @Test
  void confirmedRulesStayAndNothingIsRestored() throws Exception {
    FakeTools t = new FakeTools(c -> false, "");
    Result r = apply(new NftablesFirewall(), t, true);
    assertEquals(new Result(Outcome.KEPT, "confirmed, new rules kept"), r);
    String nft = dir.resolve("egret.nft").toString();
    assertEquals(List.of("nft -c -f " + nft, "nft list ruleset", "nft -f " + nft), t.ran);
  }

  @Test
  void unconfirmedRulesAreRolledBackToTheSavedRuleset() throws Exception {
    FakeTools t = new FakeTools(c -> false, "");
    Result r = apply(new NftablesFirewall(), t, false);
    assertEquals(new Result(Outcome.NOT_CONFIRMED, "previous rules restored"), r);
    assertEquals(4, t.ran.size(), t.ran.toString());
    assertTrue(t.ran.get(3).matches("nft -f .*egret-apply-.*/nftables.rules"), t.ran.get(3));
  }

  @Test
  void rulesThatDoNotCheckChangeNothing() throws Exception {
    FakeTools t = new FakeTools(c -> c.startsWith("nft -c"), "syntax error");
    Result r = apply(new NftablesFirewall(), t, true);
    assertEquals(Outcome.TOOL_FAILED, r.outcome());
    assertEquals(
        "nft -c -f " + dir.resolve("egret.nft") + " failed (exit 1): syntax error", r.message());
    assertEquals(1, t.ran.size(), "nothing saved, loaded or restored: " + t.ran);
  }

  @Test
  void aLoadThatFailsIsRolledBack() throws Exception {
    FakeTools t = new FakeTools(c -> c.startsWith("nft -f " + dir), "no memory");
    Result r = apply(new NftablesFirewall(), t, true);
    assertEquals(Outcome.TOOL_FAILED, r.outcome());
    assertTrue(
        r.message().startsWith("loading failed, previous rules restored: nft -f "), r.message());
    assertTrue(t.ran.get(t.ran.size() - 1).endsWith("/nftables.rules"), t.ran.toString());
  }

  @Test
  void aRollbackThatFailsTooReportsBothErrors() throws Exception {
    FakeTools t = new FakeTools(c -> c.startsWith("nft -f "), "busy");
    Result r = apply(new NftablesFirewall(), t, true);
    assertEquals(Outcome.ROLLBACK_FAILED, r.outcome());
    String m = r.message();
    assertTrue(m.startsWith("nft -f " + dir.resolve("egret.nft") + " failed (exit 1): busy"), m);
    assertTrue(m.contains("; restoring the previous rules failed too: nft -f "), m);
    assertTrue(m.endsWith("nftables.rules failed (exit 1): busy"), m);
  }

  @Test
  void aRollbackThatFailsAfterNoConfirmationSaysSo() throws Exception {
    FakeTools t = new FakeTools(c -> c.matches("nft -f .*nftables.rules"), "gone");
    Result r = apply(new NftablesFirewall(), t, false);
    assertEquals(Outcome.ROLLBACK_FAILED, r.outcome());
    assertTrue(
        r.message().startsWith("the new rules were not confirmed; restoring the previous rules"),
        r.message());
  }

  @Test
  void aToolsHostileOutputReachesTheTerminalEscaped() throws Exception {
    FakeTools t = new FakeTools(c -> c.startsWith("nft -c"), "bad\u001b]0;owned\u0007 rule");
    Result r = apply(new NftablesFirewall(), t, true);
    assertFalse(r.message().contains("\u001b"), r.message());
    assertFalse(r.message().contains("\u0007"), r.message());
  }

  @Test
  void iptablesSetsThatFailToLoadAreRemovedAndOldSetsGetTheirMembersBack() throws Exception {
    Files.writeString(
        dir.resolve("ipset.conf"),
        "create ed4-old hash:net family inet -exist\nflush ed4-old\n"
            + "create ed4-new hash:net family inet -exist\nflush ed4-new\n");
    FakeTools t = new FakeTools(c -> c.contains("ipset restore -exist < \"$1\" sh " + dir), "x");
    Result r = apply(new IptablesFirewall(), t, true);
    assertEquals(Outcome.TOOL_FAILED, r.outcome(), r.message());
    List<String> after = t.ran.subList(t.ran.indexOf(failing(t)) + 1, t.ran.size());
    assertTrue(
        after.get(0).startsWith("sh -ec iptables-restore < \"$1\"; ip6tables-restore"), "" + after);
    assertTrue(
        after.stream().anyMatch(c -> c.matches("sh -ec ipset restore .*/ipset.conf")), "" + after);
    assertEquals("ipset destroy ed4-new", after.get(after.size() - 1));
    assertFalse(t.ranAny("iptables-restore --noflush"), "nothing loaded: " + t.ran);
  }

  @Test
  void iptablesLoadDeletesTheJumpAnEarlierApplyLeft() throws Exception {
    FakeTools t = new FakeTools(c -> false, "");
    assertEquals(Outcome.KEPT, apply(new IptablesFirewall(), t, true).outcome());
    assertTrue(t.ran.contains("iptables -D OUTPUT -j EGRET-EGRESS"), t.ran.toString());
    int load = t.ran.indexOf("iptables-restore --noflush " + dir.resolve("rules.v4"));
    assertTrue(load >= 0 && load < t.ran.indexOf("iptables -D OUTPUT -j EGRET-EGRESS"));
  }

  @Test
  void theIptablesChainIsTheOneTheCompilerWrites() {
    // enforce may not depend on compile; the two names must still agree.
    assertEquals(dev.egret.compile.IptablesCompiler.CHAIN, IptablesFirewall.CHAIN);
  }

  @Test
  void theRawChainIsTheOneTheCompilerWrites() {
    assertEquals(dev.egret.compile.IptablesCompiler.RPF_CHAIN, IptablesFirewall.RPF_CHAIN);
  }

  @Test
  void iptablesOldJumpsIncludeRawPreroutingOnesAndOnlyInTheirTables() {
    String saved =
        "*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j EGRET-RPF\nCOMMIT\n"
            + "*mangle\n-A FORWARD -j EGRET-EGRESS\nCOMMIT\n"
            + "*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -j EGRET-EGRESS\nCOMMIT\n";
    assertEquals(
        List.of(
            List.of("ip6tables", "-t", "raw", "-D", "PREROUTING", "-j", "EGRET-RPF"),
            List.of("ip6tables", "-D", "FORWARD", "-j", "EGRET-EGRESS")),
        IptablesFirewall.oldJumps("ip6tables", saved));
  }

  @Test
  void aRawTableNeverUsedIsRestoredEmptyOnlyWhenTheLoadTouchesIt() {
    String saved = "*filter\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
    assertEquals(saved, IptablesFirewall.withRaw(saved, false));
    assertEquals(saved + IptablesFirewall.EMPTY_RAW, IptablesFirewall.withRaw(saved, true));
    String raw = "*raw\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n" + saved;
    assertEquals(raw, IptablesFirewall.withRaw(raw, true));
    assertTrue(IptablesFirewall.touchesRaw("# x\n*raw\n:EGRET-RPF - [0:0]\nCOMMIT\n", saved));
    assertTrue(IptablesFirewall.touchesRaw("*filter\nCOMMIT\n", "-A PREROUTING -j EGRET-RPF\n"));
    assertFalse(IptablesFirewall.touchesRaw("*filter\nCOMMIT\n", saved));
  }

  @Test
  void theScratchFilesAreRemoved() throws Exception {
    FakeTools t = new FakeTools(c -> false, "");
    apply(new NftablesFirewall(), t, false);
    String restore = t.ran.get(3);
    Path scratch = Path.of(restore.substring("nft -f ".length())).getParent();
    assertFalse(Files.exists(scratch), scratch + " left behind");
  }

  private static String failing(FakeTools t) {
    return t.ran.stream().filter(t.fails).findFirst().orElseThrow();
  }
}
