package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Entry;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts hosts into roles: a host in a config-named role belongs to it; the other hosts are grouped
 * when their allowed traffic is the same (same protocols, ports and destinations, by name where
 * known), unless the group's rules would open one of a member's review items or anomalies (that
 * member stays alone). Names are stable between runs: a lone host is {@code host-<address>}, a
 * group is named after its most used services plus a short hash of its profile.
 */
final class RoleGrouper {
  /** Hosts by role name, and the role descriptions. */
  final Map<String, List<String>> members = new TreeMap<>();

  final Map<String, Role> roles = new TreeMap<>();

  RoleGrouper(
      List<Entry> allowed, List<Entry> withheld, EgretConfig config, Baseline.NameIndex names) {
    Map<String, List<Entry>> byHost = new TreeMap<>();
    for (Entry e : allowed) {
      byHost.computeIfAbsent(e.host(), k -> new ArrayList<>()).add(e);
    }
    Map<String, List<String>> byProfile = new TreeMap<>();
    Map<String, List<Entry>> profileEntries = new LinkedHashMap<>();
    for (Map.Entry<String, List<Entry>> h : byHost.entrySet()) {
      String configured = configuredRole(h.getKey(), config);
      if (configured != null) {
        members.computeIfAbsent(configured, k -> new ArrayList<>()).add(h.getKey());
        continue;
      }
      String profile = profile(h.getKey(), h.getValue(), names);
      byProfile.computeIfAbsent(profile, k -> new ArrayList<>()).add(h.getKey());
      profileEntries.putIfAbsent(profile, h.getValue());
    }
    for (Map.Entry<String, List<String>> m : members.entrySet()) {
      roles.put(
          m.getKey(), new Role(m.getKey(), config.roles().get(m.getKey()), "named in the config"));
    }
    Map<String, Set<String>> withheldByHost = new TreeMap<>();
    for (Entry w : withheld) {
      withheldByHost.computeIfAbsent(w.host(), k -> new TreeSet<>()).add(service(w));
    }
    List<Map.Entry<String, List<String>>> learned = new ArrayList<>();
    Set<String> apart = new TreeSet<>();
    for (Map.Entry<String, List<String>> p : byProfile.entrySet()) {
      List<String> stay = new ArrayList<>();
      for (String h : p.getValue()) {
        Set<String> own = withheldByHost.getOrDefault(h, Set.of());
        if (p.getValue().size() > 1 && opensWithheld(own, p.getValue(), byHost)) {
          learned.add(Map.entry(p.getKey(), List.of(h)));
          apart.add(h);
        } else {
          stay.add(h);
        }
      }
      if (!stay.isEmpty()) {
        learned.add(Map.entry(p.getKey(), stay));
      }
    }
    for (Map.Entry<String, List<String>> p : learned) {
      List<String> hosts = p.getValue();
      String name =
          hosts.size() == 1
              ? "host-" + hosts.get(0).replace('.', '-').replace(':', '-')
              : "group-" + services(profileEntries.get(p.getKey())) + "-" + hash(p.getKey());
      // Two IPv6 hosts can spell alike (fd00::1 and fd00:1::), a config role can take a learned
      // name: a second role of one name would drop the first role's hosts.
      String base = PolicyGenerator.identifier(name);
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
                      : hosts.size() + " hosts with the same traffic profile"));
    }
  }

  /**
   * True when a group's rules would let a host reach something ({@code own}) it was only seen
   * reaching below the thresholds or in an anomaly, because another member was allowed it (an
   * address of a shared name): such a host keeps a role of its own, so that the group never opens
   * its review items.
   */
  private static boolean opensWithheld(
      Set<String> own, List<String> group, Map<String, List<Entry>> byHost) {
    if (own.isEmpty()) {
      return false;
    }
    for (String other : group) {
      for (Entry e : byHost.get(other)) {
        if (own.contains(service(e))) {
          return true;
        }
      }
    }
    return false;
  }

  private static String service(Entry e) {
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

  private static String profile(String host, List<Entry> es, Baseline.NameIndex names) {
    TreeSet<String> items = new TreeSet<>();
    for (Entry e : es) {
      List<String> ns = names.nameStrings(host, e.destination());
      items.add(e.protocol() + "/" + e.port() + "/" + (ns.isEmpty() ? e.destination() : ns.get(0)));
    }
    return String.join("\n", items);
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

  static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
