package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.NameRecord;
import dev.egret.net.HostName;
import dev.egret.net.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DNS answers seen in what is being checked, as the windows in which each answer lets a name
 * rule reach its address: from the answer's time to its TTL, bounded by {@link NameTtl}, plus the
 * grace period, as the resolver's sets hold it. Any client's answer counts, as the site resolver
 * adds every answer it gives to the sets, whoever asked; the caller passes on only answers from a
 * server the policy lets someone ask (check: {@code DnsCheckTap}).
 *
 * <p>Windows of one (address, name) that overlap are merged as they come; answers arrive in time
 * order within a capture, so each pair holds a few windows however many answers there were. Each
 * window remembers its last answer, from which a name rule's hold ({@link Destination#hold})
 * counts: the set of a held name keeps an address that long after the answer that last gave it.
 */
public final class DnsAnswers {
  private static final long NS = 1_000_000_000L;

  private final NameTtl ttl;
  // address -> name (lower case) -> windows [from, to, last answer] in ns
  private final Map<IpAddress, Map<String, List<long[]>>> windows = new HashMap<>();

  public DnsAnswers(NameTtl ttl) {
    this.ttl = ttl;
  }

  /** The answers a baseline recorded: each DNS name record from its first to its last answer. */
  public static DnsAnswers of(Baseline b, NameTtl ttl) {
    return new DnsAnswers(ttl).addBaseline(b);
  }

  /** Adds the answers a baseline recorded, as {@link #of}. */
  public DnsAnswers addBaseline(Baseline b) {
    DnsAnswers d = this;
    for (NameRecord r : b.names()) {
      if (!"dns".equals(r.source())) {
        continue;
      }
      try {
        IpAddress a = IpAddress.parse(r.address());
        d.add(
            a,
            r.name(),
            r.firstSeenNs(),
            r.lastSeenNs() + ttl.window(r.maxTtl()) * NS,
            r.lastSeenNs());
      } catch (IllegalArgumentException e) {
        // not an address: nothing a flow could go to
      }
    }
    return this;
  }

  /** A response at {@code tsNs} said {@code name} has {@code address} for {@code ttlSeconds}. */
  public void answer(long tsNs, String name, IpAddress address, long ttlSeconds) {
    add(address, name, tsNs, tsNs + ttl.window(ttlSeconds) * NS, tsNs);
  }

  private void add(IpAddress address, String name, long from, long to, long last) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    List<long[]> ws =
        windows
            .computeIfAbsent(address, k -> new HashMap<>())
            .computeIfAbsent(n.toLowerCase(Locale.ROOT), k -> new ArrayList<>());
    for (long[] w : ws) {
      if (from <= w[1] && to >= w[0]) {
        w[0] = Math.min(w[0], from);
        w[1] = Math.max(w[1], to);
        w[2] = Math.max(w[2], last);
        return;
      }
    }
    ws.add(new long[] {from, to, last});
  }

  /** Seconds a pattern's set keeps an answer's address at least (its hold), by pattern. */
  @FunctionalInterface
  public interface Holds {
    Holds NONE = pattern -> 0;

    long seconds(String pattern);
  }

  /**
   * True when, for one of {@code patterns} (normalized host names or wildcards), an answer for a
   * matching name gave {@code address} and its window holds all of {@code [fromNs, toNs]}.
   */
  public boolean explains(List<String> patterns, IpAddress address, long fromNs, long toNs) {
    return answered(patterns, address, fromNs, toNs, true, Holds.NONE);
  }

  /**
   * {@link #explains(List, IpAddress, long, long)} with each pattern's set keeping an answer's
   * address for at least its hold after the answer.
   */
  public boolean explains(
      List<String> patterns, IpAddress address, long fromNs, long toNs, Holds holds) {
    return answered(patterns, address, fromNs, toNs, true, holds);
  }

  /**
   * True when, for one of {@code patterns}, an answer for a matching name gave {@code address} with
   * a window that overlaps {@code [fromNs, toNs]} at all: for a deny rule's set, which then holds
   * the address for part of the time.
   */
  public boolean explainsAny(List<String> patterns, IpAddress address, long fromNs, long toNs) {
    return answered(patterns, address, fromNs, toNs, false, Holds.NONE);
  }

  /** {@link #explainsAny(List, IpAddress, long, long)} with the patterns' holds. */
  public boolean explainsAny(
      List<String> patterns, IpAddress address, long fromNs, long toNs, Holds holds) {
    return answered(patterns, address, fromNs, toNs, false, holds);
  }

  /** A window of a matching name's answer that holds ({@code whole}) or touches the interval. */
  private boolean answered(
      List<String> patterns,
      IpAddress address,
      long fromNs,
      long toNs,
      boolean whole,
      Holds holds) {
    Map<String, List<long[]>> byName = windows.get(address);
    if (byName == null || patterns.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, List<long[]>> e : byName.entrySet()) {
      for (String p : patterns) {
        if (!matches(p, e.getKey())) {
          continue;
        }
        long hold = holds.seconds(p) * NS;
        for (long[] w : e.getValue()) {
          long to = Math.max(w[1], w[2] + hold);
          if (whole ? w[0] <= fromNs && toNs <= to : w[0] <= toNs && fromNs <= to) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * True when an answer for any name gave {@code address} with a window that holds all of {@code
   * [fromNs, toNs]}: the set the site resolver adds every answer to ({@link Destination#resolved}).
   */
  public boolean explainsAnyName(IpAddress address, long fromNs, long toNs) {
    Map<String, List<long[]>> byName = windows.get(address);
    if (byName == null) {
      return false;
    }
    for (List<long[]> ws : byName.values()) {
      for (long[] w : ws) {
        if (w[0] <= fromNs && toNs <= w[1]) {
          return true;
        }
      }
    }
    return false;
  }

  /** Names an address was an answer for: how many fronts share it (a CDN edge). */
  public int namesFor(IpAddress address) {
    Map<String, List<long[]>> byName = windows.get(address);
    return byName == null ? 0 : byName.size();
  }

  /**
   * As the site resolver fills the sets: dnsmasq matches a line's domain by suffix on whole labels,
   * so a name's set also takes the answers for names under it, and a wildcard {@code *.d} (written
   * as {@code /d/}) those for {@code d} itself. Where a more specific name has a line of its own,
   * dnsmasq sends its answers there only, so the kernel may allow less than this counts. A name
   * under another owner (the Public Suffix List says so: {@link Domains#sameOwner}) never counts;
   * the dnsmasq file has no line for a public suffix, so its set takes none of them.
   */
  private static boolean matches(String pattern, String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    String d = HostName.isWildcard(pattern) ? pattern.substring(2) : pattern;
    return n.equalsIgnoreCase(d)
        || n.length() > d.length()
            && n.charAt(n.length() - d.length() - 1) == '.'
            && n.regionMatches(true, n.length() - d.length(), d, 0, d.length())
            && Domains.sameOwner(d, n);
  }
}
