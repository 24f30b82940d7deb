package dev.egret.policy;

import dev.egret.baseline.Entry;
import dev.egret.baseline.Thresholds;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The rules of one role. Per protocol and port the {@link DestinationChooser} picks destinations;
 * each destination (a name with its addresses, a wildcard name, one unnamed prefix, or any) then
 * gets the exact set of ports it was seen on; unnamed prefixes with the same port set share one
 * rule, a name keeps a rule of its own.
 */
final class RuleBuilder {
  private final Thresholds t;
  private final Names names;
  private final Set<String> used;
  private final Decided decided;
  private final boolean fullEvidence;
  private final ResolvedShare resolvedShare;

  /** The one-offs below the thresholds that the rules built so far cover. */
  final List<Entry> covered = new ArrayList<>();

  /**
   * @param used rule names taken so far, shared by every role
   */
  RuleBuilder(Thresholds t, Names names, Set<String> used) {
    this(t, names, used, null, true, ResolvedShare.never(names));
  }

  /**
   * @param decided the decisions applied, whose allows the evidence names; null for none
   * @param fullEvidence list every host, name and address in the evidence instead of a summary
   * @param resolvedShare which "any destination" rules are limited to the resolver's answers
   */
  RuleBuilder(
      Thresholds t,
      Names names,
      Set<String> used,
      Decided decided,
      boolean fullEvidence,
      ResolvedShare resolvedShare) {
    this.resolvedShare = resolvedShare;
    this.t = t;
    this.names = names;
    this.used = used;
    this.decided = decided;
    this.fullEvidence = fullEvidence;
  }

  /** The evidence of a rule: summarised unless asked for in full, with the decisions behind it. */
  private Evidence evidence(List<Entry> all, List<Integer> ports) {
    Evidence e = fullEvidence ? Evidence.of(all, names) : Evidence.summary(all, names);
    if (ports != null) {
      e = e.withPorts(ports);
    }
    String why = decided == null ? null : decided.describe(all);
    return why == null ? e : e.withDecided(why);
  }

  /**
   * Rules of one role. Each destination (a name with its addresses, one unnamed prefix, or any)
   * gets the exact set of ports it was seen on; unnamed prefixes with the same port set share one
   * rule, a name keeps a rule of its own.
   */
  /**
   * @param es the role's allowed entries
   * @param oneOffs the role's entries below the thresholds (answered, not anomalies)
   * @param withheld per {@code proto/port}, the addresses the role's hosts have under review or in
   *     anomalies
   * @param wide the {@code proto/port} services on which the role's destinations spread wide
   */
  List<Rule> rulesFor(
      String role,
      List<Entry> es,
      List<Entry> oneOffs,
      Map<String, Set<IpAddress>> withheld,
      Set<String> wide) {
    return rulesFor(role, es, oneOffs, withheld, wide, null);
  }

  /**
   * As above for the entries of one user ({@code uid}, from an audit log), or of unknown users
   * (null): the rules carry the user and their names say it ({@code -u1001}).
   */
  List<Rule> rulesFor(
      String role,
      List<Entry> es,
      List<Entry> oneOffs,
      Map<String, Set<IpAddress>> withheld,
      Set<String> wide,
      Integer uid) {
    Map<String, List<Entry>> byService = new TreeMap<>();
    for (Entry e : es) {
      byService.computeIfAbsent(Service.of(e), k -> new ArrayList<>()).add(e);
    }
    Map<String, List<Entry>> oneOffsByService = new TreeMap<>();
    for (Entry e : oneOffs) {
      oneOffsByService.computeIfAbsent(Service.of(e), k -> new ArrayList<>()).add(e);
    }
    for (String w : wide) {
      byService.putIfAbsent(w, List.of());
    }
    DestinationChooser chooser = new DestinationChooser(t, names);
    Map<String, List<DestinationChooser.Part>> units = new LinkedHashMap<>();
    Map<String, TreeSet<Integer>> unitPorts = new LinkedHashMap<>();
    for (Map.Entry<String, List<Entry>> s : byService.entrySet()) {
      String proto = Service.protocol(s.getKey());
      int port = Service.port(s.getKey());
      Set<IpAddress> blocked = withheld.getOrDefault(s.getKey(), Set.of());
      List<Entry> candidates = oneOffsByService.getOrDefault(s.getKey(), List.of());
      for (DestinationChooser.Part part :
          chooser.choose(s.getValue(), candidates, blocked, wide.contains(s.getKey()))) {
        covered.addAll(part.covered());
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
      if (p.any()) {
        TreeSet<String> ns = new TreeSet<>();
        parts.forEach(x -> ns.addAll(x.destination().names()));
        destination =
            Destination.anywhere(DestinationChooser.first(ns, DestinationChooser.BROAD_NAMES));
        String where =
            proto
                + " "
                + portRanges.stream().map(PortRange::toString).collect(Collectors.joining(", "));
        if (resolvedShare.gated(role, where, all)) {
          List<Entry> rare = new ArrayList<>();
          parts.forEach(x -> rare.addAll(x.covered()));
          destination = destination.onlyResolved(resolvedShare.learned(all, rare));
        }
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
      boolean broad = destination.any() || p.wildcard();
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
      String name =
          Naming.unique(
              Naming.identifier(
                  role
                      + "-"
                      + service
                      + (uid == null ? "" : "-u" + uid)
                      + "-"
                      + Naming.label(p.label())),
              used);
      out.add(
          new Rule(
              name,
              role,
              proto,
              portRanges,
              icmpTypes,
              destination,
              broad,
              exposure,
              evidence(all, widened(portRanges, ports) ? List.copyOf(ports) : null),
              uid));
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
        t.minCoverage(), t.maxExposure(), q -> withheld.containsKey(Service.of(proto, q)));
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
}
