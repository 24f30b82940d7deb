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

/**
 * Audits egress against a policy: which (host, destination, protocol, port) the policy would block.
 * The same check serves {@code egret check} on captures or baselines and drift alerts during live
 * capture.
 *
 * <p>A name rule (a destination with host names, {@link Destination#hostNames}) allows its
 * addresses, and also, as the resolver's sets do, an address that a DNS answer for one of its names
 * (or a name under one of its wildcards) gave, when the connection started within that answer's
 * window ({@link DnsAnswers}), or within the hold of its name's set ({@link Destination#hold}: the
 * longest of the rules that follow the name). A rule limited to the resolver's answers ({@link
 * Destination#resolved}) allows an address that an answer for any name gave, within that answer's
 * window, as the set the resolver adds every answer to. With the start of every connection known
 * (captures), each is judged; for a baseline entry, its first and last connection must lie in one
 * window.
 */
public final class PolicyChecker {
  private final Policy policy;

  private final HostRules hostRules;

  /** Per name or wildcard, the longest hold of the rules that follow it: its set's. */
  private final Map<String, Long> holds = new HashMap<>();

  private final DnsAnswers.Holds holdOf = p -> holds.getOrDefault(p, 0L);

  /**
   * Indexes the roles' hosts and the rules per role once ({@link HostRules}), so that finding a
   * host's rules costs a look-up and the role's wider prefixes, not a pass over every rule (hosts x
   * rules was most of {@code policy}'s time on a baseline of thousands of hosts).
   */
  public PolicyChecker(Policy policy) {
    this.policy = policy;
    this.hostRules = new HostRules(policy);
    for (List<Rule> rs : List.of(policy.rules(), policy.denied())) {
      for (Rule r : rs) {
        if (r.destination().hold() != null) {
          for (String n : r.destination().hostNames()) {
            holds.merge(n, r.destination().hold(), Math::max);
          }
        }
      }
    }
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
    return allowingRule(host, dest, proto, port, uid, false);
  }

  /**
   * {@link #allowingRule(IpAddress, IpAddress, int, int, Integer)}, where a rule limited to the
   * addresses the site's resolver answered ({@link Destination#resolvedOnly}) allows only when
   * {@code answered}: a DNS answer gave {@code dest} (as far as the caller knows, say from a
   * baseline's names) at the time. Without it, such a rule allows nothing by address alone.
   */
  public Rule allowingRule(
      IpAddress host, IpAddress dest, int proto, int port, Integer uid, boolean answered) {
    if (denyingRule(host, dest, proto, port) != null) {
      return null;
    }
    for (Rule r : hostRules.rulesOf(host)) {
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
      if (r.destination().any() && (answered || !r.destination().resolvedOnly())) {
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

  /**
   * True when a rule limited to the resolver's answers ({@link Destination#resolvedOnly}) lets
   * {@code host} open a connection on this protocol and port to an address some DNS answer gave:
   * for a caller that knows the answers itself (live drift alerts).
   */
  public boolean allowsResolved(IpAddress host, IpAddress dest, int proto, int port) {
    return allowingRule(host, dest, proto, port, null, true) != null;
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
    for (Rule r : hostRules.deniesOf(host)) {
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
    return allowingRuleByName(host, dest, proto, port, fromNs, toNs, dns, uid) != null;
  }

  /** The rule {@link #allowsByName} allows by, or null. */
  Rule allowingRuleByName(
      IpAddress host,
      IpAddress dest,
      int proto,
      int port,
      long fromNs,
      long toNs,
      DnsAnswers dns,
      Integer uid) {
    if (denyingRule(host, dest, proto, port) != null) {
      return null;
    }
    // A deny rule's names are followed as an accepting rule's are: an answer for a denied name
    // puts its address in the deny set, before any accepting one.
    for (Rule r : policy.denied().isEmpty() ? List.<Rule>of() : hostRules.deniesOf(host)) {
      if (r.protocolNumber() != proto || !portMatches(r, port)) {
        continue;
      }
      List<String> names = r.destination().hostNames();
      if (!names.isEmpty() && dns.explainsAny(names, dest, fromNs, toNs, holdOf)) {
        return null;
      }
    }
    for (Rule r : hostRules.rulesOf(host)) {
      if (r.protocolNumber() != proto || !portMatches(r, port) || !userMatches(r, uid)) {
        continue;
      }
      if (r.destination().resolvedOnly() && dns.explainsAnyName(dest, fromNs, toNs)) {
        return r;
      }
      List<String> names = r.destination().hostNames();
      if (!names.isEmpty() && dns.explains(names, dest, fromNs, toNs, holdOf)) {
        return r;
      }
    }
    return null;
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
