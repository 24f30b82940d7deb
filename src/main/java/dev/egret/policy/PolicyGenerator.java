package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Entry;
import dev.egret.baseline.SourceRecord;
import dev.egret.baseline.Thresholds;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Computes the smallest allowlist that lets every host do what it was seen doing, within the
 * thresholds, and nothing more. Per role, protocol and port, destinations become: the name they
 * were reached by with every address seen for it; an aggregate prefix where the over-permission
 * bound allows; exact addresses for internal infrastructure; or, past {@code broadDestinations}
 * external destinations, "any destination" flagged broad ({@link DestinationChooser}). Each
 * destination then gets the exact set of ports it was seen on. Review items and anomalies are never
 * opened by a rule the generator widens. The output is a pure function of the baseline and config.
 */
public final class PolicyGenerator {
  private final EgretConfig config;
  private final Thresholds t;

  public PolicyGenerator(EgretConfig config) {
    this.config = config;
    this.t = config.thresholds();
  }

  public Policy generate(Baseline b) {
    Baseline.NameIndex names = b.nameIndex();
    Findings findings = new Findings(b, t, names);
    RoleGrouper grouper = new RoleGrouper(findings.allowed, findings.withheld, config, names);
    Map<String, List<Entry>> byHost = byHost(findings.allowed);
    Map<String, List<Entry>> withheldByHost = byHost(findings.withheld);
    List<Rule> rules = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (Map.Entry<String, List<String>> role : grouper.members.entrySet()) {
      List<Entry> es = new ArrayList<>();
      Map<String, Set<IpAddress>> withheld = new TreeMap<>();
      for (String h : role.getValue()) {
        es.addAll(byHost.getOrDefault(h, List.of()));
        for (Entry w : withheldByHost.getOrDefault(h, List.of())) {
          withheld
              .computeIfAbsent(w.protocol() + "/" + w.port(), k -> new TreeSet<>())
              .add(IpAddress.parse(w.destination()));
        }
      }
      rules.addAll(rulesFor(role.getKey(), es, withheld, names, used));
    }
    rules.sort(
        Comparator.comparing(Rule::role)
            .thenComparing(Rule::protocol)
            .thenComparingInt(r -> r.ports().isEmpty() ? -1 : r.ports().get(0).from())
            .thenComparing(Rule::name));
    List<Role> roles = new ArrayList<>(grouper.roles.values());
    PolicyChecker checker =
        new PolicyChecker(
            new Policy(Policy.API_VERSION, Policy.KIND, null, roles, rules, null, null, null));
    List<ReviewItem> review = new ArrayList<>();
    for (int i = 0; i < findings.review.size(); i++) {
      ReviewItem r = findings.review.get(i);
      String note = allowedAnyway(checker, List.of(findings.reviewEntries.get(i)));
      review.add(
          note.isEmpty()
              ? r
              : new ReviewItem(
                  r.host(),
                  r.destination(),
                  r.protocol(),
                  r.port(),
                  r.names(),
                  r.reason() + note,
                  r.evidence()));
    }
    review.sort(
        Comparator.comparing(
            (ReviewItem r) ->
                r.host() + " " + r.destination() + " " + r.protocol() + " " + r.port()));
    List<Anomaly> anomalies = new ArrayList<>();
    for (int i = 0; i < findings.anomalies.size(); i++) {
      Anomaly a = findings.anomalies.get(i);
      String note = allowedAnyway(checker, findings.anomalyEntries.get(i));
      anomalies.add(
          note.isEmpty()
              ? a
              : new Anomaly(
                  a.kind(),
                  a.host(),
                  a.destinations(),
                  a.protocol(),
                  a.port(),
                  a.detail() + note,
                  a.evidence()));
    }
    anomalies.sort(
        Comparator.comparing(
            (Anomaly a) ->
                a.kind()
                    + " "
                    + a.host()
                    + " "
                    + a.protocol()
                    + " "
                    + a.port()
                    + " "
                    + a.destinations()));
    return new Policy(
        Policy.API_VERSION,
        Policy.KIND,
        metadata(b, findings),
        roles,
        rules,
        Defaults.standard(),
        review,
        anomalies);
  }

  private static Map<String, List<Entry>> byHost(List<Entry> es) {
    Map<String, List<Entry>> out = new TreeMap<>();
    for (Entry e : es) {
      out.computeIfAbsent(e.host(), k -> new ArrayList<>()).add(e);
    }
    return out;
  }

  /**
   * Review items and anomalies are never allowed by a rule the generator chose to widen (aggregates
   * skip their addresses, learned groups do not take in a host they would open them for). Two rules
   * can still allow one, because someone asked for it: a broad rule (any destination on the port)
   * and a rule of a config-named role (built from the other hosts' evidence). The item then says
   * so, naming the rule.
   */
  private String allowedAnyway(PolicyChecker checker, List<Entry> es) {
    Rule first = null;
    int allowed = 0;
    for (Entry e : es) {
      Rule r =
          checker.allowingRule(
              IpAddress.parse(e.host()),
              IpAddress.parse(e.destination()),
              dev.egret.net.Protocols.parse(e.protocol()),
              e.port());
      if (r != null) {
        allowed++;
        first = first == null ? r : first;
      }
    }
    if (first == null) {
      return "";
    }
    String which =
        first.broad()
            ? "broad rule " + first.name() + " (any destination)"
            : config.roles().containsKey(first.role())
                ? "rule "
                    + first.name()
                    + " of config-named role "
                    + first.role()
                    + " (other hosts' evidence)"
                : "rule " + first.name();
    String count = es.size() == 1 ? "" : " (" + allowed + " of " + es.size() + " destinations)";
    return "; allowed anyway by " + which + count;
  }

  /**
   * Rules of one role. Each destination (a name with its addresses, one unnamed prefix, or any)
   * gets the exact set of ports it was seen on; unnamed prefixes with the same port set share one
   * rule, a name keeps a rule of its own.
   */
  private List<Rule> rulesFor(
      String role,
      List<Entry> es,
      Map<String, Set<IpAddress>> withheld,
      Baseline.NameIndex names,
      Set<String> used) {
    Map<String, List<Entry>> byService = new TreeMap<>();
    for (Entry e : es) {
      byService.computeIfAbsent(e.protocol() + "/" + e.port(), k -> new ArrayList<>()).add(e);
    }
    DestinationChooser chooser = new DestinationChooser(t, names);
    Map<String, List<DestinationChooser.Part>> units = new LinkedHashMap<>();
    Map<String, TreeSet<Integer>> unitPorts = new LinkedHashMap<>();
    for (List<Entry> service : byService.values()) {
      String proto = service.get(0).protocol();
      int port = service.get(0).port();
      Set<IpAddress> blocked = withheld.getOrDefault(proto + "/" + port, Set.of());
      for (DestinationChooser.Part part : chooser.choose(service, blocked)) {
        String key =
            proto
                + " "
                + part.label()
                + (part.label().equals("any") ? "" : " " + part.destination());
        units.computeIfAbsent(key, k -> new ArrayList<>()).add(part);
        unitPorts.computeIfAbsent(key, k -> new TreeSet<>()).add(port);
      }
    }
    // Rule key -> the units it covers; unnamed prefixes merge by port set.
    Map<String, List<String>> byRule = new TreeMap<>();
    for (Map.Entry<String, List<DestinationChooser.Part>> u : units.entrySet()) {
      DestinationChooser.Part p = u.getValue().get(0);
      String key =
          p.unnamed()
              ? p.entries().get(0).protocol() + " " + p.label() + " " + unitPorts.get(u.getKey())
              : u.getKey();
      byRule.computeIfAbsent(key, k -> new ArrayList<>()).add(u.getKey());
    }
    List<Rule> out = new ArrayList<>();
    for (List<String> keys : byRule.values()) {
      List<DestinationChooser.Part> parts = new ArrayList<>();
      keys.forEach(k -> parts.addAll(units.get(k)));
      DestinationChooser.Part p = parts.get(0);
      TreeSet<Integer> ports = unitPorts.get(keys.get(0));
      List<Entry> all = new ArrayList<>();
      parts.forEach(x -> all.addAll(x.entries()));
      String proto = p.entries().get(0).protocol();
      boolean icmp = proto.startsWith("icmp");
      boolean portProto = proto.equals("tcp") || proto.equals("udp");
      List<PortRange> portRanges =
          portProto ? ranges(ports, t.portRanges() ? bridging(proto, withheld) : null) : List.of();
      List<Integer> icmpTypes = icmp ? List.copyOf(ports) : List.of();
      Destination destination;
      long exposure;
      if (p.label().equals("any")) {
        TreeSet<String> ns = new TreeSet<>();
        parts.forEach(x -> ns.addAll(x.destination().names()));
        destination =
            Destination.anywhere(DestinationChooser.first(ns, DestinationChooser.BROAD_NAMES));
        exposure = -1;
      } else if (p.unnamed()) {
        TreeSet<Cidr> prefixes = new TreeSet<>();
        parts.forEach(x -> prefixes.addAll(x.destination().addresses()));
        destination = new Destination(false, List.of(), List.copyOf(prefixes));
        exposure = exposure(prefixes, all);
      } else {
        destination = p.destination();
        exposure = 0;
      }
      // tcp8000-8002, tcp80_443, icmp-type8; a protocol without ports is named by its number.
      String service =
          portProto
              ? proto
                  + portRanges.stream().map(PortRange::toString).collect(Collectors.joining("_"))
              : icmp
                  ? proto
                      + "-type"
                      + icmpTypes.stream().map(String::valueOf).collect(Collectors.joining("_"))
                  : "proto" + proto;
      String name = unique(identifier(role + "-" + service + "-" + label(p.label())), used);
      out.add(
          new Rule(
              name,
              role,
              proto,
              portRanges,
              icmpTypes,
              destination,
              destination.any(),
              exposure,
              widened(portRanges, ports)
                  ? Evidence.of(all, names).withPorts(List.copyOf(ports))
                  : Evidence.of(all, names)));
    }
    return out;
  }

  /** True when the ranges hold a port that is not in {@code seen}. */
  private static boolean widened(List<PortRange> ranges, Set<Integer> seen) {
    long held = 0;
    for (PortRange r : ranges) {
      held += r.to() - r.from() + 1;
    }
    return held > seen.size();
  }

  /** How far ranges may reach over never-seen ports ({@code thresholds.portRanges}). */
  record Bridging(double minCoverage, int maxExposure, java.util.function.IntPredicate forbidden) {
    /** Only registered and dynamic ports are bridged; well-known service ports never are. */
    static final int LOWEST = 1024;

    /** Whether the range {@code from..to}, holding {@code seen} seen ports, may reach {@code p}. */
    boolean reaches(int from, int to, int seen, int p) {
      int size = p - from + 1;
      if (from < LOWEST || size - (seen + 1) > maxExposure || seen + 1 < size * minCoverage) {
        return false;
      }
      for (int q = to + 1; q < p; q++) {
        if (forbidden.test(q)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Bridging within the thresholds for one protocol: a gap may not hold a port whose traffic this
   * role has on the review list, so a widened range never opens a withheld item.
   */
  private Bridging bridging(String proto, Map<String, Set<IpAddress>> withheld) {
    return new Bridging(
        t.minCoverage(), t.maxExposure(), q -> withheld.containsKey(proto + "/" + q));
  }

  /** Addresses the prefixes allow that no entry was seen going to. */
  private static long exposure(Set<Cidr> prefixes, List<Entry> es) {
    TreeSet<IpAddress> seen = new TreeSet<>();
    es.forEach(e -> seen.add(IpAddress.parse(e.destination())));
    long out = 0;
    for (Cidr c : prefixes) {
      long in = seen.stream().filter(c::contains).count();
      out += c.size() - in;
    }
    return out;
  }

  private static final java.util.regex.Pattern HOST_NAME =
      java.util.regex.Pattern.compile(
          "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  /**
   * The part of a rule name that comes from a destination name. Rule names end up outside comments
   * in compiled rulesets, so only a name that is a plain host name (RFC 1123 letters, digits and
   * hyphens) lends its text; any other wire text is represented by a hash of it.
   */
  static String label(String groupLabel) {
    if (HOST_NAME.matcher(groupLabel).matches()) {
      return groupLabel;
    }
    return "name-" + RoleGrouper.hash(groupLabel);
  }

  /** Consecutive ports become ranges; a gap always splits (every port in a range was seen). */
  static List<PortRange> ranges(TreeSet<Integer> ports) {
    return ranges(ports, null);
  }

  /**
   * Consecutive ports become ranges. With {@code bridging}, a range also reaches over a gap of
   * never-seen ports when, left to right, it stays within the bridging bounds; without, a gap
   * always splits.
   */
  static List<PortRange> ranges(TreeSet<Integer> ports, Bridging bridging) {
    List<PortRange> out = new ArrayList<>();
    int from = -1;
    int to = -1;
    int seen = 0;
    for (int p : ports) {
      if (from >= 0 && (p == to + 1 || (bridging != null && bridging.reaches(from, to, seen, p)))) {
        to = p;
        seen++;
        continue;
      }
      if (from >= 0) {
        out.add(PortRange.of(from, to));
      }
      from = p;
      to = p;
      seen = 1;
    }
    if (from >= 0) {
      out.add(PortRange.of(from, to));
    }
    return out;
  }

  /**
   * Lower-case letters, digits and dashes, at most 63 characters, starting with a letter or digit.
   */
  static String identifier(String raw) {
    StringBuilder sb = new StringBuilder();
    for (char c : raw.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      char x = ok ? c : '-';
      if (x == '_' && sb.length() == 0) {
        continue; // a name starts with a letter or digit
      }
      if (x == '-' && (sb.length() == 0 || sb.charAt(sb.length() - 1) == '-')) {
        continue;
      }
      sb.append(x);
    }
    String s = sb.toString().replaceAll("-+$", "");
    if (s.isEmpty()) {
      s = "x";
    }
    if (s.length() > 63) {
      s = s.substring(0, 56).replaceAll("-+$", "") + "-" + RoleGrouper.hash(raw);
    }
    return s;
  }

  private static String unique(String name, Set<String> used) {
    String n = name;
    for (int i = 2; !used.add(n); i++) {
      String suffix = "-" + i;
      n =
          (name.length() + suffix.length() > 63 ? name.substring(0, 63 - suffix.length()) : name)
              + suffix;
    }
    return n;
  }

  private PolicyMetadata metadata(Baseline b, Findings f) {
    List<String> sources = new ArrayList<>();
    for (SourceRecord s : b.sources()) {
      sources.add(
          s.kind()
              + ":"
              + s.name()
              + (s.fingerprint().isEmpty() ? "" : "@" + s.fingerprint().substring(0, 12)));
    }
    Map<String, Object> th = new TreeMap<>();
    th.put("minFlows", t.minFlows());
    th.put("minDays", t.minDays());
    th.put("minDaysApplied", f.neededDays);
    th.put("answeredOnly", t.answeredOnly());
    th.put("broadDestinations", t.broadDestinations());
    th.put("maxPrefixV4", t.maxPrefixV4());
    th.put("maxPrefixV6", t.maxPrefixV6());
    th.put("minCoverage", t.minCoverage());
    th.put("maxExposure", t.maxExposure());
    th.put("portRanges", t.portRanges());
    th.put("lateDays", t.lateDays());
    return new PolicyMetadata(
        b.windowStartNs() == null ? null : dev.egret.io.Times.format(b.windowStartNs()),
        b.windowEndNs() == null ? null : dev.egret.io.Times.format(b.windowEndNs()),
        f.windowDays,
        sources,
        b.counters().packets(),
        b.counters().malformed(),
        b.counters().dropped(),
        th,
        null);
  }
}
