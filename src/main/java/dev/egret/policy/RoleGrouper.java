package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Entry;
import dev.egret.decode.Cidr;
import dev.egret.decode.IpAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts hosts into roles: a host in a config-named role belongs to it; the other hosts are grouped
 * when their allowed traffic is the same (same protocols, ports and destinations, by name where
 * known). Names are stable between runs: a lone host is {@code host-<address>}, a group is named
 * after its most used services plus a short hash of its profile.
 */
final class RoleGrouper {
  /** Hosts by role name, and the role descriptions. */
  final Map<String, List<String>> members = new TreeMap<>();

  final Map<String, Role> roles = new TreeMap<>();

  RoleGrouper(List<Entry> allowed, EgretConfig config, Baseline.NameIndex names) {
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
    for (Map.Entry<String, List<String>> p : byProfile.entrySet()) {
      List<String> hosts = p.getValue();
      String name =
          hosts.size() == 1
              ? "host-" + hosts.get(0).replace('.', '-').replace(':', '-')
              : "group-" + services(profileEntries.get(p.getKey())) + "-" + hash(p.getKey());
      name = PolicyGenerator.identifier(name);
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
              hosts.size() == 1
                  ? "one host with its own traffic profile"
                  : hosts.size() + " hosts with the same traffic profile"));
    }
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
