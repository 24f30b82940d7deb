package dev.egret.compile;

import dev.egret.policy.PortRange;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * Targets that cannot match the sets the site resolver fills (ufw, Capirca) compile a resolved-only
 * rule ({@link NameSets#isResolvedOnly}) as any destination, as before such rules existed, and say
 * so once per rule: the rule then lets a bare address through, which it was there to block.
 */
final class AnswerFallback {
  private AnswerFallback() {}

  /**
   * One warning per resolved-only rule among {@code rules} (the allowing ones: a deny rule written
   * for any destination blocks more, not less), in their order.
   */
  static List<String> warnings(String target, List<Rule> rules) {
    List<String> out = new ArrayList<>();
    for (Rule r : rules) {
      if (NameSets.isResolvedOnly(r)) {
        out.add(warning(target, r));
      }
    }
    return out;
  }

  /**
   * {@code ufw cannot follow the site resolver's answers: rule R allows any destination on tcp 80,
   * 443, a bare address included; use nftables or iptables with the dnsmasq target}.
   */
  static String warning(String target, Rule r) {
    List<String> ports = r.ports().stream().map(PortRange::toString).toList();
    String service = ports.isEmpty() ? r.protocol() : r.protocol() + " " + String.join(", ", ports);
    return target
        + " cannot follow the site resolver's answers: rule "
        + r.name()
        + " allows any destination on "
        + service
        + ", a bare address included; use nftables or iptables with the dnsmasq target";
  }
}
