package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.baseline.Thresholds;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Hosts with nothing allowed of their own whose traffic is what a learned group's rules already
 * allow: a laptop away most of the window, a desk added on the window's last days. Every connection
 * such a host made was below minDays, so it got no role and everything it starts would be blocked,
 * although the group's members made the same connections on enough days for rules. Such a host
 * joins the group, so that its role's rules apply to it; the rules are not changed by it (they are
 * written before it joins, from the members' own traffic). It joins when:
 *
 * <ul>
 *   <li>it started at least {@code 10 x minFlows} connections (the hosts the policy would otherwise
 *       warn of as having no role), and is no temporary IPv6 address seen on one day;
 *   <li>it was away on the other days: no host of the site reached it on a day it started nothing
 *       (a database the web servers call every day that fetched updates on one day is no newcomer);
 *       hosts reached only from outside are not seen so;
 *   <li>it has no anomaly but late arrivals (no beacon, scan, unanswered retries or DNS tunnel),
 *       and no person's deny decision names it;
 *   <li>the group is learned: a config role's hosts are the person's to name;
 *   <li>none of its connections is allowed by a rule to any destination on a service other than the
 *       web's ({@link #WEB}): that is a server's privilege (a mail relay's tcp/25 to any), and a
 *       spam bot on a laptop seen on one day looks like a mail relay;
 *   <li>the group's rules allow at least {@value #SHARE} of its connections, on two services or
 *       more, and among them at least half of the group's services other than DNS and NTP (one at
 *       least): a device that only asks the resolver and the clock is not a desk because the desks
 *       do that too.
 * </ul>
 *
 * Of several such groups, the one whose rules allow the most of its connections is taken. The
 * policy's warnings say which hosts joined which group, and why; {@code egret review --deny
 * host:ADDR} keeps a host out.
 */
final class Newcomers {
  /** Share of a host's connections its group's rules must allow. */
  static final double SHARE = 0.8;

  /** Roles whose rules are checked against one host's connections, at most. */
  static final int ROLES_TRIED = 64;

  /** Hosts named in the warning; the rest are counted. */
  static final int LISTED = 5;

  /** One host that joined a group. */
  record Joined(String host, String role, long flows, long allowed, int days) {}

  /** The roles with the hosts that joined, the entries their rules now allow, and what was done. */
  record Result(
      List<Role> roles,
      Map<String, List<String>> members,
      Set<Entry> covered,
      List<Joined> joined,
      List<String> warnings) {}

  private Newcomers() {}

  static Result join(
      Baseline b,
      Findings f,
      Thresholds t,
      Decisions decisions,
      List<Role> roles,
      List<Rule> rules,
      List<Rule> denied,
      Map<String, List<String>> members,
      Set<String> configured) {
    Map<String, List<Entry>> withheld = new TreeMap<>();
    for (Entry e : f.withheld) {
      withheld.computeIfAbsent(e.host(), k -> new ArrayList<>()).add(e);
    }
    // The days each host was reached by another host of the site: a host that answered on days
    // it started nothing was there all along (a database called every day, updating once), not
    // away.
    Map<String, Set<String>> reached = new HashMap<>();
    for (Entry e : b.entries()) {
      if (e.internalDestination() && withheld.containsKey(e.destination())) {
        reached.computeIfAbsent(e.destination(), k -> new TreeSet<>()).addAll(e.days());
      }
    }
    Set<String> flagged = new HashSet<>();
    for (Findings.Flagged a : f.anomalies) {
      if (!a.anomaly().kind().equals(AnomalyKind.LATE_NEW.id())) {
        flagged.add(a.anomaly().host());
        a.entries().forEach(e -> flagged.add(e.host()));
      }
    }
    List<String> groups = new ArrayList<>();
    for (Map.Entry<String, List<String>> m : members.entrySet()) {
      if (!configured.contains(m.getKey())) {
        groups.add(m.getKey());
      }
    }
    Result none = new Result(roles, members, Set.of(), List.of(), List.of());
    if (groups.isEmpty() || withheld.isEmpty()) {
      return none;
    }
    Policy interim =
        new Policy(
            Policy.API_VERSION,
            Policy.KIND,
            null,
            roles,
            rules,
            denied,
            Defaults.standard(),
            List.of(),
            List.of());
    PolicyChecker checker = new PolicyChecker(interim);
    RoleOffers offers = new RoleOffers(rules, new HashSet<>(groups));
    DnsAnswers dns = null;
    Map<String, Set<String>> services = new TreeMap<>();
    for (Rule r : rules) {
      if (r.uid() == null) {
        for (String s : services(r)) {
          services.computeIfAbsent(r.role(), k -> new TreeSet<>()).add(s);
        }
      }
    }
    long needed = (long) Metadata.ROLE_FLOWS_FACTOR * t.minFlows();
    List<Joined> joined = new ArrayList<>();
    Set<Entry> covered = new HashSet<>();
    for (Map.Entry<String, List<Entry>> h : withheld.entrySet()) {
      // Most connections first, so that a role whose rules miss them is given up early.
      h.getValue().sort(Comparator.comparingLong(Entry::flows).reversed());
      String host = h.getKey();
      IpAddress a = IpAddress.parse(host);
      long flows = 0;
      Set<String> days = new TreeSet<>();
      for (Entry e : h.getValue()) {
        flows += e.flows();
        days.addAll(e.days());
      }
      if (flows < needed
          || TemporaryAddresses.temporary(a, days.size())
          || flagged.contains(host)
          || !days.containsAll(reached.getOrDefault(host, Set.of()))
          || denied(decisions, a)
          || Metadata.inRole(a, roles)) {
        continue;
      }
      if (dns == null) {
        dns = DnsAnswers.of(b, NameTtl.DEFAULT);
      }
      Joined best = null;
      Set<Entry> bestAllowed = null;
      for (Map.Entry<String, Long> bound : likely(offers.bounds(h.getValue()), flows, members)) {
        if (best != null && bound.getValue() <= best.allowed()) {
          break;
        }
        String g = bound.getKey();
        IpAddress member = IpAddress.parse(members.get(g).get(0));
        long allowed = 0;
        long missed = 0;
        Set<String> used = new TreeSet<>();
        Set<Entry> ok = new HashSet<>();
        boolean serverAny = false;
        for (Entry e : h.getValue()) {
          Rule r = allowing(checker, dns, member, e);
          if (r != null && r.destination().any() && !WEB.contains(Service.of(e))) {
            serverAny = true;
            break;
          }
          if (r != null) {
            allowed += e.flows();
            used.add(Service.of(e));
            ok.add(e);
          } else if ((missed += e.flows()) > (1 - SHARE) * flows) {
            break;
          }
        }
        Set<String> offered = services.getOrDefault(g, Set.of());
        if (serverAny || allowed < SHARE * flows || !alike(used, offered)) {
          continue;
        }
        if (best == null || allowed > best.allowed()) {
          best = new Joined(host, g, flows, allowed, days.size());
          bestAllowed = ok;
        }
      }
      if (best != null) {
        joined.add(best);
        covered.addAll(bestAllowed);
      }
    }
    if (joined.isEmpty()) {
      return none;
    }
    Map<String, List<String>> newMembers = new TreeMap<>(members);
    Map<String, List<Joined>> byRole = new TreeMap<>();
    for (Joined j : joined) {
      byRole.computeIfAbsent(j.role(), k -> new ArrayList<>()).add(j);
      List<String> hs = new ArrayList<>(newMembers.get(j.role()));
      hs.add(j.host());
      newMembers.put(j.role(), hs);
    }
    List<Role> newRoles = new ArrayList<>();
    for (Role r : roles) {
      List<Joined> js = byRole.get(r.name());
      if (js == null) {
        newRoles.add(r);
        continue;
      }
      List<Cidr> hosts = new ArrayList<>(r.hosts());
      for (Joined j : js) {
        hosts.add(Cidr.host(IpAddress.parse(j.host())));
      }
      hosts.sort(Comparator.naturalOrder());
      newRoles.add(
          new Role(
              r.name(),
              hosts,
              r.description()
                  + "; "
                  + js.size()
                  + (js.size() == 1
                      ? " host with nothing allowed of its own joined, its traffic"
                      : " hosts with nothing allowed of their own joined, their traffic")
                  + " being what these rules allow ("
                  + String.join(", ", js.stream().map(j -> j.host()).toList())
                  + ")"));
    }
    return new Result(newRoles, newMembers, covered, joined, List.of(warning(joined)));
  }

  /**
   * The roles whose rules could allow {@value #SHARE} of a host's {@code flows} connections, by
   * {@code bounds} ({@link RoleOffers}): those that could allow the most first, then the larger, at
   * most {@value #ROLES_TRIED} of them, so that a site of thousands of single-host roles and
   * thousands of newcomers is not a rule check of each against each.
   */
  private static List<Map.Entry<String, Long>> likely(
      Map<String, Long> bounds, long flows, Map<String, List<String>> members) {
    List<Map.Entry<String, Long>> out = new ArrayList<>();
    for (Map.Entry<String, Long> b : bounds.entrySet()) {
      if (b.getValue() >= SHARE * flows) {
        out.add(b);
      }
    }
    out.sort(
        Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
            .reversed()
            .thenComparing(b -> -members.get(b.getKey()).size())
            .thenComparing(Map.Entry::getKey));
    return out.subList(0, Math.min(ROLES_TRIED, out.size()));
  }

  private static String warning(List<Joined> joined) {
    List<String> listed = new ArrayList<>();
    for (Joined j : joined.subList(0, Math.min(LISTED, joined.size()))) {
      listed.add(
          j.host()
              + " to role "
              + j.role()
              + " ("
              + j.allowed()
              + " of its "
              + j.flows()
              + " connections on "
              + j.days()
              + (j.days() == 1 ? " day" : " days")
              + " allowed by that role's rules)");
    }
    int n = joined.size();
    return n
        + (n == 1
            ? " host with nothing allowed of its own"
            : " hosts with nothing allowed of their own")
        + " (each connection below minFlows or minDays) "
        + (n == 1 ? "joined" : "each joined")
        + " the learned role whose rules allow what it does, since the role's other hosts did it on"
        + " enough days: "
        + String.join(", ", listed)
        + (n > LISTED ? " and " + (n - LISTED) + " more" : "")
        + "; to keep one out, egret review --deny host:ADDR, or name it in a role of the config"
        + " (roles:)";
  }

  /**
   * The services every host uses, the resolver's and the clock's: used alone they say nothing of
   * what a host is.
   */
  private static final Set<String> EVERY_HOST =
      Set.of(Service.of("udp", 53), Service.of("tcp", 53), Service.of("udp", 123));

  /**
   * Two or more services used, at least one that not every host uses, and at least half of the
   * group's services of that kind.
   */
  private static boolean alike(Set<String> used, Set<String> offered) {
    int own = 0;
    for (String s : used) {
      if (!EVERY_HOST.contains(s)) {
        own++;
      }
    }
    int offeredOwn = 0;
    for (String s : offered) {
      if (!EVERY_HOST.contains(s)) {
        offeredOwn++;
      }
    }
    return used.size() >= 2 && own >= 1 && 2 * own >= offeredOwn;
  }

  /**
   * The services on which an "any destination" rule is what every desk has, the web's (limited to
   * what the site's resolver answered where it has one). Elsewhere such a rule is a server's (a
   * mail relay's tcp/25 to any), which a host seen on one day never gets by resemblance: a spam bot
   * on a laptop looks like a mail relay.
   */
  private static final Set<String> WEB =
      Set.of(Service.of("tcp", 80), Service.of("tcp", 443), Service.of("udp", 443));

  /**
   * The rule of {@code member} that allows an entry, by address or by the baseline's DNS answers
   * (at its first and its last connection), or null.
   */
  private static Rule allowing(PolicyChecker c, DnsAnswers dns, IpAddress member, Entry e) {
    IpAddress dest = IpAddress.parse(e.destination());
    int proto = Protocols.parse(e.protocol());
    Rule r = c.allowingRule(member, dest, proto, e.port(), e.uid());
    if (r != null) {
      return r;
    }
    r =
        c.allowingRuleByName(
            member, dest, proto, e.port(), e.firstSeenNs(), e.firstSeenNs(), dns, e.uid());
    return r != null
            && c.allowsByName(
                member, dest, proto, e.port(), e.firstSeenNs(), e.lastSeenNs(), dns, e.uid())
        ? r
        : null;
  }

  /** A rule's services as {@link Service#of} spells them: protocol and each port (or none). */
  private static List<String> services(Rule r) {
    List<String> out = new ArrayList<>();
    if (!r.icmpTypes().isEmpty()) {
      r.icmpTypes().forEach(p -> out.add(Service.of(r.protocol(), p)));
    } else if (r.ports().isEmpty()) {
      out.add(r.protocol());
    } else {
      for (PortRange p : r.ports()) {
        out.add(p.from() == p.to() ? Service.of(r.protocol(), p.from()) : r.protocol() + "/" + p);
      }
    }
    return out;
  }

  private static boolean denied(Decisions decisions, IpAddress host) {
    for (Decision d : decisions.list()) {
      if (d.action() == Decision.Action.DENY && host.equals(d.id().host())) {
        return true;
      }
    }
    return false;
  }
}
