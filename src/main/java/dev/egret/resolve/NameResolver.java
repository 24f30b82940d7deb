package dev.egret.resolve;

import dev.egret.compile.NameSets.NameSet;
import dev.egret.decode.DnsMessage;
import dev.egret.net.Cidr;
import dev.egret.net.HostName;
import dev.egret.policy.NameTtl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps the name sets of a policy current without dnsmasq: every round looks up each name of the
 * sets (A for the IPv4 sets, AAAA for the IPv6 ones) and adds the answers for their TTL, bounded by
 * {@link NameTtl}, plus the grace period; an address no longer given leaves when that runs out.
 *
 * <p>It must not hammer the resolver nor drop what worked: the next round comes after the shortest
 * bounded TTL seen (never sooner than {@link #MIN_DELAY_S}), less up to a tenth at random so that
 * many hosts do not ask at the same second; a failed look-up doubles the delay (up to the maximum
 * TTL) and keeps the name's last good answer in its sets until the next round. Wildcards cannot be
 * looked up: only the site resolver (dnsmasq) sees the names under them; the names a rule lists
 * under its wildcard are looked up, and their answers go to the wildcard's set.
 *
 * <p>The sets of every answer ({@link dev.egret.compile.NameSets#ANY_ANSWER}, followed by
 * resolved-only rules) get the answers of every name looked up here, and so only of the policy's
 * names: the addresses of the other names the hosts look up reach them only through dnsmasq.
 */
public final class NameResolver {
  /** Seconds between rounds at the least, whatever the TTLs. */
  public static final long MIN_DELAY_S = 10;

  /** What one round did. */
  public record Round(SetUpdate update, List<String> failures, long nextDelaySeconds) {}

  /** One name and address family to look up, and the sets its answers go to. */
  private record Lookup(String name, int type, List<NameSet> sets) {}

  private final List<Lookup> lookups;
  private final List<String> wildcards;
  private final boolean everyAnswer;
  private final NameTtl ttl;
  private final int maxAddresses;
  private final Random random;
  private final Map<String, List<DnsClient.Answer>> lastGood = new HashMap<>();
  private int failedRounds;

  public NameResolver(List<NameSet> sets, NameTtl ttl, int maxAddresses, Random random) {
    if (maxAddresses < 1) {
      throw new IllegalArgumentException("at most N addresses per name: N must be at least 1");
    }
    this.ttl = ttl;
    this.maxAddresses = maxAddresses;
    this.random = random;
    Map<String, List<NameSet>> byKey = new TreeMap<>();
    Set<String> wild = new TreeSet<>();
    List<NameSet> any = sets.stream().filter(NameSet::anyAnswer).toList();
    for (NameSet s : sets) {
      if (HostName.isWildcard(s.pattern())) {
        wild.add(s.pattern());
      }
      for (String n : s.lookups()) {
        byKey.computeIfAbsent(n + (s.v4() ? " A" : " AAAA"), k -> new ArrayList<>()).add(s);
      }
    }
    List<Lookup> ls = new ArrayList<>();
    byKey.forEach(
        (k, v) -> {
          int sp = k.indexOf(' ');
          int type = k.endsWith(" A") ? DnsMessage.TYPE_A : DnsMessage.TYPE_AAAA;
          List<NameSet> to = new ArrayList<>(v);
          any.stream().filter(s -> s.v4() == (type == DnsMessage.TYPE_A)).forEach(to::add);
          ls.add(new Lookup(k.substring(0, sp), type, List.copyOf(to)));
        });
    this.lookups = List.copyOf(ls);
    this.wildcards = List.copyOf(wild);
    this.everyAnswer = !any.isEmpty();
  }

  /**
   * True when some set takes every answer ({@link NameSet#anyAnswer}): it gets the policy's names'
   * answers alone here.
   */
  public boolean everyAnswer() {
    return everyAnswer;
  }

  /** Wildcard names, which only dnsmasq can follow. */
  public List<String> wildcards() {
    return wildcards;
  }

  /** Names and families looked up each round. */
  public int lookups() {
    return lookups.size();
  }

  /** Looks every name up once and returns what to load; {@code query} is the resolver. */
  public Round round(Query query) {
    SetUpdate update = new SetUpdate();
    List<String> failures = new ArrayList<>();
    long shortest = ttl.maxTtl();
    List<Lookup> failed = new ArrayList<>();
    for (Lookup l : lookups) {
      DnsClient.Result r = query.query(l.name(), l.type());
      String key = l.name() + " " + l.type();
      if (!r.ok()) {
        failures.add(l.name() + (l.type() == DnsMessage.TYPE_A ? " A: " : " AAAA: ") + r.error());
        failed.add(l);
        continue;
      }
      List<DnsClient.Answer> kept = cap(r.answers());
      lastGood.put(key, kept);
      for (DnsClient.Answer a : kept) {
        shortest = Math.min(shortest, ttl.bound(a.ttl()));
        for (NameSet s : l.sets()) {
          update.add(s, a.address(), s.keep(ttl.window(a.ttl())));
        }
      }
    }
    failedRounds = failures.isEmpty() ? 0 : Math.min(failedRounds + 1, 20);
    long delay = Math.max(MIN_DELAY_S, shortest);
    if (failedRounds > 0) {
      long backoff = Math.max(MIN_DELAY_S, ttl.minTtl()) << Math.min(failedRounds - 1, 16);
      delay = Math.min(delay, Math.max(MIN_DELAY_S, Math.min(ttl.maxTtl(), backoff)));
    }
    delay -= (long) (delay * 0.1 * random.nextDouble());
    // A failed name keeps its last good addresses until the round after next at least.
    for (Lookup l : failed) {
      for (DnsClient.Answer a : lastGood.getOrDefault(l.name() + " " + l.type(), List.of())) {
        for (NameSet s : l.sets()) {
          update.add(s, a.address(), delay + s.keep(ttl.window(a.ttl())));
        }
      }
    }
    return new Round(update, failures, delay);
  }

  /** At most {@code maxAddresses} per name: the first in address order, without repeats. */
  private List<DnsClient.Answer> cap(List<DnsClient.Answer> answers) {
    Map<Cidr, DnsClient.Answer> byAddr = new TreeMap<>();
    for (DnsClient.Answer a : answers) {
      byAddr.merge(a.address(), a, (x, y) -> x.ttl() >= y.ttl() ? x : y);
    }
    List<DnsClient.Answer> out = new ArrayList<>(new LinkedHashSet<>(byAddr.values()));
    return out.size() > maxAddresses ? List.copyOf(out.subList(0, maxAddresses)) : out;
  }

  /** A look-up: {@link DnsClient#query} or a test's stand-in. */
  @FunctionalInterface
  public interface Query {
    DnsClient.Result query(String name, int type);
  }
}
