package dev.egret.baseline;

/**
 * How much a learner keeps.
 *
 * @param maxEntries (host, destination, protocol, port) entries; new ones past it are summarised
 * @param fanout destinations kept per host, protocol and port; further ones are summarised
 * @param maxNames names, and queries, each
 */
public record Limits(int maxEntries, int fanout, int maxNames) {
  /** Entries and names the default heap allows, at most. */
  public static final int MOST = 1_000_000;

  public static final int FANOUT = 1024;

  public Limits {
    if (maxEntries < 1 || fanout < 1 || maxNames < 1) {
      throw new IllegalArgumentException("learner limits must be positive");
    }
  }

  /**
   * What a heap of {@code maxHeap} bytes holds with room to spare: an entry costs about 250 bytes
   * while learning and 1 KB while it is turned into a record, merged and written; 2 KB is allowed
   * for each, 1 KB for each name and query. A 512 MB heap keeps 262,144 entries; 2 GB and more keep
   * {@value #MOST}.
   */
  public static Limits forHeap(long maxHeap) {
    return new Limits(
        (int) Math.min(MOST, Math.max(1024, maxHeap / 2048)),
        FANOUT,
        (int) Math.min(MOST, Math.max(1024, maxHeap / 2048)));
  }

  /** {@link #forHeap} of this JVM. */
  public static Limits ofThisHeap() {
    return forHeap(Runtime.getRuntime().maxMemory());
  }

  public Limits withMaxEntries(int n) {
    return new Limits(n, fanout, maxNames);
  }
}
