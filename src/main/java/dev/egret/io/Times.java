package dev.egret.io;

import java.time.LocalDate;

/**
 * ISO-8601 UTC timestamps ({@code 2024-01-15T22:49:53.037609365Z}) exactly as {@code
 * Instant.toString} writes them, but without its general formatter: the date part is kept from the
 * previous call, since consecutive flows share their day. Not thread-safe; one per writer.
 */
public final class Times {
  private static final long NANOS_PER_DAY = 86_400_000_000_000L;
  private long cachedDay = Long.MIN_VALUE;
  private String cachedDate = "";
  private final RowBuffer one = new RowBuffer();

  /** One timestamp, for messages and summaries (a bulk writer keeps its own instance). */
  public static String format(long nanos) {
    return new Times().iso(nanos);
  }

  public String iso(long nanos) {
    return appendTo(one, nanos).take();
  }

  /** Appends the timestamp to {@code out}. */
  public RowBuffer appendTo(RowBuffer out, long nanos) {
    long day = Math.floorDiv(nanos, NANOS_PER_DAY);
    if (day != cachedDay) {
      cachedDay = day;
      cachedDate = LocalDate.ofEpochDay(day).toString();
    }
    long inDay = nanos - day * NANOS_PER_DAY;
    long secs = inDay / 1_000_000_000L;
    long frac = inDay % 1_000_000_000L;
    out.add(cachedDate).add('T');
    out.add2(secs / 3600).add(':').add2((secs / 60) % 60).add(':').add2(secs % 60);
    if (frac > 0) {
      // As Instant.toString: 3, 6 or 9 fraction digits, whichever holds the value exactly.
      out.add('.');
      int digits = frac % 1_000_000 == 0 ? 3 : frac % 1000 == 0 ? 6 : 9;
      long scale = 100_000_000L;
      for (int i = 0; i < digits; i++) {
        out.add((char) ('0' + (frac / scale) % 10));
        scale /= 10;
      }
    }
    return out.add('Z');
  }
}
