package dev.egret.baseline;

import java.util.Arrays;

/**
 * What {@link Learner} keeps per (host, destination, protocol, port) while it learns: counts, the
 * window, days and hours, and the intervals between connection starts counted in time order.
 */
final class EntryAcc {
  /**
   * Starts held back per (host, destination, protocol, port) at most (4 KiB); past it the oldest is
   * counted at once. Only an entry with more flows than this between two sweeps of the flow table
   * holds as many.
   */
  static final int MAX_PENDING = 512;

  /** The key, as {@link EntryTable} stores it: host, destination, then protocol, port and user. */
  long hHi;

  long hLo;
  long dHi;
  long dLo;
  long pp;

  boolean internal;
  long flows;
  long answered;
  long unanswered;
  long rejected;
  long packetsOut;
  long bytesOut;
  long packetsIn;
  long bytesIn;
  long first = Long.MAX_VALUE;
  long last = Long.MIN_VALUE;
  int hours;
  int[] days = new int[0];

  /** The day of the latest flow, in {@link #days} already: most flows fall on it. */
  private int lastDay = Integer.MIN_VALUE;

  /** The latest start whose interval has been counted; starts before it come too late. */
  long lastStart = Long.MIN_VALUE;

  /**
   * How many starts are held back: one is in {@link #single}, two or more in {@link #pending},
   * ascending. Most entries hold one start at a time (their flows are minutes apart, the hold is 20
   * minutes), so most flows touch no array: the array was a cache miss per row of its own.
   */
  int pendingCount;

  /** The held start when {@link #pendingCount} is 1. */
  private long single;

  /**
   * The held starts, ascending from {@link #head} round the end of the array (a ring: releasing the
   * oldest moves nothing), when {@link #pendingCount} is 2 or more. Its length is a power of 2.
   */
  private long[] pending;

  private int head;

  long gaps;
  long gapSumMs;
  long gapSumSqMs;

  /** One flow: its outcome ({@link Learner#ANSWERED} ... {@link Learner#UNKNOWN}) and counts. */
  void add(
      int outcome, long start, long end, long pOut, long bOut, long pIn, long bIn, long watermark) {
    flows++;
    switch (outcome) {
      case Learner.REJECTED -> rejected++;
      case Learner.UNANSWERED -> unanswered++;
      case Learner.ANSWERED -> answered++;
      default -> {} // an audit log's attempt: in flows only
    }
    packetsOut += pOut;
    bytesOut += bOut;
    packetsIn += pIn;
    bytesIn += bIn;
    if (pendingCount == 1 && single < watermark && start >= single) {
      // What start() does in the common case: the one start held is released, this one held.
      release(single);
      single = start;
    } else {
      start(start, watermark);
    }
    first = Math.min(first, start);
    last = Math.max(last, end);
    // The day and the hour of the day from one division by an hour (a division is tens of cycles).
    long hour = Math.floorDiv(start, Learner.NANOS_PER_HOUR);
    long day = Math.floorDiv(hour, 24L);
    hours |= 1 << (int) (hour - day * 24);
    if (day != lastDay) {
      day((int) day);
      lastDay = (int) day;
    }
  }

  /**
   * Counts the interval before {@code ts} in time order. Flows arrive when they end, not when they
   * start, and a flow-table sweep hands over everything that went idle since the last one in table
   * order, not time order. So starts are held in a sorted buffer and released oldest first once
   * they are older than {@code watermark} (see {@link Learner#LONGEST_COUNTED_FLOW_NANOS}), or when
   * the buffer is full. A start older than the last one released came too late to be placed (a flow
   * that lasted longer than the hold): its flow is counted, its interval is not.
   */
  void start(long ts, long watermark) {
    if (pendingCount == 1) {
      if (single < watermark) {
        release(single);
        pendingCount = 0;
      }
    } else if (pendingCount > 1 && pending[head] < watermark) {
      releaseOlder(watermark);
    }
    if (ts < lastStart) {
      return;
    }
    if (pendingCount == 0) {
      single = ts;
      pendingCount = 1;
    } else {
      hold(ts);
    }
  }

  /** Releases the held starts older than {@code watermark} (at least the first one is). */
  private void releaseOlder(long watermark) {
    int m = pending.length - 1;
    while (pendingCount > 0 && pending[head] < watermark) {
      release(pending[head]);
      head = (head + 1) & m;
      pendingCount--;
    }
    if (pendingCount == 1) {
      single = pending[head];
    }
  }

  /** Holds {@code ts} beside the one or more starts held already. */
  private void hold(long ts) {
    if (pendingCount == 1) {
      if (pending == null) {
        pending = new long[4];
      }
      head = 0;
      pending[0] = single;
    } else if (pendingCount == pending.length) {
      if (pendingCount == MAX_PENDING) {
        release(pending[head]);
        head = (head + 1) & (pending.length - 1);
        pendingCount--;
      } else {
        long[] bigger = new long[pending.length * 2];
        for (int k = 0; k < pendingCount; k++) {
          bigger[k] = held(k);
        }
        pending = bigger;
        head = 0;
      }
    }
    // Starts come mostly in order: the place is at or near the end.
    int m = pending.length - 1;
    int i = pendingCount;
    while (i > 0 && pending[(head + i - 1) & m] > ts) {
      pending[(head + i) & m] = pending[(head + i - 1) & m];
      i--;
    }
    pending[(head + i) & m] = ts;
    pendingCount++;
  }

  /**
   * The first of what a flow reads: the oldest held start, or the last counted one; for {@link
   * EntryTable#find} to read ahead.
   */
  long firstRead() {
    return pendingCount > 1 ? pending[head] : lastStart;
  }

  /** The {@code i}th held start, oldest first. */
  private long held(int i) {
    return pendingCount == 1 ? single : pending[(head + i) & (pending.length - 1)];
  }

  private void release(long ts) {
    if (lastStart != Long.MIN_VALUE) {
      long ms = (ts - lastStart) / 1_000_000L;
      gaps++;
      gapSumMs += ms;
      gapSumSqMs = Entry.saturatingAdd(gapSumSqMs, Entry.saturatingSquare(ms));
    }
    lastStart = ts;
  }

  /** {gaps, sum, sum of squares} with the held-back starts counted too; changes nothing. */
  long[] gapTotals() {
    long n = gaps;
    long sum = gapSumMs;
    long sq = gapSumSqMs;
    long prev = lastStart;
    for (int i = 0; i < pendingCount; i++) {
      long ts = held(i);
      if (prev != Long.MIN_VALUE) {
        long ms = (ts - prev) / 1_000_000L;
        n++;
        sum += ms;
        sq = Entry.saturatingAdd(sq, Entry.saturatingSquare(ms));
      }
      prev = ts;
    }
    return new long[] {n, sum, sq};
  }

  void day(int d) {
    int i = Arrays.binarySearch(days, d);
    if (i < 0) {
      i = -i - 1;
      int[] n = new int[days.length + 1];
      System.arraycopy(days, 0, n, 0, i);
      n[i] = d;
      System.arraycopy(days, i, n, i + 1, days.length - i);
      days = n;
    }
  }
}
