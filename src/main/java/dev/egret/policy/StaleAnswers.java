package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.baseline.NameRecord;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Name rules whose hosts keep using an answer's address long after the answer ran out, while the
 * name's addresses change: an NTP client that looked a pool name up once a day, an agent that
 * resolves its endpoint at start. A name rule reaches an address for a while after a DNS answer
 * gave it (the sets the site resolver feeds, {@code egret resolve} and {@code check}: the answer's
 * TTL, bounded, plus {@link NameTtl#grace}), so such clients would be blocked once their addresses
 * are new ones. Such a rule gets a hold ({@link Destination#hold}): its names' sets keep an
 * answer's addresses for the longest use after an answer seen, plus a quarter, in whole hours, at
 * most a week. Widening the rule to every address on its port instead would let any member of the
 * role reach anything there. The policy says what it did, one warning per rule.
 */
final class StaleAnswers {
  private static final long NS = 1_000_000_000L;

  /**
   * Seconds past an answer's window that make a connection stale: longer than any set keeps an
   * address (an ipset's 3,900 s), so that a client caching an answer a little too long is not
   * warned about.
   */
  static final long LAG = 3_900;

  private StaleAnswers() {}

  /** The rules, held where needed, and what was done, one line per held rule. */
  record Held(List<Rule> rules, List<String> warnings) {}

  /**
   * Gives each name rule with stale connections to addresses of a name that rotates a hold that
   * covers them, and one warning that says so.
   */
  static Held hold(
      Baseline b,
      Names names,
      List<Rule> rules,
      Map<String, List<String>> members,
      Map<String, List<Entry>> allowedByHost,
      NameTtl ttl) {
    // (address, name) -> {its last answer, the end of that answer's window}; name -> days its
    // addresses first came in an answer.
    Map<String, long[]> windows = new HashMap<>();
    Map<String, Set<Long>> newDays = new HashMap<>();
    for (NameRecord r : b.names()) {
      if (!"dns".equals(r.source())) {
        continue;
      }
      String name = r.name().toLowerCase(Locale.ROOT);
      long[] w = {r.lastSeenNs(), r.lastSeenNs() + ttl.window(r.maxTtl()) * NS};
      windows.merge(r.address() + " " + name, w, (a, c) -> a[1] >= c[1] ? a : c);
      newDays.computeIfAbsent(name, k -> new HashSet<>()).add(r.firstSeenNs() / (86_400 * NS));
    }
    List<String> out = new java.util.ArrayList<>();
    List<Rule> held = new java.util.ArrayList<>(rules.size());
    for (Rule rule : rules) {
      held.add(rule);
      if (rule.destination().any() || rule.destination().hostNames().isEmpty()) {
        continue;
      }
      int stale = 0;
      long lag = 0;
      long since = 0;
      for (String h : members.getOrDefault(rule.role(), List.of())) {
        for (Entry e : allowedByHost.getOrDefault(h, List.of())) {
          if (!covers(rule, e)) {
            continue;
          }
          long end = Long.MIN_VALUE;
          long answered = Long.MIN_VALUE;
          boolean rotates = false;
          for (String n : names.dns(h, e.destination())) {
            String key = n.toLowerCase(Locale.ROOT);
            long[] w = windows.get(e.destination() + " " + key);
            if (w != null && w[1] > end) {
              end = w[1];
              answered = w[0];
            }
            rotates |= newDays.getOrDefault(key, Set.of()).size() >= 2;
          }
          long past = end == Long.MIN_VALUE ? 0 : (e.lastSeenNs() - end) / NS;
          if (rotates && past > LAG) {
            stale++;
            lag = Math.max(lag, past);
            since = Math.max(since, (e.lastSeenNs() - answered) / NS);
          }
        }
      }
      if (stale > 0) {
        long hold = hold(since);
        held.set(
            held.size() - 1,
            new Rule(
                rule.name(),
                rule.role(),
                rule.protocol(),
                rule.ports(),
                rule.icmpTypes(),
                rule.destination().withHold(hold),
                rule.broad(),
                rule.exposure(),
                rule.evidence(),
                rule.uid()));
        out.add(
            "rule "
                + rule.name()
                + ": "
                + stale
                + (stale == 1 ? " address was" : " addresses were")
                + " still used up to "
                + duration(lag)
                + " after the last DNS answer for "
                + (stale == 1 ? "it" : "them")
                + " ran out (its TTL plus "
                + ttl.grace()
                + " s), while the name's addresses change (an NTP pool looked up once a day, an"
                + " agent that resolves at start): the rule's names keep an answer's addresses for "
                + duration(hold)
                + " (hold: "
                + hold
                + "); a fixed or internal server would need no hold");
      }
    }
    return new Held(List.copyOf(held), out);
  }

  /**
   * The hold that covers a use this many seconds after its answer: a quarter more, in whole hours,
   * at most {@link Destination#MAX_HOLD}.
   */
  static long hold(long since) {
    long h = (since + since / 4 + 3599) / 3600 * 3600;
    return Math.min(Destination.MAX_HOLD, Math.max(3600, h));
  }

  private static boolean covers(Rule rule, Entry e) {
    if (!rule.protocol().equals(e.protocol())
        || rule.ports().stream().noneMatch(p -> p.from() <= e.port() && e.port() <= p.to())) {
      return false;
    }
    IpAddress a;
    try {
      a = IpAddress.parse(e.destination());
    } catch (IllegalArgumentException x) {
      return false;
    }
    for (Cidr c : rule.destination().addresses()) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** {@code 7 h} or {@code 95 min}. */
  private static String duration(long seconds) {
    return seconds >= 3 * 3600 ? seconds / 3600 + " h" : seconds / 60 + " min";
  }
}
