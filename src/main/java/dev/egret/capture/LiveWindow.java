package dev.egret.capture;

/**
 * An upper bound on the packets of the last {@code span} nanoseconds of capture time, for {@link
 * PayloadTrim}: a flow table that ends flows idle past their timeout holds at most one live flow
 * per such packet, so while the bound is under the table's limit no flow can have been ended early
 * to make room. Packets are counted in time buckets of a ring; a packet whose bucket falls outside
 * the ring (time far ahead, or behind the ring before the window is known) is counted for good. The
 * count never falls below the true one, whatever order the timestamps come in: a bucket is dropped
 * only once the window's start has passed its end.
 */
final class LiveWindow {
  static final int BUCKETS = 256;

  private final long span;
  private final long width;
  private final long[] counts = new long[BUCKETS];

  /** Bucket number of the ring's first bucket; the ring covers {@link #BUCKETS} from it. */
  private long base;

  private boolean anchored;

  /** Bucket of the window's start; earlier packets are outside every later window. */
  private long floor = Long.MIN_VALUE;

  private long sum;
  private long forGood;

  /** The bucket the last packet went to, and its times: most packets go to the same one. */
  private long lastBucket = Long.MIN_VALUE;

  private int lastSlot;
  private long lastFrom = Long.MAX_VALUE;
  private long lastTo = Long.MIN_VALUE;

  LiveWindow(long spanNanos) {
    this.span = spanNanos;
    this.width = Math.max(1, spanNanos / (BUCKETS / 4));
  }

  /** Counts a packet captured at {@code ts}. */
  void add(long ts) {
    if (ts >= lastFrom && ts < lastTo && lastBucket >= base) {
      counts[lastSlot]++; // the same bucket as the packet before, as most are
      sum++;
      return;
    }
    long i = Math.floorDiv(ts, width);
    if (i < floor) {
      return;
    }
    if (!anchored) {
      anchored = true;
      base = Math.max(floor, i - BUCKETS / 2);
    }
    if (i < base || i - base >= BUCKETS) {
      forGood++;
      return;
    }
    int k = (int) Math.floorMod(i, (long) BUCKETS);
    counts[k]++;
    sum++;
    lastSlot = k;
    lastBucket = i;
    lastFrom = i * width;
    lastTo = lastFrom + width;
  }

  /**
   * Moves the window's end to {@code now}, a time the flow table's clock has surely reached:
   * packets before {@code now - span} no longer count.
   */
  void advance(long now) {
    long f = Math.floorDiv(now - span, width);
    if (now - span > now || f <= floor) {
      return; // (the subtraction overflowed: nothing is old enough yet)
    }
    floor = f;
    if (!anchored) {
      return;
    }
    if (f - base >= BUCKETS) {
      java.util.Arrays.fill(counts, 0);
      sum = 0;
      base = f;
      return;
    }
    while (base < f) {
      int k = (int) Math.floorMod(base, (long) BUCKETS);
      sum -= counts[k];
      counts[k] = 0;
      base++;
    }
  }

  /** At least the packets counted whose time is at or after the window's start. */
  long count() {
    return sum + forGood;
  }
}
