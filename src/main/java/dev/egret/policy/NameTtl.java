package dev.egret.policy;

/**
 * How long a DNS answer lets a name rule reach an address: the answer's TTL bounded below and
 * above, plus a grace period for clients that connect a little after their cached answer expired.
 * The site resolver's configuration ({@code compile --target dnsmasq}), {@code egret resolve} and
 * the DNS-aware {@code check} use the same bounds, so that they agree.
 *
 * @param minTtl seconds: a shorter TTL counts as this (a resolver asks again at most this often)
 * @param maxTtl seconds: a longer TTL counts as this (a change of address is followed within it)
 * @param grace seconds an address stays allowed after its bounded TTL ran out
 */
public record NameTtl(long minTtl, long maxTtl, long grace) {
  /** dnsmasq limits {@code min-cache-ttl} to one hour. */
  public static final long MIN_TTL_LIMIT = 3600;

  public static final NameTtl DEFAULT = new NameTtl(60, 3600, 300);

  public NameTtl {
    if (minTtl < 0 || minTtl > MIN_TTL_LIMIT) {
      throw new IllegalArgumentException(
          "minimum TTL must be 0 to " + MIN_TTL_LIMIT + " seconds, not " + minTtl);
    }
    if (maxTtl < 1 || maxTtl < minTtl || maxTtl > 7 * 86400) {
      throw new IllegalArgumentException(
          "maximum TTL must be at least the minimum ("
              + minTtl
              + ") and at most 604800 seconds, not "
              + maxTtl);
    }
    if (grace < 0 || grace > 86400) {
      throw new IllegalArgumentException("grace must be 0 to 86400 seconds, not " + grace);
    }
  }

  /** The TTL bounded to [minTtl, maxTtl]. */
  public long bound(long ttl) {
    return Math.max(minTtl, Math.min(maxTtl, ttl));
  }

  /** Seconds an answer with this TTL keeps its addresses allowed: bounded TTL plus grace. */
  public long window(long ttl) {
    return bound(ttl) + grace;
  }
}
