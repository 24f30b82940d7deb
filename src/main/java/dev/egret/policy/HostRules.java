package dev.egret.policy;

import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules that apply to a host: those of every role that lists it, by a single address or a wider
 * prefix, in policy order; the deny rules apart. Looked up per host and remembered.
 */
final class HostRules {
  /** Hosts whose rules are remembered; past this the memory starts over (live capture). */
  private static final int CACHED_HOSTS = 65_536;

  private final Policy policy;

  /** Per role (by position in the policy), the rules naming it, in policy order. */
  private final List<List<Rule>> rulesByRole = new ArrayList<>();

  /** Per role, the positions of those rules in the policy, ascending. */
  private final List<int[]> ruleIndexByRole = new ArrayList<>();

  /** Roles by a single host address they list (a /32 or /128), by their position. */
  private final Map<IpAddress, int[]> rolesByAddress = new HashMap<>();

  /** The roles' wider prefixes, each with its role's position: few, checked one by one. */
  private final List<Cidr> prefixes = new ArrayList<>();

  private final List<Integer> prefixRoles = new ArrayList<>();

  /**
   * Per source host, the rules of its roles in policy order: a check looks at those only, not at
   * every rule and every role's prefixes (which made {@code policy} quadratic in review items).
   */
  private final Map<IpAddress, List<Rule>> rulesByHost = new ConcurrentHashMap<>();

  /** The same for the deny rules ({@link Policy#denied}), which are looked at first. */
  private final Map<IpAddress, List<Rule>> deniesByHost = new ConcurrentHashMap<>();

  /** Role names by position. */
  private final List<String> roleNames = new ArrayList<>();

  /** Indexes the roles' hosts and the rules per role. */
  HostRules(Policy policy) {
    this.policy = policy;
    Map<String, Integer> roleIds = new HashMap<>();
    List<List<Integer>> indexes = new ArrayList<>();
    for (Role r : policy.roles()) {
      int id = roleIds.size();
      roleIds.put(r.name(), id);
      roleNames.add(r.name());
      indexes.add(new ArrayList<>());
      for (Cidr c : r.hosts()) {
        if (c.bits() == 128) {
          rolesByAddress.merge(
              IpAddress.of(c.hi(), c.lo()), new int[] {id}, HostRules::appendDistinct);
        } else {
          prefixes.add(c);
          prefixRoles.add(id);
        }
      }
    }
    List<Rule> rules = policy.rules();
    for (int i = 0; i < rules.size(); i++) {
      Integer id = roleIds.get(rules.get(i).role());
      if (id == null) {
        throw new PolicyException("no role \"" + rules.get(i).role() + "\"");
      }
      indexes.get(id).add(i);
    }
    for (List<Integer> ix : indexes) {
      int[] a = ix.stream().mapToInt(Integer::intValue).toArray();
      ruleIndexByRole.add(a);
      List<Rule> rs = new ArrayList<>(a.length);
      for (int i : a) {
        rs.add(rules.get(i));
      }
      rulesByRole.add(List.copyOf(rs));
    }
  }

  private static int[] appendDistinct(int[] a, int[] b) {
    for (int x : a) {
      if (x == b[0]) {
        return a;
      }
    }
    int[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b[0];
    return out;
  }

  /** The deny rules of the host's roles, in policy order. */
  List<Rule> deniesOf(IpAddress host) {
    List<Rule> cached = deniesByHost.get(host);
    if (cached != null) {
      return cached;
    }
    java.util.Set<String> roles = new java.util.HashSet<>();
    for (int id : roleIds(host)) {
      roles.add(roleNames.get(id));
    }
    List<Rule> out = new ArrayList<>();
    for (Rule r : policy.denied()) {
      if (roles.contains(r.role())) {
        out.add(r);
      }
    }
    if (deniesByHost.size() >= CACHED_HOSTS) {
      deniesByHost.clear();
    }
    deniesByHost.put(host, List.copyOf(out));
    return out;
  }

  /** The accepting rules of the host's roles, in policy order. */
  List<Rule> rulesOf(IpAddress host) {
    List<Rule> cached = rulesByHost.get(host);
    if (cached != null) {
      return cached;
    }
    int[] ids = roleIds(host);
    List<Rule> out;
    if (ids.length == 0) {
      out = List.of();
    } else if (ids.length == 1) {
      out = rulesByRole.get(ids[0]);
    } else {
      // Several roles: their rules merged back into policy order.
      int[] all =
          java.util.Arrays.stream(ids)
              .flatMap(id -> java.util.Arrays.stream(ruleIndexByRole.get(id)))
              .sorted()
              .toArray();
      List<Rule> rs = new ArrayList<>(all.length);
      for (int i : all) {
        rs.add(policy.rules().get(i));
      }
      out = List.copyOf(rs);
    }
    if (rulesByHost.size() >= CACHED_HOSTS) {
      rulesByHost.clear();
    }
    rulesByHost.put(host, out);
    return out;
  }

  /** The positions of the roles that hold the host. */
  private int[] roleIds(IpAddress host) {
    int[] exact = rolesByAddress.get(host);
    int[] ids = exact == null ? new int[0] : exact;
    for (int i = 0; i < prefixes.size(); i++) {
      if (prefixes.get(i).contains(host)) {
        int id = prefixRoles.get(i);
        if (java.util.Arrays.stream(ids).noneMatch(x -> x == id)) {
          ids = java.util.Arrays.copyOf(ids, ids.length + 1);
          ids[ids.length - 1] = id;
        }
      }
    }
    return ids;
  }
}
