package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Audits egress against a policy: which (host, destination, protocol, port) the policy would block.
 * The same check serves {@code egret check} on captures or baselines and drift alerts during live
 * capture.
 *
 * <p>A name rule (a destination with host names, {@link Destination#hostNames}) allows its
 * addresses, and also, as the resolver's sets do, an address that a DNS answer for one of its names
 * (or a name under one of its wildcards) gave, when the connection started within that answer's
 * window ({@link DnsAnswers}), or within the hold of its name's set ({@link Destination#hold}: the
 * longest of the rules that follow the name). With the start of every connection known (captures),
 * each is judged; for a baseline entry, its first and last connection must lie in one window.
 */
public final class PolicyChecker {
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

  /** Per name or wildcard, the longest hold of the rules that follow it: its set's. */
  private final Map<String, Long> holds = new HashMap<>();

  private final DnsAnswers.Holds holdOf = p -> holds.getOrDefault(p, 0L);

  /**
   * Indexes the roles' hosts and the rules per role once, so that finding a host's rules costs a
   * look-up and the role's wider prefixes, not a pass over every rule (hosts x rules was most of
   * {@code policy}'s time on a baseline of thousands of hosts).
   */
  public PolicyChecker(Policy policy) {
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
              IpAddress.of(c.hi(), c.lo()), new int[] {id}, PolicyChecker::appendDistinct);
        } else {
          prefixes.add(c);
          prefixRoles.add(id);
        }
      }
    }
    List<Rule> rules = policy.rules();
    for (List<Rule> rs : List.of(rules, policy.denied())) {
      for (Rule r : rs) {
        if (r.destination().hold() != null) {
          for (String n : r.destination().hostNames()) {
            holds.merge(n, r.destination().hold(), Math::max);
          }
        }
      }
    }
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

  /**
   * A blocked (host, destination, protocol, port, user) with what was seen of it; {@code uid} is
   * null when the input did not say who sent it (captures, flow logs).
   */
  public record Blocked(
      String host,
      String destination,
      String protocol,
      int port,
      long flows,
      long firstSeenNs,
      List<String> names,
      Integer uid) {
    /** Blocked traffic of an unknown user. */
    public Blocked(
        String host,
        String destination,
        String protocol,
        int port,
        long flows,
        long firstSeenNs,
        List<String> names) {
      this(host, destination, protocol, port, flows, firstSeenNs, names, null);
    }
  }

  /** True when some rule lets {@code host} open this connection. */
  public boolean allows(IpAddress host, IpAddress dest, int proto, int port) {
    return allowingRule(host, dest, proto, port) != null;
  }

  /** The first rule (in policy order) that lets {@code host} open this connection, or null. */
  public Rule allowingRule(IpAddress host, IpAddress dest, int proto, int port) {
    return allowingRule(host, dest, proto, port, null);
  }

  /**
   * The first rule (in policy order) that lets user {@code uid} of {@code host} open this
   * connection, or null. A per-user rule ({@link Rule#uid}) allows its user only, as the kernel's
   * owner match does; for a connection whose user is unknown ({@code uid} null: captures and flow
   * logs never say) it counts as allowing, since the user may be the rule's. Only an audit log,
   * which names the user, tells them apart.
   */
  public Rule allowingRule(IpAddress host, IpAddress dest, int proto, int port, Integer uid) {
    if (denyingRule(host, dest, proto, port) != null) {
      return null;
    }
    for (Rule r : rulesOf(host)) {
      if (!userMatches(r, uid)) {
        continue;
      }
      // By number, so that a hand-written "ipv6-icmp" matches what the baseline calls icmp6.
      if (r.protocolNumber() != proto) {
        continue;
      }
      if (!portMatches(r, port)) {
        continue;
      }
      if (r.destination().any()) {
        return r;
      }
      for (Cidr c : r.destination().addresses()) {
        if (c.contains(dest)) {
          return r;
        }
      }
    }
    return null;
  }

  private static boolean userMatches(Rule r, Integer uid) {
    return r.uid() == null || uid == null || r.uid().equals(uid);
  }

  private static boolean portMatches(Rule r, int port) {
    if (!r.icmpTypes().isEmpty()) {
      return r.icmpTypes().contains(port);
    }
    if (r.ports().isEmpty()) {
      return true;
    }
    for (PortRange p : r.ports()) {
      if (p.contains(port)) {
        return true;
      }
    }
    return false;
  }

  /** The deny rule that refuses this connection by address, or null. */
  public Rule denyingRule(IpAddress host, IpAddress dest, int proto, int port) {
    if (policy.denied().isEmpty()) {
      return null;
    }
    for (Rule r : deniesOf(host)) {
      if (r.protocolNumber() != proto || !portMatches(r, port)) {
        continue;
      }
      if (r.destination().any()) {
        return r;
      }
      for (Cidr c : r.destination().addresses()) {
        if (c.contains(dest)) {
          return r;
        }
      }
    }
    return null;
  }

  /** The deny rules of the host's roles, in policy order. */
  private List<Rule> deniesOf(IpAddress host) {
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

  private List<Rule> rulesOf(IpAddress host) {
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

  /**
   * True when a name rule lets {@code host} open this connection at every time in {@code [fromNs,
   * toNs]} because a DNS answer gave {@code dest} for one of the rule's names.
   */
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

  public boolean allowsByName(
      IpAddress host, IpAddress dest, int proto, int port, long fromNs, long toNs, DnsAnswers dns) {
    return allowsByName(host, dest, proto, port, fromNs, toNs, dns, null);
  }

  /** {@link #allowsByName} for user {@code uid} (null: unknown, see {@link #allowingRule}). */
  boolean allowsByName(
      IpAddress host,
      IpAddress dest,
      int proto,
      int port,
      long fromNs,
      long toNs,
      DnsAnswers dns,
      Integer uid) {
    if (denyingRule(host, dest, proto, port) != null) {
      return false;
    }
    // A deny rule's names are followed as an accepting rule's are: an answer for a denied name
    // puts its address in the deny set, before any accepting one.
    for (Rule r : policy.denied().isEmpty() ? List.<Rule>of() : deniesOf(host)) {
      if (r.protocolNumber() != proto || !portMatches(r, port)) {
        continue;
      }
      List<String> names = r.destination().hostNames();
      if (!names.isEmpty() && dns.explainsAny(names, dest, fromNs, toNs, holdOf)) {
        return false;
      }
    }
    for (Rule r : rulesOf(host)) {
      if (r.protocolNumber() != proto || !portMatches(r, port) || !userMatches(r, uid)) {
        continue;
      }
      List<String> names = r.destination().hostNames();
      if (!names.isEmpty() && dns.explains(names, dest, fromNs, toNs, holdOf)) {
        return true;
      }
    }
    return false;
  }

  /** The start times of an entry's connections, when known, by {@link Entry#key()}. */
  @FunctionalInterface
  public interface FlowStarts {
    /** The starts (ns), or null when not known. */
    long[] of(String entryKey);
  }

  /** Every baseline entry the policy would block, the baseline's own DNS answers counting. */
  public List<Blocked> check(Baseline b) {
    return check(b, DnsAnswers.of(b, NameTtl.DEFAULT), k -> null);
  }

  /**
   * Every baseline entry the policy would block, in the baseline's order: what no rule allows by
   * address and no DNS answer in {@code dns} explains. An entry whose connection starts are known
   * is reported with the number of connections left unexplained.
   */
  public List<Blocked> check(Baseline b, DnsAnswers dns, FlowStarts starts) {
    Baseline.NameIndex names = b.nameIndex();
    List<Blocked> out = new ArrayList<>();
    for (Entry e : b.entries()) {
      IpAddress host = IpAddress.parse(e.host());
      IpAddress dest = IpAddress.parse(e.destination());
      int proto = Protocols.parse(e.protocol());
      Integer uid = e.uid();
      if (allowingRule(host, dest, proto, e.port(), uid) != null) {
        continue;
      }
      long blocked = e.flows();
      long first = e.firstSeenNs();
      long[] ts = starts.of(e.key());
      if (ts != null && ts.length == e.flows()) {
        blocked = 0;
        first = Long.MAX_VALUE;
        for (long t : ts) {
          if (!allowsByName(host, dest, proto, e.port(), t, t, dns, uid)) {
            blocked++;
            first = Math.min(first, t);
          }
        }
      } else if (allowsByName(
              host, dest, proto, e.port(), e.firstSeenNs(), e.firstSeenNs(), dns, uid)
          && allowsByName(host, dest, proto, e.port(), e.firstSeenNs(), e.lastSeenNs(), dns, uid)) {
        blocked = 0;
      }
      if (blocked > 0) {
        out.add(
            new Blocked(
                e.host(),
                e.destination(),
                e.protocol(),
                e.port(),
                blocked,
                first,
                names.nameStrings(e.host(), e.destination()),
                uid));
      }
    }
    return out;
  }
}
