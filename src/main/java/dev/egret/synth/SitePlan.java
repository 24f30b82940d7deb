package dev.egret.synth;

import java.util.List;
import java.util.SplittableRandom;

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
}
