package dev.egret.compile;

import dev.egret.compile.CapircaPlatform.Feature;
import dev.egret.net.Protocols;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Capirca platforms a policy opens. Asked for by name ({@code --platform}), each must express
 * every rule, or compiling fails naming rule, feature and platform. By default, every platform that
 * can express the policy is opened, and one warning per reason names the platforms left out and the
 * rules behind it.
 */
final class CapircaSelection {
  private CapircaSelection() {}

  /**
   * The rules that become terms, in term order: a person's deny decisions, then the allowlist. A
   * deny on names with no address known is left out (Capirca cannot follow names), as ufw does.
   */
  static List<Rule> terms(EgressPlan plan) {
    List<Rule> all = new ArrayList<>();
    for (Rule r : plan.denied) {
      if (!namesOnly(r)) {
        all.add(r);
      }
    }
    all.addAll(plan.rules);
    return List.copyOf(all);
  }

  static boolean namesOnly(Rule r) {
    return !r.destination().any() && r.destination().addresses().isEmpty();
  }

  /** The platforms to open, in header order; what cannot be opened goes to {@code u}. */
  static List<CapircaPlatform> open(
      EgressPlan plan, List<String> asked, Unsupported u, List<String> warnings) {
    Set<String> candidates = new LinkedHashSet<>(asked == null ? CapircaPlatform.names() : asked);
    // reason -> platforms left out for it, and the rules behind it
    Map<String, Set<String>> platformsFor = new LinkedHashMap<>();
    Map<String, Set<String>> rulesFor = new LinkedHashMap<>();
    List<CapircaPlatform> open = new ArrayList<>();
    for (CapircaPlatform p : CapircaPlatform.ALL) {
      if (!candidates.contains(p.name())) {
        continue;
      }
      Map<String, Map<String, String>> why = reasons(plan, p);
      if (why.isEmpty()) {
        open.add(p);
        continue;
      }
      why.forEach(
          (reason, rules) -> {
            if (asked != null) {
              (rules.isEmpty() ? Map.of("policy", reason) : rules)
                  .forEach((r, what) -> u.add(r, what + " for platform " + p.name()));
            }
            platformsFor.computeIfAbsent(reason, k -> new LinkedHashSet<>()).add(p.name());
            rulesFor.computeIfAbsent(reason, k -> new TreeSet<>()).addAll(rules.keySet());
          });
    }
    if (asked == null && open.isEmpty()) {
      platformsFor.forEach(
          (reason, ps) ->
              u.add(String.join(", ", rulesFor.get(reason)), reason + " for platforms " + ps));
    }
    if (asked == null) {
      platformsFor.forEach(
          (reason, ps) ->
              warnings.add(
                  "capirca: not opened for "
                      + String.join(", ", ps)
                      + ": "
                      + reason
                      + list(rulesFor.get(reason))
                      + "; --platform names the platforms to open"));
    }
    return open;
  }

  /**
   * Why {@code p} cannot express the plan: each reason to the rules behind it ({@code defaults} for
   * the default action, none when the policy has no rule), each with what it needs that {@code p}
   * lacks, in the words of an error about that rule alone.
   */
  static Map<String, Map<String, String>> reasons(EgressPlan plan, CapircaPlatform p) {
    Map<String, Map<String, String>> why = new LinkedHashMap<>();
    Set<String> protocols = new TreeSet<>();
    Map<String, String> protocolRules = new LinkedHashMap<>();
    List<Rule> all = terms(plan);
    for (Rule r : all) {
      if (!p.protocols().contains(r.protocolNumber())) {
        protocols.add(r.protocol());
        protocolRules.put(r.name(), "protocol " + r.protocol());
      }
    }
    if (!protocols.isEmpty()) {
      why.put(
          (protocols.size() == 1 ? "protocol " : "protocols ") + String.join(", ", protocols),
          protocolRules);
    }
    for (Feature f : Feature.values()) {
      if (p.features().contains(f)) {
        continue;
      }
      List<String> rules = new ArrayList<>();
      boolean needed = false;
      switch (f) {
        case ICMP_TYPES ->
            plan.rules.stream()
                .filter(r -> !r.icmpTypes().isEmpty())
                .forEach(r -> rules.add(r.name()));
        case REJECT -> {
          if (plan.reject()) {
            rules.add("defaults");
          }
        }
        case ROLES -> {
          if (plan.roles.size() > 1) {
            plan.rules.forEach(r -> rules.add(r.name()));
          }
        }
        case PORTS_BEYOND_TCP_UDP ->
            plan.rules.stream()
                .filter(r -> !r.ports().isEmpty())
                .filter(
                    r -> r.protocolNumber() != Protocols.TCP && r.protocolNumber() != Protocols.UDP)
                .forEach(r -> rules.add(r.name()));
        case NO_RULES -> needed = all.isEmpty();
        case DENY_RULES -> plan.denied.forEach(r -> rules.add(r.name()));
      }
      if (needed || !rules.isEmpty()) {
        Map<String, String> m = new LinkedHashMap<>();
        rules.forEach(r -> m.put(r, f.reason));
        why.put(f.reason, m);
      }
    }
    Map<String, String> manyPorts = new LinkedHashMap<>();
    String tooMany = "more than " + p.portsMax() + " port ranges in a rule";
    for (Rule r : all) {
      if (r.ports().size() > p.portsMax()) {
        manyPorts.put(r.name(), tooMany);
      }
    }
    if (!manyPorts.isEmpty()) {
      why.put(tooMany, manyPorts);
    }
    return why;
  }

  /** " (a, b, c +N more)", or nothing for no rules. */
  private static String list(Set<String> rules) {
    if (rules.isEmpty()) {
      return "";
    }
    List<String> all = new ArrayList<>(rules);
    int shown = Math.min(3, all.size());
    String s = String.join(", ", all.subList(0, shown));
    return " (" + s + (all.size() > shown ? " +" + (all.size() - shown) + " more" : "") + ")";
  }
}
