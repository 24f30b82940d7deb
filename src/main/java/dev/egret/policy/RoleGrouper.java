package dev.egret.policy;

import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Entry;
import dev.egret.baseline.Thresholds;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts hosts into roles. A host in a config-named role belongs to it. The other hosts are grouped
 * by similarity of their profiles: two hosts are alike when each one's core services (protocol and
 * port: allowed, wide or growing) are among the other's services (one-offs included) and at least
 * {@link #SIMILARITY} of their profile items are shared (Jaccard index), an item being a (service,
 * destination) allowed to the host (the destination by name where known), or a (service, any) for a
 * service on which the host's own destinations spread wide ({@link Spread}) or grow like a wide
 * spread ({@link #growing}). Hosts are taken in address order and join the first group whose first
 * member they are alike to. A member whose review items or anomalies the group's rules would open
 * (another member was allowed that destination) stays out, in a role of its own. Names are stable
 * between runs: a lone host is {@code host-<address>}, a group is named after its most used
 * services plus a short hash of what all its members share.
 */
final class RoleGrouper {
  /** Share of profile items two hosts must have in common to be one role (Jaccard index). */
  static final double SIMILARITY = 0.5;

  /** Hosts by role name, and the role descriptions. */
  final Map<String, List<String>> members = new TreeMap<>();

  final Map<String, Role> roles = new TreeMap<>();

  /** One host's traffic profile. */
  private record Profile(
      String host, Set<String> core, Set<String> services, Set<String> items, List<Entry> es) {}

  /** A learned group in the making: its first member's profile and every member. */
  private record Group(Profile first, List<String> hosts, Set<String> shared) {}

  /**
   * @param allowed entries above the thresholds
   * @param oneOffs entries below them (review), which count towards a host's spread
   * @param withheld every entry not allowed
   */
  RoleGrouper(
      List<Entry> allowed,
      List<Entry> oneOffs,
      List<Entry> withheld,
      EgretConfig config,
      Names names,
      int neededDays) {
    Thresholds t = config.thresholds();
    Map<String, List<Entry>> byHost = byHost(allowed);
    Map<String, List<Entry>> oneOffsByHost = byHost(oneOffs);
    Map<String, Set<String>> wideByHost = new HashMap<>();
    for (Map.Entry<String, List<Entry>> h : oneOffsByHost.entrySet()) {
      List<Entry> seen = seen(h.getKey(), byHost, oneOffsByHost);
      Set<String> wide = wide(seen, names, t, neededDays);
      // Alike for grouping; only a really wide spread gives a host with nothing allowed a role
      // (its broad rule), a growing one alone would give it a role without rules.
      Set<String> alike = new TreeSet<>(wide);
      alike.addAll(growing(seen, names, t, neededDays));
      if (!alike.isEmpty()) {
        wideByHost.put(h.getKey(), alike);
      }
      if (!wide.isEmpty()) {
        byHost.putIfAbsent(h.getKey(), List.of());
      }
    }
    Map<String, List<Entry>> withheldByHost = byHost(withheld);
    List<Group> groups = new ArrayList<>();
    for (Map.Entry<String, List<Entry>> h : byHost.entrySet()) {
      String configured = configuredRole(h.getKey(), config);
      if (configured != null) {
        members.computeIfAbsent(configured, k -> new ArrayList<>()).add(h.getKey());
        continue;
      }
      Profile p =
          profile(
              h.getKey(),
              h.getValue(),
              oneOffsByHost.getOrDefault(h.getKey(), List.of()),
              wideByHost.getOrDefault(h.getKey(), Set.of()),
              names);
      Group joined = null;
      for (Group g : groups) {
        if (sameServices(g.first(), p) && jaccard(g.first().items(), p.items()) >= SIMILARITY) {
          joined = g;
          break;
        }
      }
      if (joined == null) {
        groups.add(new Group(p, new ArrayList<>(List.of(p.host())), new TreeSet<>(p.items())));
      } else {
        joined.hosts().add(p.host());
        joined.shared().retainAll(p.items());
      }
    }
    for (Map.Entry<String, List<String>> m : members.entrySet()) {
      roles.put(
          m.getKey(), new Role(m.getKey(), config.roles().get(m.getKey()), "named in the config"));
    }
    List<Group> learned = new ArrayList<>();
    Set<String> apart = new TreeSet<>();
    for (Group g : groups) {
      List<String> stay = new ArrayList<>(g.hosts());
      // A member whose withheld entries the others' rules would open leaves; the group's wide
      // ports (whose one-offs its broad rules cover) shrink with it, so repeat until stable.
      boolean changed = stay.size() > 1;
      while (changed) {
        changed = false;
        Set<String> wide = groupWide(stay, byHost, oneOffsByHost, names, t, neededDays);
        Map<String, Integer> given = new HashMap<>();
        for (String h : stay) {
          for (Entry e : byHost.get(h)) {
            given.merge(item(e), 1, Integer::sum);
          }
        }
        List<String> leave = new ArrayList<>();
        for (String h : stay) {
          if (opensWithheld(h, withheldByHost, wide, given)) {
            leave.add(h);
          }
        }
        if (!leave.isEmpty() && leave.size() < stay.size()) {
          stay.removeAll(leave);
          for (String h : leave) {
            learned.add(new Group(g.first(), List.of(h), g.shared()));
            apart.add(h);
          }
          changed = stay.size() > 1;
        } else if (!leave.isEmpty()) {
          // Every member would open another's: none can share rules.
          for (String h : stay) {
            learned.add(new Group(g.first(), List.of(h), g.shared()));
            apart.add(h);
          }
          stay.clear();
        }
      }
      if (!stay.isEmpty()) {
        learned.add(new Group(g.first(), stay, g.shared()));
      }
    }
    learned.sort((a, b) -> a.hosts().get(0).compareTo(b.hosts().get(0)));
    for (Group g : learned) {
      name(g, apart);
    }
  }

  private void name(Group g, Set<String> apart) {
    List<String> hosts = g.hosts();
    String name =
        hosts.size() == 1
            ? "host-" + hosts.get(0).replace('.', '-').replace(':', '-')
            : "group-" + services(g.first().es()) + "-" + Naming.hash(destinations(g));
    // Two IPv6 hosts can spell alike (fd00::1 and fd00:1::), a config role can take a learned
    // name, two groups can share what they share: a second role of one name would drop the first
    // role's hosts.
    String base = Naming.identifier(name);
    name = base;
    for (int i = 2; members.containsKey(name); i++) {
      String suffix = "-" + i;
      name = base.substring(0, Math.min(base.length(), 63 - suffix.length())) + suffix;
    }
    List<Cidr> cidrs = new ArrayList<>();
    for (String h : hosts) {
      cidrs.add(Cidr.host(IpAddress.parse(h)));
    }
    members.put(name, hosts);
    roles.put(
        name,
        new Role(
            name,
            cidrs,
            apart.contains(hosts.get(0))
                ? "one host kept out of the group of its traffic profile, whose rules would"
                    + " allow what it has under review or in anomalies"
                : hosts.size() == 1
                    ? "one host with its own traffic profile"
                    : hosts.size()
                        + " hosts with similar traffic: the same services, at least half of"
                        + " their destinations shared"));
  }

  /**
   * What a group's name hashes: the (service, destination) items all members share, without the
   * bare services, so that a group of identical hosts keeps the name it had before similarity.
   */
  private static String destinations(Group g) {
    List<String> out = new ArrayList<>();
    for (String x : g.shared()) {
      if (!g.first().services().contains(x)) {
        out.add(x);
      }
    }
    return String.join("\n", out);
  }

  private static List<Entry> seen(
      String h, Map<String, List<Entry>> byHost, Map<String, List<Entry>> oneOffsByHost) {
    List<Entry> all = new ArrayList<>(byHost.getOrDefault(h, List.of()));
    all.addAll(oneOffsByHost.getOrDefault(h, List.of()));
    return all;
  }

  private static Set<String> groupWide(
      List<String> hosts,
      Map<String, List<Entry>> byHost,
      Map<String, List<Entry>> oneOffsByHost,
      Names names,
      Thresholds t,
      int neededDays) {
    List<Entry> all = new ArrayList<>();
    for (String h : hosts) {
      all.addAll(seen(h, byHost, oneOffsByHost));
    }
    return wide(all, names, t, neededDays);
  }

  private static Map<String, List<Entry>> byHost(List<Entry> es) {
    Map<String, List<Entry>> out = new TreeMap<>();
    for (Entry e : es) {
      out.computeIfAbsent(e.host(), k -> new ArrayList<>()).add(e);
    }
    return out;
  }

  /**
   * The services ({@code proto/port}) on which {@code es}' destinations spread wide, and the other
   * web port of a wide one where its own destinations grow.
   */
  static Set<String> wide(List<Entry> es, Names names, Thresholds t, int neededDays) {
    Map<String, Spread.Measure> measures = measures(es, names);
    Set<String> out = new TreeSet<>();
    for (Map.Entry<String, Spread.Measure> m : measures.entrySet()) {
      if (m.getValue().wide(t, neededDays)) {
        out.add(m.getKey());
      }
    }
    // HTTP, HTTPS and HTTP/3 are one web: a browser meets a site on each (a redirect, a plain
    // link, QUIC on udp/443 once the site announced it over HTTPS: RFC 9114 3.1.1), so on a role
    // that browses wide on one, a growing spread on another is the same browsing.
    if (WEB.stream().anyMatch(out::contains)) {
      for (String w : WEB) {
        Spread.Measure m = measures.get(w);
        if (m != null && m.growing(neededDays)) {
          out.add(w);
        }
      }
    }
    return out;
  }

  /** The services of the web: HTTP, HTTPS, and HTTP/3 over QUIC. */
  private static final List<String> WEB =
      List.of(Service.of("tcp", 80), Service.of("tcp", 443), Service.of("udp", 443));

  /**
   * The services on which a host's destinations grow like a wide spread's, new owners on enough
   * days, with more than half the owners that make one: alike for grouping, so that a host that
   * browses a little less than its peers joins their role (and its broad rules) instead of being
   * left with a role of its own whose listed sites miss tomorrow's. Rules still follow the group's
   * own spread ({@link #wide}).
   */
  static Set<String> growing(List<Entry> es, Names names, Thresholds t, int neededDays) {
    Set<String> out = new TreeSet<>();
    for (Map.Entry<String, Spread.Measure> m : measures(es, names).entrySet()) {
      if (m.getValue().growing(neededDays) && 2 * m.getValue().owners() > t.broadDestinations()) {
        out.add(m.getKey());
      }
    }
    return out;
  }

  /** The spread of {@code es}' destinations on each service. */
  private static Map<String, Spread.Measure> measures(List<Entry> es, Names names) {
    Map<String, List<Entry>> bySvc = new TreeMap<>();
    for (Entry e : es) {
      bySvc.computeIfAbsent(Service.of(e), k -> new ArrayList<>()).add(e);
    }
    Map<String, Spread.Measure> out = new TreeMap<>();
    for (Map.Entry<String, List<Entry>> s : bySvc.entrySet()) {
      out.put(s.getKey(), Spread.of(s.getValue(), names));
    }
    return out;
  }

  /**
   * Services: every protocol and port the host was answered on, one-offs included; its core
   * services are those it is allowed on, spreads wide on or grows on (and every service of a known
   * user). Items: each wide service as {@code svc/*}, each allowed destination on the other
   * services. The services themselves are not items: hosts with few destinations (a NAS, a printer:
   * HTTPS to a vendor, the resolver, an NTP pool) shared their services and so reached half their
   * items without one HTTPS destination in common, and one-off services (each call's RTP port) kept
   * alike hosts apart.
   */
  private static Profile profile(
      String host, List<Entry> es, List<Entry> small, Set<String> wide, Names names) {
    Set<String> core = new TreeSet<>(wide);
    Set<String> services = new TreeSet<>(wide);
    for (Entry e : small) {
      services.add(Service.of(e));
      user(services, e);
      user(core, e);
    }
    Set<String> items = new TreeSet<>();
    for (String w : wide) {
      items.add(w + "/*");
    }
    for (Entry e : es) {
      String svc = Service.of(e);
      services.add(svc);
      core.add(svc);
      user(services, e);
      user(core, e);
      if (!wide.contains(svc)) {
        String n = names.first(host, e.destination());
        items.add(svc + "/" + (n == null ? e.destination() : n));
      }
    }
    return new Profile(host, core, services, items, es);
  }

  /**
   * Each host's core services are among the other's services. A port seen only in one-offs (a video
   * call's relay reached once, a printer used twice) is not required of the other: nothing is
   * allowed there, and peers that happened to use other such ports are still alike; a port one is
   * allowed on that the other never used keeps them apart (a server's database port).
   */
  private static boolean sameServices(Profile a, Profile b) {
    return a.services().containsAll(b.core()) && b.services().containsAll(a.core());
  }

  /**
   * A service used by a known user (from an audit log) is a service of its own: hosts join one role
   * only when the same users use the same services, so a per-user rule never reaches a host whose
   * user of that number was never seen doing it.
   */
  private static void user(Set<String> services, Entry e) {
    if (e.uid() != null) {
      services.add(Service.of(e) + " uid " + e.uid());
    }
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    int common = 0;
    for (String x : a) {
      if (b.contains(x)) {
        common++;
      }
    }
    int union = a.size() + b.size() - common;
    return union == 0 ? 1 : (double) common / union;
  }

  /**
   * True when a group's rules would let a host reach something it was only seen reaching below the
   * thresholds or in an anomaly, because another member was allowed it (an address of a shared
   * name): such a host keeps a role of its own, so that the group never opens its review items.
   * Entries to external destinations on the group's wide ports do not count: the group's broad rule
   * allows them anyway (one-offs are covered, anomalies say so). {@code given} counts each
   * (service, destination) the members are allowed.
   */
  private static boolean opensWithheld(
      String host,
      Map<String, List<Entry>> withheldByHost,
      Set<String> wide,
      Map<String, Integer> given) {
    List<Entry> own = withheldByHost.getOrDefault(host, List.of());
    if (own.isEmpty()) {
      return false;
    }
    for (Entry w : own) {
      if (!w.internalDestination() && wide.contains(Service.of(w))) {
        continue;
      }
      // An entry is allowed or withheld, never both: a count here is another member's.
      if (given.containsKey(item(w))) {
        return true;
      }
    }
    return false;
  }

  private static String item(Entry e) {
    return e.protocol() + " " + e.port() + " " + e.destination();
  }

  private static String configuredRole(String host, EgretConfig config) {
    IpAddress a = IpAddress.parse(host);
    for (Map.Entry<String, List<Cidr>> r : config.roles().entrySet()) {
      for (Cidr c : r.getValue()) {
        if (c.contains(a)) {
          return r.getKey();
        }
      }
    }
    return null;
  }

  /** The two most used protocol/port pairs, e.g. {@code tcp443-udp53}. */
  private static String services(List<Entry> es) {
    Map<String, Long> use = new TreeMap<>();
    for (Entry e : es) {
      use.merge(e.protocol() + e.port(), e.flows(), Long::sum);
    }
    List<Map.Entry<String, Long>> l = new ArrayList<>(use.entrySet());
    l.sort(
        (a, b) ->
            b.getValue() != a.getValue().longValue()
                ? Long.compare(b.getValue(), a.getValue())
                : a.getKey().compareTo(b.getKey()));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(2, l.size()); i++) {
      sb.append(i == 0 ? "" : "-").append(l.get(i).getKey());
    }
    return sb.toString();
  }
}
