package dev.egret.compile;

import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
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
   */
  record Entry(
      Rule rule, Family family, List<Cidr> sources, List<Cidr> destinations, String comment) {
    boolean anyDestination() {
      return destinations.isEmpty();
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
  final List<Keep> keep;

  private EgressPlan(Policy p, CompileOptions o) {
    this.policy = p;
    this.options = o;
    this.defaults = p.defaults();
    this.roles = selectRoles(p, o);
    List<Rule> rs = new ArrayList<>();
    for (Rule r : p.rules()) {
      if (roles.stream().anyMatch(role -> role.name().equals(r.role()))) {
        rs.add(r);
      }
    }
    this.rules = List.copyOf(rs);
    List<Entry> es = new ArrayList<>();
    for (Rule r : rules) {
      for (Family f : Family.values()) {
        Entry e = entry(p, o, r, f);
        if (e != null) {
          es.add(e);
        }
      }
    }
    this.entries = List.copyOf(es);
    List<Keep> k = new ArrayList<>();
    if (o.keepAccess()) {
      for (String s : defaults.keepAccess()) {
        int slash = s.indexOf('/');
        k.add(new Keep(s.substring(0, slash), Integer.parseInt(s.substring(slash + 1))));
      }
    }
    this.keep = List.copyOf(k);
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

  /** Every selected role's hosts of one family: whom keep-access protects in gateway mode. */
  List<Cidr> roleHosts(Family f) {
    List<Cidr> all = new ArrayList<>();
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
    if (!r.destination().any()) {
      dst = normalize(r.destination().addresses(), f);
      if (dst.isEmpty()) {
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
    return new Entry(r, f, src, dst, comment(r));
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
    }
    return sb.toString();
  }

  private static List<Role> selectRoles(Policy p, CompileOptions o) {
    if (o.hosts().isEmpty()) {
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
        throw new PolicyException("host " + h + " is in no role of the policy");
      }
    }
    out.sort(java.util.Comparator.comparing(Role::name));
    return out;
  }
}
