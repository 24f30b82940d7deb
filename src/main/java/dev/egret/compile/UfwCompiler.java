package dev.egret.compile;

import dev.egret.compile.EgressPlan.Entry;
import dev.egret.compile.EgressPlan.Family;
import dev.egret.compile.EgressPlan.Keep;
import dev.egret.net.Cidr;
import dev.egret.net.Protocols;
import dev.egret.policy.Policy;
import dev.egret.policy.PortRange;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A shell script of ufw commands, {@code egret-ufw.sh}, for a person to read and run: keep-access
 * first, then the default, then one {@code ufw allow out} (host) or {@code ufw route allow}
 * (gateway) per address pair and port chunk. ufw itself accepts loopback and established traffic
 * and rate-limits its log at 3/min, burst 10 ({@code ufw logging low}).
 */
public final class UfwCompiler implements RuleCompiler {
  /** ufw passes port lists to multiport: at most 15 ports, a range counting as two. */
  static final int PORTS_MAX = 15;

  @Override
  public String target() {
    return "ufw";
  }

  @Override
  public CompiledRules compile(Policy policy, CompileOptions options) {
    EgressPlan plan = EgressPlan.of(policy, options);
    Unsupported u = new Unsupported(target());
    for (Rule r : NftablesCompiler.concat(plan.rules, plan.denied)) {
      int p = r.protocolNumber();
      if (p != Protocols.TCP && p != Protocols.UDP) {
        u.add(r.name(), "protocol " + r.protocol());
      }
      if (r.uid() != null) {
        u.add(r.name(), "uid " + r.uid() + ", as ufw cannot match the sending user");
      }
    }
    if (!plan.defaults.allowEstablished()) {
      u.add("defaults", "allowEstablished false (ufw always accepts established traffic)");
    }
    if (!plan.defaults.allowLoopback()) {
      u.add("defaults", "allowLoopback false (ufw always accepts loopback)");
    }
    u.check();

    StringBuilder sb = new StringBuilder();
    sb.append("#!/bin/sh\n");
    sb.append("# egret egress policy as ufw commands, ")
        .append(plan.gateway() ? "gateway mode (routed)" : "host mode (outgoing)")
        .append('\n');
    sb.append("# Read it, then run it as root: sh egret-ufw.sh\n");
    sb.append("set -eu\n\n");
    for (Keep k : plan.keep) {
      String c = " comment " + UfwText.comment("egret keep-access " + k);
      sb.append("ufw allow in proto ").append(k.protocol()).append(" to any port ");
      sb.append(k.port()).append(c).append('\n');
    }
    String what = plan.reject() ? "reject" : "deny";
    sb.append("ufw default ")
        .append(what)
        .append(plan.gateway() ? " routed" : " outgoing")
        .append("\n\n");
    List<String> warnings = new ArrayList<>(plan.warnings);
    warnings.addAll(AnswerFallback.warnings(target(), plan.rules));
    // ufw applies rules in the order added: a person's deny decisions first.
    List<Entry> all = new ArrayList<>(plan.denyEntries);
    all.addAll(plan.entries);
    for (Entry e : all) {
      // ufw cannot match the sets the site resolver fills: a resolved-only rule is any destination.
      boolean any = e.anyDestination() || NameSets.isResolvedOnly(e.rule());
      if (!plan.gateway() && any && e.family() == Family.V6) {
        continue; // ufw's "to any" already covers both families: written once, with IPv4's
      }
      boolean deny = plan.denyEntries.contains(e);
      if (deny && !any && e.named() && e.destinations().isEmpty()) {
        warnings.add(
            "deny rule "
                + e.rule().name()
                + ": no address of its name is known and ufw cannot follow names; not written");
        continue;
      }
      String c = " comment " + UfwText.comment(e.comment());
      List<String> srcs = plan.gateway() ? strings(e.sources()) : List.of("");
      List<String> dsts = any ? List.of("any") : strings(e.destinations());
      String proto = Protocols.name(e.rule().protocolNumber());
      for (String s : srcs) {
        for (String d : dsts) {
          for (String port : portChunks(e.rule().ports())) {
            String verb = deny ? "deny" : "allow";
            sb.append(plan.gateway() ? "ufw route " + verb : "ufw " + verb + " out");
            sb.append(" proto ").append(proto);
            if (plan.gateway()) {
              sb.append(" from ").append(s);
            }
            sb.append(" to ").append(d);
            if (!port.isEmpty()) {
              sb.append(" port ").append(port);
            }
            sb.append(c).append('\n');
          }
        }
      }
    }
    if (plan.gateway()) {
      // The rest of what the site starts is refused here, before the routed default, so that the
      // rule after it, for connections from outside towards the site (inbound, not egress, and the
      // operators' way in), cannot let one host of the site reach another.
      String log = plan.defaults.logRate() > 0 ? " log" : "";
      for (Family f : Family.values()) {
        for (Cidr c : plan.inside(f)) {
          sb.append("ufw route ").append(what).append(log).append(" from ").append(c);
          sb.append(" comment ").append(UfwText.comment("egret: the rest from the site"));
          sb.append('\n');
        }
      }
      for (Family f : Family.values()) {
        for (Cidr c : plan.inside(f)) {
          sb.append("ufw route allow to ").append(c);
          sb.append(" comment ").append(UfwText.comment("egret: from outside, not egress"));
          sb.append('\n');
        }
      }
    }
    sb.append('\n');
    if (plan.defaults.logRate() > 0) {
      sb.append("ufw logging low\n");
    }
    sb.append("ufw --force enable\n");
    return CompiledRules.of(target(), Map.of("egret-ufw.sh", sb.toString())).withWarnings(warnings);
  }

  private static List<String> strings(List<Cidr> cs) {
    List<String> out = new ArrayList<>();
    for (Cidr c : cs) {
      out.add(c.toString());
    }
    return out;
  }

  static List<String> portChunks(List<PortRange> ps) {
    List<String> out = new ArrayList<>();
    if (ps.isEmpty()) {
      out.add("");
      return out;
    }
    StringBuilder cur = new StringBuilder();
    int weight = 0;
    for (PortRange p : ps) {
      int w = p.single() ? 1 : 2;
      if (weight + w > PORTS_MAX) {
        out.add(cur.toString());
        cur.setLength(0);
        weight = 0;
      }
      cur.append(cur.length() == 0 ? "" : ",").append(p.from());
      if (!p.single()) {
        cur.append(':').append(p.to());
      }
      weight += w;
    }
    out.add(cur.toString());
    return out;
  }
}
