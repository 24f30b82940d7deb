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
 * they stand for, and {@link SharedAddresses} marks name rules whose addresses answer for many
 * other names; {@link Annotator} writes the review list and anomalies in order of importance;
 * {@link Metadata} records where the evidence came from and warns when it is thin.
 */
public final class PolicyGenerator {
  private final EgretConfig config;
  private final Thresholds t;
  private final Decisions decisions;
  private final boolean fullEvidence;

  public PolicyGenerator(EgretConfig config) {
    this(config, Decisions.none(), false);
  }

  /**
   * @param decisions a person's decisions to apply ({@link Decided}, {@link DenyRules})
   * @param fullEvidence list every host, name and address in the evidence, not a summary
   */
  public PolicyGenerator(EgretConfig config, Decisions decisions, boolean fullEvidence) {
    this.config = config;
    this.t = config.thresholds();
    this.decisions = decisions;
    this.fullEvidence = fullEvidence;
  }

  /**
   * A policy, and the decisions that matched nothing in the baseline (the traffic may have gone;
   * they stay in the file).
   */
  public record Generated(Policy policy, List<Decision> unmatched) {}

  public Policy generate(Baseline b) {
    return generateAll(b).policy();
  }

  public Generated generateAll(Baseline b) {
    Names names = new Names(b);
    Findings findings = new Findings(b, t, names);
    Decided decided = new Decided(decisions, findings, names);
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
    Set<String> used = new HashSet<>();
    ResolvedShare resolvedShare =
        new ResolvedShare(
            names, findings.outside.siteResolver(), findings.outside.askingOutside(b));
    RuleBuilder builder = new RuleBuilder(t, names, used, decided, fullEvidence, resolvedShare);
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
      // Per user: entries of unknown users make rules for every user; each user known from an
      // audit log gets rules of its own.
      Map<Integer, List<Entry>> esByUser = byUser(es);
      Map<Integer, List<Entry>> smallByUser = byUser(small);
      Set<Integer> users = new TreeSet<>(java.util.Comparator.nullsFirst(Integer::compare));
      users.addAll(esByUser.keySet());
      users.addAll(smallByUser.keySet());
      for (Integer uid : users) {
        List<Entry> esU = esByUser.getOrDefault(uid, List.of());
        List<Entry> smallU = smallByUser.getOrDefault(uid, List.of());
        List<Entry> all = new ArrayList<>(esU);
        all.addAll(smallU);
        Set<String> wide = RoleGrouper.wide(all, names, t, findings.neededDays);
        rules.addAll(builder.rulesFor(role.getKey(), esU, smallU, withheld, wide, uid));
      }
    }
    rules.sort(
        Comparator.comparing(Rule::role)
            .thenComparing(Rule::protocol)
            .thenComparingInt(r -> r.ports().isEmpty() ? -1 : r.ports().get(0).from())
            .thenComparing(Rule::name));
    rules = new SharedAddresses(b, names, rules).annotate(rules);
    StaleAnswers.Held held =
        StaleAnswers.hold(b, names, rules, grouper.members, byHost, NameTtl.DEFAULT);
    rules = held.rules();
    List<Role> roles = new ArrayList<>(grouper.roles.values());
    List<Rule> denied = DenyRules.of(decisions, decided, roles, rules, b, names, used);
    Newcomers.Result joined =
        Newcomers.join(
            b,
            findings,
            t,
            decisions,
            roles,
            rules,
            denied,
            grouper.members,
            config.roles().keySet());
    roles = joined.roles();
    Annotator annotator = new Annotator(roles, rules, denied, config, names, fullEvidence);
    Set<Entry> covered = new HashSet<>(builder.covered);
    covered.addAll(joined.covered());
    List<Decision> unmatched = new ArrayList<>();
    List<String> applied = applied(decided, denied, unmatched);
    Policy p =
        new Policy(
            Policy.API_VERSION,
            Policy.KIND,
            new Metadata(t)
                .of(b, findings, joined.members(), byHost, covered.size())
                .withDecisions(applied)
                .withWarnings(held.warnings())
                .withWarnings(resolvedShare.warnings())
                .withWarnings(joined.warnings())
                .withWarnings(new Metadata(t).roleless(findings, roles, decisions)),
            roles,
            rules,
            denied,
            Defaults.standard(),
            annotator.review(findings.review, covered),
            annotator.anomalies(findings.anomalies, covered));
    return new Generated(p, unmatched);
  }

  /** Each decision in effect with what it did, in words; those that did nothing to {@code none}. */
  private List<String> applied(Decided decided, List<Rule> denied, List<Decision> none) {
    List<String> out = new ArrayList<>();
    for (Decision d : decisions.list()) {
      int n = decided.matched.getOrDefault(d, 0);
      int listed = decided.delisted.getOrDefault(d, 0);
      long rules = denied.stream().filter(r -> d.describe().equals(r.evidence().decided())).count();
      String what =
          switch (d.action()) {
            case ALLOW -> entries(n) + " allowed";
            case DENY ->
                entries(n) + " withheld, " + rules + (rules == 1 ? " deny rule" : " deny rules");
            case IGNORE -> listed + (listed == 1 ? " item" : " items") + " no longer listed";
          };
      if (n == 0 && rules == 0) {
        none.add(d);
        what = "matches nothing in this baseline";
      }
      out.add(
          d.action().id()
              + " "
              + d.id()
              + (d.date() == null ? "" : " (" + d.date() + ")")
              + ": "
              + what);
    }
    return out;
  }

  private static String entries(int n) {
    return n + (n == 1 ? " entry" : " entries");
  }

  private static Map<Integer, List<Entry>> byUser(List<Entry> es) {
    Map<Integer, List<Entry>> out = new java.util.HashMap<>();
    for (Entry e : es) {
      out.computeIfAbsent(e.uid(), k -> new ArrayList<>()).add(e);
    }
    return out;
  }

  private static Map<String, List<Entry>> byHost(List<Entry> es) {
    Map<String, List<Entry>> out = new TreeMap<>();
    for (Entry e : es) {
      out.computeIfAbsent(e.host(), k -> new ArrayList<>()).add(e);
    }
    return out;
  }
}
