package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Entry;
import dev.egret.baseline.Thresholds;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the smallest allowlist that lets every host do what it was seen doing, within the
 * thresholds, and nothing more; the output is a pure function of the baseline and config. The jobs,
 * in order: {@link Findings} sorts entries into allowed, review and anomalies; {@link RoleGrouper}
 * puts hosts with similar traffic into roles; {@link RuleBuilder} writes each role's rules, where a
 * port whose destinations spread wide across the window ({@link Spread}) becomes "any destination"
 * and names under one registered domain a wildcard, both flagged broad and covering the one-offs
 * they stand for; {@link Annotator} writes the review list and anomalies in order of importance;
 * {@link Metadata} records where the evidence came from and warns when it is thin.
 */
public final class PolicyGenerator {
  private final EgretConfig config;
  private final Thresholds t;

  public PolicyGenerator(EgretConfig config) {
    this.config = config;
    this.t = config.thresholds();
  }

  public Policy generate(Baseline b) {
    Names names = new Names(b);
    Findings findings = new Findings(b, t, names);
    // One-offs: below the thresholds, or answered but new on the last day. A broad rule covers
    // them where the role's destinations spread wide; elsewhere they stay listed.
    List<Entry> oneOffs = new ArrayList<>();
    findings.review.forEach(r -> oneOffs.add(r.entry()));
    for (Findings.Flagged f : findings.anomalies) {
      if (f.anomaly().kind().equals(AnomalyKind.LATE_NEW.id())) {
        oneOffs.addAll(f.entries());
      }
    }
    RoleGrouper grouper =
        new RoleGrouper(
            findings.allowed, oneOffs, findings.withheld, config, names, findings.neededDays);
    Map<String, List<Entry>> byHost = byHost(findings.allowed);
    Map<String, List<Entry>> oneOffsByHost = byHost(oneOffs);
    Map<String, List<Entry>> withheldByHost = byHost(findings.withheld);
    List<Rule> rules = new ArrayList<>();
    RuleBuilder builder = new RuleBuilder(t, names, new HashSet<>());
    for (Map.Entry<String, List<String>> role : grouper.members.entrySet()) {
      List<Entry> es = new ArrayList<>();
      List<Entry> small = new ArrayList<>();
      Map<String, Set<IpAddress>> withheld = new TreeMap<>();
      for (String h : role.getValue()) {
        es.addAll(byHost.getOrDefault(h, List.of()));
        small.addAll(oneOffsByHost.getOrDefault(h, List.of()));
        for (Entry w : withheldByHost.getOrDefault(h, List.of())) {
          withheld
              .computeIfAbsent(Service.of(w), k -> new TreeSet<>())
              .add(IpAddress.parse(w.destination()));
        }
      }
      List<Entry> all = new ArrayList<>(es);
      all.addAll(small);
      Set<String> wide = RoleGrouper.wide(all, names, t, findings.neededDays);
      rules.addAll(builder.rulesFor(role.getKey(), es, small, withheld, wide));
    }
    rules.sort(
        Comparator.comparing(Rule::role)
            .thenComparing(Rule::protocol)
            .thenComparingInt(r -> r.ports().isEmpty() ? -1 : r.ports().get(0).from())
            .thenComparing(Rule::name));
    List<Role> roles = new ArrayList<>(grouper.roles.values());
    Annotator annotator = new Annotator(roles, rules, config);
    Set<Entry> covered = new HashSet<>(builder.covered);
    return new Policy(
        Policy.API_VERSION,
        Policy.KIND,
        new Metadata(t).of(b, findings, grouper.members, byHost, covered.size()),
        roles,
        rules,
        Defaults.standard(),
        annotator.review(findings.review, covered),
        annotator.anomalies(findings.anomalies, covered));
  }

  private static Map<String, List<Entry>> byHost(List<Entry> es) {
    Map<String, List<Entry>> out = new TreeMap<>();
    for (Entry e : es) {
      out.computeIfAbsent(e.host(), k -> new ArrayList<>()).add(e);
    }
    return out;
  }
}
