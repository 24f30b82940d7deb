package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The iptables target's reverse path check: in gateway mode, not in audit mode, both files start
 * with a raw table section whose chain, jumped to from PREROUTING, drops a forwarded packet whose
 * source is not routed back through the interface it came in on; host mode has no raw table.
 */
class IptablesReversePathTest {
  static final String DROP =
      "-A EGRET-RPF -m addrtype ! --dst-type LOCAL -m rpfilter --invert -m comment --comment"
          + " \"egret: forged source, not routed back where it came from\" -j DROP\n";

  static Map<String, String> files(CompileOptions o) {
    return new IptablesCompiler().compile(SharedNamePolicy.policy(), o).files();
  }

  @Test
  void gatewayModeDropsForgedSourcesInTheRawTableBeforeTheFilterTable() {
    for (String f : List.of("rules.v4", "rules.v6")) {
      String text = files(CompileOptions.gateway()).get(f);
      String raw = "*raw\n:EGRET-RPF - [0:0]\n-A PREROUTING -j EGRET-RPF\n" + DROP + "COMMIT\n";
      assertTrue(text.contains(raw), text);
      assertTrue(text.indexOf("*raw\n") < text.indexOf("*filter\n"), text);
      assertEquals(1, text.split("\\*raw\n", -1).length - 1, text);
      assertTrue(text.contains("--noflush < this file"), text);
    }
  }

  @Test
  void standaloneGatewayModeOwnsTheRawTableWithAcceptPolicies() {
    CompileOptions o = CompileOptions.gateway().toBuilder().standalone(true).build();
    for (String f : List.of("rules.v4", "rules.v6")) {
      String text = files(o).get(f);
      assertTrue(
          text.contains(
              "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:EGRET-RPF - [0:0]\n"
                  + "-A PREROUTING -j EGRET-RPF\n"
                  + DROP
                  + "COMMIT\n"),
          text);
      assertTrue(text.contains("# Replaces the whole raw and filter tables: "), text);
    }
  }

  @Test
  void auditModeAndHostModeLeaveTheRawTableAlone() {
    CompileOptions audit = CompileOptions.gateway().toBuilder().audit(true).build();
    CompileOptions host = CompileOptions.host().toBuilder().allRoles(true).build();
    for (CompileOptions o : List.of(audit, host)) {
      for (String text : files(o).values()) {
        assertFalse(text.contains("*raw"), text);
        assertFalse(text.contains("rpfilter"), text);
      }
    }
  }
}
