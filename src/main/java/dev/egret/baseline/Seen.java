package dev.egret.baseline;

/**
 * How often and when a name or query was seen; {@code extra} is the largest TTL or the failures.
 */
final class Seen {
  long count;
  long first = Long.MAX_VALUE;
  long last = Long.MIN_VALUE;
  long extra;

  void see(long ts) {
    count++;
    first = Math.min(first, ts);
    last = Math.max(last, ts);
  }
}
