package dev.egret.synth;

import java.time.Instant;

/**
 * What the site scenario ({@link SiteScenario}) generates.
 *
 * @param seed the only source of randomness: the same options give the same bytes and labels
 * @param start the first day's midnight (or any instant: days are counted from it)
 * @param days how many days; hostile behaviour happens on the last one only
 * @param hosts internal hosts: web servers (a tenth, at least two), a mail relay, a database, a
 *     resolver, and workstations for the rest
 */
public record SiteOptions(long seed, Instant start, int days, int hosts) {
  public static final int MIN_HOSTS = 6;
  public static final int MAX_HOSTS = 2_000;
  public static final int MAX_DAYS = 60;

  public SiteOptions {
    if (start == null) {
      throw new IllegalArgumentException("start time is required");
    }
    if (days < 2 || days > MAX_DAYS) {
      throw new IllegalArgumentException(
          "days must be 2.." + MAX_DAYS + " for a site (learn, then check the last): " + days);
    }
    if (hosts < MIN_HOSTS || hosts > MAX_HOSTS) {
      throw new IllegalArgumentException(
          "hosts must be " + MIN_HOSTS + ".." + MAX_HOSTS + " for a site: " + hosts);
    }
  }
}
