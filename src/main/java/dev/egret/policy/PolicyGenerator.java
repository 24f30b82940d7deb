package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Entry;
import dev.egret.baseline.SourceRecord;
import dev.egret.baseline.Thresholds;
import dev.egret.decode.Cidr;
import dev.egret.decode.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the smallest allowlist that lets every host do what it was seen doing, within the
 * thresholds, and nothing more. Per role, protocol and port, destinations become: the name they
 * were reached by with every address seen for it; an aggregate prefix where the over-permission
 * bound allows; exact addresses for internal infrastructure; or, past {@code broadDestinations}
 * external destinations, "any destination" flagged broad. Rules to the same destination are then
 * merged across ports. The output is a pure function of the baseline and config.
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
    RoleGrouper grouper = new RoleGrouper(findings.allowed, config, names);
    Map<String, List<Entry>> byHost = new TreeMap<>();
    for (Entry e : findings.allowed) {
      byHost.computeIfAbsent(e.host(), k -> new ArrayList<>()).add(e);
    }
    List<Rule> rules = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (Map.Entry<String, List<String>> role : grouper.members.entrySet()) {
      List<Entry> es = new ArrayList<>();
      for (String h : role.getValue()) {
        es.addAll(byHost.getOrDefault(h, List.of()));
      }
      rules.addAll(rulesFor(role.getKey(), es, names, used));
    }
    rules.sort(
        Comparator.comparing(Rule::role)
            .thenComparing(Rule::protocol)
            .thenComparingInt(r -> r.ports().isEmpty() ? -1 : r.ports().get(0).from())
            .thenComparing(Rule::name));
    List<ReviewItem> review = new ArrayList<>(findings.review);
    review.sort(
        Comparator.comparing(
            (ReviewItem r) ->
                r.host() + " " + r.destination() + " " + r.protocol() + " " + r.port()));
    List<Anomaly> anomalies = new ArrayList<>(findings.anomalies);
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
        new ArrayList<>(grouper.roles.values()),
        rules,
        Defaults.standard(),
        review,
        anomalies);
  }

  /** One destination group on one (protocol, port) of a role. */
  private record Group(String label, Destination destination, long exposure, List<Entry> entries) {}

  private List<Rule> rulesFor(
      String role, List<Entry> es, Baseline.NameIndex names, Set<String> used) {
    Map<String, List<Entry>> byService = new TreeMap<>();
    for (Entry e : es) {
      byService.computeIfAbsent(e.protocol() + "/" + e.port(), k -> new ArrayList<>()).add(e);
    }
    // Destination signature -> (groups across ports, ports).
    Map<String, List<Group>> merged = new LinkedHashMap<>();
    Map<String, TreeSet<Integer>> ports = new LinkedHashMap<>();
    for (List<Entry> service : byService.values()) {
      String proto = service.get(0).protocol();
      int port = service.get(0).port();
      for (Group g : groups(service, names)) {
        String sig = proto + " " + g.label + " " + g.destination;
        merged.computeIfAbsent(sig, k -> new ArrayList<>()).add(g);
        ports.computeIfAbsent(sig, k -> new TreeSet<>()).add(port);
      }
    }
    List<Rule> out = new ArrayList<>();
    for (Map.Entry<String, List<Group>> m : merged.entrySet()) {
      Group g = m.getValue().get(0);
      List<Entry> all = new ArrayList<>();
      m.getValue().forEach(x -> all.addAll(x.entries));
      String proto = g.entries.get(0).protocol();
      boolean icmp = proto.startsWith("icmp");
      boolean portProto = proto.equals("tcp") || proto.equals("udp");
      List<PortRange> portRanges = portProto ? ranges(ports.get(m.getKey())) : List.of();
      List<Integer> icmpTypes = icmp ? List.copyOf(ports.get(m.getKey())) : List.of();
      String name =
          unique(
              identifier(role + "-" + proto + ports.get(m.getKey()).first() + "-" + label(g.label)),
              used);
      out.add(
          new Rule(
              name,
              role,
              proto,
              portRanges,
              icmpTypes,
              g.destination,
              g.destination.any(),
              g.exposure,
              Evidence.of(all, names)));
    }
    return out;
  }

  private List<Group> groups(List<Entry> service, Baseline.NameIndex names) {
    List<Group> out = new ArrayList<>();
    Set<String> external = new TreeSet<>();
    for (Entry e : service) {
      if (!e.internalDestination()) {
        external.add(e.destination());
      }
    }
    List<Entry> rest = new ArrayList<>();
    if (external.size() > t.broadDestinations()) {
      List<Entry> ext = new ArrayList<>();
      TreeSet<String> ns = new TreeSet<>();
      for (Entry e : service) {
        if (e.internalDestination()) {
          rest.add(e);
        } else {
          ext.add(e);
          List<String> n = names.nameStrings(e.host(), e.destination());
          if (!n.isEmpty() && ns.size() < 20) {
            ns.add(n.get(0));
          }
        }
      }
      out.add(new Group("any", Destination.anywhere(List.copyOf(ns)), -1, ext));
    } else {
      rest.addAll(service);
    }
    Map<String, List<Entry>> byName = new TreeMap<>();
    List<Entry> unnamedExternal = new ArrayList<>();
    List<Entry> unnamedInternal = new ArrayList<>();
    for (Entry e : rest) {
      List<String> n = names.nameStrings(e.host(), e.destination());
      if (!n.isEmpty()) {
        byName.computeIfAbsent(n.get(0), k -> new ArrayList<>()).add(e);
      } else if (e.internalDestination()) {
        unnamedInternal.add(e);
      } else {
        unnamedExternal.add(e);
      }
    }
    for (Map.Entry<String, List<Entry>> n : byName.entrySet()) {
      out.add(
          new Group(
              n.getKey(),
              new Destination(false, List.of(n.getKey()), hostRoutes(n.getValue())),
              0,
              n.getValue()));
    }
    if (!unnamedInternal.isEmpty()) {
      out.add(
          new Group(
              "internal",
              new Destination(false, List.of(), hostRoutes(unnamedInternal)),
              0,
              unnamedInternal));
    }
    if (!unnamedExternal.isEmpty()) {
      Aggregator agg =
          new Aggregator(t.maxPrefixV4(), t.maxPrefixV6(), t.minCoverage(), t.maxExposure());
      List<IpAddress> addrs = new ArrayList<>();
      for (String a : distinct(unnamedExternal)) {
        addrs.add(IpAddress.parse(a));
      }
      List<Cidr> prefixes = new ArrayList<>();
      long exposure = 0;
      for (Aggregator.Covered c : agg.aggregate(addrs)) {
        prefixes.add(c.prefix());
        exposure += c.exposure();
      }
      out.add(
          new Group(
              "addresses", new Destination(false, List.of(), prefixes), exposure, unnamedExternal));
    }
    return out;
  }

  private static List<Cidr> hostRoutes(List<Entry> es) {
    List<Cidr> out = new ArrayList<>();
    for (String a : distinct(es)) {
      out.add(Cidr.host(IpAddress.parse(a)));
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private static Set<String> distinct(List<Entry> es) {
    Set<String> s = new TreeSet<>();
    es.forEach(e -> s.add(e.destination()));
    return s;
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
    List<PortRange> out = new ArrayList<>();
    int from = -1;
    int to = -1;
    for (int p : ports) {
      if (from >= 0 && p == to + 1) {
        to = p;
        continue;
      }
      if (from >= 0) {
        out.add(PortRange.of(from, to));
      }
      from = p;
      to = p;
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
    th.put("lateDays", t.lateDays());
    return new PolicyMetadata(
        b.windowStartNs() == null ? null : Evidence.time(b.windowStartNs()),
        b.windowEndNs() == null ? null : Evidence.time(b.windowEndNs()),
        f.windowDays,
        sources,
        b.counters().packets(),
        b.counters().malformed(),
        b.counters().dropped(),
        th,
        null);
  }
}
