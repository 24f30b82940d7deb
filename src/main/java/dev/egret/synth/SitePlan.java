package dev.egret.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a site profile does each day: the conversations its hosts start ({@link #day}) and the
 * script of each ({@link #script}), which also labels the flows. {@link SiteScenario} runs it.
 */
interface SitePlan<V extends SitePlan.Timed> {
  /** A planned conversation: when it starts. */
  interface Timed {
    long start();
  }

  /** Day {@code d}'s conversations (0-based), in no particular order. */
  List<V> day(int d, long dayStart, SplittableRandom rnd);

  /** Writes {@code v}'s script into {@code s} and labels its flows. */
  void script(Session s, V v);

  /**
   * Adds the site resolver's query upstream before each lookup whose answer it would no longer have
   * cached: no query upstream for the same name and answer within the answer's TTL before it. A
   * resolver answers from its cache only what it fetched upstream, so a sensor at the site's edge,
   * which sees the resolver's questions and not the hosts', sees every address a host is given. The
   * forwards a plan drew at random stay (a cache can drop an answer early).
   *
   * @param v the day's visits, in any order; the forwards are added to it
   * @param lookup whether a visit is a host's lookup at the site resolver
   * @param forward whether a visit is the resolver's query upstream
   * @param service the service a visit looks up
   * @param forwardFor the resolver's query upstream for a lookup, made shortly before it
   */
  static <V extends Timed> void forwardCacheMisses(
      List<V> v,
      Predicate<V> lookup,
      Predicate<V> forward,
      Function<V, Service> service,
      Function<V, V> forwardFor) {
    List<V> byTime = new ArrayList<>(v);
    byTime.sort(Comparator.comparingLong(Timed::start));
    Map<String, Long> fetched = new HashMap<>();
    for (V x : byTime) {
      boolean isForward = forward.test(x);
      if (!isForward && !lookup.test(x)) {
        continue;
      }
      Service svc = service.apply(x);
      String key = svc.name + Arrays.toString(svc.v4) + Arrays.toString(svc.v6);
      if (isForward) {
        fetched.merge(key, x.start(), Math::max);
        continue;
      }
      Long last = fetched.get(key);
      if (last == null || x.start() - last > svc.ttl * 1_000_000_000L) {
        V f = forwardFor.apply(x);
        v.add(f);
        fetched.put(key, f.start());
      }
    }
  }
}
