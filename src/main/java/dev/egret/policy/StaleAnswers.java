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
 * TTL, bounded, plus {@link NameTtl#grace}; an ipset at most 3,900 s), so such clients are blocked
 * once their addresses are new ones. Widening the rule to every address on its port would let any
 * member of the role reach anything there, so the policy says it instead, one warning per rule.
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

  /** One warning per name rule with stale connections to addresses of a name that rotates. */
  static List<String> warnings(
      Baseline b,
      Names names,
      List<Rule> rules,
      Map<String, List<String>> members,
      Map<String, List<Entry>> allowedByHost,
      NameTtl ttl) {
    // (address, name) -> the end of its last answer's window; name -> days its addresses first
    // came in an answer.
    Map<String, Long> windowEnd = new HashMap<>();
    Map<String, Set<Long>> newDays = new HashMap<>();
    for (NameRecord r : b.names()) {
      if (!"dns".equals(r.source())) {
        continue;
      }
      String name = r.name().toLowerCase(Locale.ROOT);
      windowEnd.merge(
          r.address() + " " + name, r.lastSeenNs() + ttl.window(r.maxTtl()) * NS, Math::max);
      newDays.computeIfAbsent(name, k -> new HashSet<>()).add(r.firstSeenNs() / (86_400 * NS));
    }
    List<String> out = new java.util.ArrayList<>();
    for (Rule rule : rules) {
      if (rule.destination().any() || rule.destination().names().isEmpty()) {
        continue;
      }
      int stale = 0;
      long lag = 0;
      for (String h : members.getOrDefault(rule.role(), List.of())) {
        for (Entry e : allowedByHost.getOrDefault(h, List.of())) {
          if (!covers(rule, e)) {
            continue;
          }
          long end = Long.MIN_VALUE;
          boolean rotates = false;
          for (String n : names.dns(h, e.destination())) {
            String key = n.toLowerCase(Locale.ROOT);
            end = Math.max(end, windowEnd.getOrDefault(e.destination() + " " + key, end));
            rotates |= newDays.getOrDefault(key, Set.of()).size() >= 2;
          }
          long past = end == Long.MIN_VALUE ? 0 : (e.lastSeenNs() - end) / NS;
          if (rotates && past > LAG) {
            stale++;
            lag = Math.max(lag, past);
          }
        }
      }
      if (stale > 0) {
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
                + ", while the name's addresses change and a name rule reaches an address only"
                + " for a while after an answer (its TTL plus "
                + ttl.grace()
                + " s; an ipset at most 3,900 s): such clients (an NTP pool looked up once, an"
                + " agent that resolves at start) will be blocked on new addresses; give them a"
                + " fixed or internal server");
      }
    }
    return out;
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
