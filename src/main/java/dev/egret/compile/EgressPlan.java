package dev.egret.compile;

import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import dev.egret.net.Networks;
import dev.egret.net.Protocols;
import dev.egret.policy.Defaults;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyException;
import dev.egret.policy.Role;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A policy lowered for packet filters, the same for every target: the rules that apply in the
 * chosen mode, split by address family, with sources (gateway mode) and destinations normalised
 * (sorted, prefixes inside others removed, so interval sets never overlap).
 */
final class EgressPlan {
  /** IPv4 or IPv6: the families the filters keep apart. */
  enum Family {
    V4,
    V6
  }

  /**
   * One rule in one family.
   *
   * @param sources role hosts to match (gateway mode); empty in host mode (the machine itself)
   * @param destinations prefixes to match; empty when the rule allows any destination
   * @param comment the rule's name and evidence, raw: every target escapes it
   * @param named the destination is a name ({@link NameSets#isNameRule}): besides {@code
   *     destinations} (which may then be empty), the rule matches the sets of its names, which the
   *     resolver adds to; or any address the resolver answered ({@link NameSets#isResolvedOnly}):
   *     besides {@code destinations} (the addresses it learned, maybe none), the rule matches the
   *     sets of every answer alone
   */
  record Entry(
      Rule rule,
      Family family,
      List<Cidr> sources,
      List<Cidr> destinations,
      String comment,
      boolean named) {
    boolean anyDestination() {
      return destinations.isEmpty() && !named;
    }
  }

  /** A service the operators reach the hosts by, from {@code defaults.keepAccess}. */
  record Keep(String protocol, int port) {
    @Override
    public String toString() {
      return protocol + "/" + port;
    }
  }

  final Policy policy;
  final CompileOptions options;
  final Defaults defaults;
  final List<Rule> rules;
  final List<Role> roles;
  final List<Entry> entries;

  /** The deny rules of the selected roles ({@link Policy#denied}): before every accepting rule. */
  final List<Rule> denied;

  /** The deny rules per family, as {@link #entries}. */
  final List<Entry> denyEntries;

  final List<Keep> keep;

  /** What the person compiling should know: a union of roles, a host compiled to deny-all. */
  final List<String> warnings;

  private EgressPlan(Policy p, CompileOptions o) {
    this.policy = p;
    this.options = o;
    this.defaults = p.defaults();
    List<String> w = new ArrayList<>();
    this.roles = selectRoles(p, o, w);
    this.rules = selected(p.rules(), roles, o, w);
    this.entries = entries(p, o, rules);
    this.denied = selected(p.denied(), roles, o, w);
    this.warnings = List.copyOf(w);
    this.denyEntries = entries(p, o, denied);
    List<Keep> k = new ArrayList<>();
    if (o.keepAccess()) {
      for (String s : defaults.keepAccess()) {
        int slash = s.indexOf('/');
        k.add(new Keep(s.substring(0, slash), Integer.parseInt(s.substring(slash + 1))));
      }
    }
    this.keep = List.copyOf(k);
  }

  /**
   * The rules of the selected roles. A router sees no users: in gateway mode a per-user rule
   * ({@link Rule#uid}) applies to every user of its hosts, said once in a warning; the owner match
   * exists only where the sending socket is local (the output hook), never in forward.
   */
  private static List<Rule> selected(
      List<Rule> all, List<Role> roles, CompileOptions o, List<String> warnings) {
    List<Rule> out = new ArrayList<>();
    int users = 0;
    for (Rule r : all) {
      if (roles.stream().anyMatch(role -> role.name().equals(r.role()))) {
        boolean drop = r.uid() != null && o.mode() == CompileOptions.Mode.GATEWAY;
        users += drop ? 1 : 0;
        out.add(drop ? r.forEveryUser() : r);
      }
    }
    if (users > 0) {
      warnings.add(
          "gateway mode: "
              + users
              + (users == 1
                  ? " per-user rule applies to every user of its hosts"
                  : " per-user rules apply to every user of their hosts")
              + " (a router cannot tell users apart; --mode host"
              + " on each host keeps them per user)");
    }
    return List.copyOf(out);
  }

  private static List<Entry> entries(Policy p, CompileOptions o, List<Rule> rules) {
    List<Entry> es = new ArrayList<>();
    for (Rule r : rules) {
      for (Family f : Family.values()) {
        Entry e = entry(p, o, r, f);
        if (e != null) {
          es.add(e);
        }
      }
    }
    return List.copyOf(es);
  }

  static EgressPlan of(Policy p, CompileOptions o) {
    return new EgressPlan(p, o);
  }

  boolean gateway() {
    return options.mode() == CompileOptions.Mode.GATEWAY;
  }

  boolean reject() {
    return options.reject() || "reject".equals(defaults.action());
  }

  List<Entry> entries(Family f) {
    return entries.stream().filter(e -> e.family() == f).toList();
  }

  List<Entry> denyEntries(Family f) {
    return denyEntries.stream().filter(e -> e.family() == f).toList();
  }

  /**
   * Gateway mode: the site's side of the router, whose hosts' new connections the rules judge: the
   * networks of {@code --inside} (by default the private ones, {@link Networks#PRIVATE}) and every
   * role's hosts (a server with a public address included). A connection from outside them towards
   * them is not egress.
   */
  List<Cidr> inside(Family f) {
    List<Cidr> all = new ArrayList<>(options.insideNetworks());
    for (Role r : roles) {
      all.addAll(r.hosts());
    }
    return normalize(all, f);
  }

  /** Sorted, of one family, without prefixes that another one in the list covers. */
  static List<Cidr> normalize(List<Cidr> in, Family f) {
    TreeSet<Cidr> sorted = new TreeSet<>();
    for (Cidr c : in) {
      if (c.isV4() == (f == Family.V4)) {
        sorted.add(c);
      }
    }
    List<Cidr> out = new ArrayList<>();
    Cidr last = null;
    for (Cidr c : sorted) {
      if (last != null && last.contains(c)) {
        continue;
      }
      out.add(c);
      last = c;
    }
    return out;
  }

  private static Entry entry(Policy p, CompileOptions o, Rule r, Family f) {
    int proto = r.protocolNumber();
    if (proto == Protocols.ICMP && f != Family.V4 || proto == Protocols.ICMPV6 && f != Family.V6) {
      return null;
    }
    List<Cidr> dst = List.of();
    boolean named = NameSets.isNameRule(r) || NameSets.isResolvedOnly(r);
    // A resolved-only rule's addresses are allowed from the start, as a name rule's learned ones.
    if (!r.destination().any() || NameSets.isResolvedOnly(r)) {
      dst = normalize(r.destination().addresses(), f);
      if (dst.isEmpty() && !named) {
        return null;
      }
    }
    List<Cidr> src = List.of();
    if (o.mode() == CompileOptions.Mode.GATEWAY) {
      src = normalize(p.role(r.role()).hosts(), f);
      if (src.isEmpty()) {
        return null;
      }
    }
    return new Entry(r, f, src, dst, comment(r), named);
  }

  /** The rule's name and what it rests on, in words; raw wire text, escaped by each target. */
  static String comment(Rule r) {
    StringBuilder sb = new StringBuilder("egret ").append(r.name());
    List<String> names = r.destination().names();
    if (!names.isEmpty()) {
      sb.append(": ");
      int shown = Math.min(names.size(), 3);
      sb.append(String.join(", ", names.subList(0, shown)));
      if (names.size() > shown) {
        sb.append(" +").append(names.size() - shown).append(" more");
      }
    }
    if (r.broad()) {
      sb.append(" (broad)");
    }
    if (r.evidence() != null) {
      sb.append(" - ").append(r.evidence().flows()).append(" flows");
      sb.append(", ").append(r.evidence().days()).append(" days");
      if (r.evidence().sharedAddresses() != null) {
        sb.append(", addresses shared with ")
            .append(r.evidence().sharedAddresses().names())
            .append(" other names");
      }
    }
    return sb.toString();
  }

  /**
   * The roles whose rules apply. Gateway mode: all of them. Host mode: the roles of the {@code
   * --host} addresses; a host in no role gets none (deny-all egress, with a warning); without
   * {@code --host} a policy of one role compiles that role, one of several is refused unless {@code
   * --all-roles} asks for their union (with a warning), since a union loaded on one machine would
   * let it do what every other role may.
   */
  private static List<Role> selectRoles(Policy p, CompileOptions o, List<String> warnings) {
    if (o.mode() == CompileOptions.Mode.GATEWAY) {
      return p.roles();
    }
    if (o.hosts().isEmpty()) {
      if (o.allRoles() && p.roles().size() > 1) {
        warnings.add(
            "--all-roles: one ruleset for the "
                + p.roles().size()
                + " roles' rules together; a machine loading it may do what any role may");
      } else if (p.roles().size() > 1) {
        throw new PolicyException(
            "host mode compiles one machine's rules and this policy has "
                + p.roles().size()
                + " roles ("
                + roleList(p.roles())
                + "): give --host ADDR (the machine's address), --all-roles for their union,"
                + " or --mode gateway");
      }
      return p.roles();
    }
    List<Role> out = new ArrayList<>();
    for (IpAddress h : o.hosts()) {
      boolean found = false;
      for (Role r : p.roles()) {
        if (r.hosts().stream().anyMatch(c -> c.contains(h))) {
          found = true;
          if (!out.contains(r)) {
            out.add(r);
          }
        }
      }
      if (!found) {
        warnings.add(
            "host "
                + h
                + " is in no role of the policy (it learned no outbound traffic): its rules deny"
                + " all egress but loopback, established connections, keep-access and IPv6"
                + " neighbour discovery");
      }
    }
    out.sort(java.util.Comparator.comparing(Role::name));
    return out;
  }

  /** Role names for a one-line message: the first ten, then how many more. */
  private static String roleList(List<Role> roles) {
    List<String> names = roles.stream().map(Role::name).toList();
    int shown = Math.min(names.size(), 10);
    String s = String.join(", ", names.subList(0, shown));
    return names.size() > shown ? s + " +" + (names.size() - shown) + " more" : s;
  }
}
