package dev.egret.baseline;

import dev.egret.baseline.LearnKeys.Key;
import java.util.Arrays;

/**
 * The learner's entries, (host, destination, protocol, port, user) to accumulator. The accumulators
 * are held in the order they were added, each with its key in its own fields; an open-addressing
 * index of longs finds them, one long per slot: the key's hash (high half) and the accumulator's
 * number plus one (low half, 0 for a free slot). A look-up reads the slot, then the accumulator,
 * whose cache lines the flow updates next anyway: a slot of another key with the same hash is rare,
 * so the key is compared where the counters are. On a 2 M-row conn.log of 77,180 entries a HashMap
 * of key objects (bucket, node, key, accumulator) took half of learning's CPU; keys in a table of
 * their own (five longs a slot, then the accumulator) still cost a cache miss or two more per flow
 * than this.
 */
final class EntryTable {
  private long[] index;
  private EntryAcc[] values = new EntryAcc[1 << 10];
  private int mask;
  private int size;
  private final Key scratch = new Key();

  EntryTable() {
    index = new long[1 << 12];
    mask = index.length - 1;
  }

  int size() {
    return size;
  }

  /** The accumulator of {@code k}, or null. */
  EntryAcc get(Key k) {
    int h = spread(k.hash);
    long pp = word(k);
    long[] t = index;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      long s = t[i];
      if (s == 0) {
        return null;
      }
      if ((int) (s >>> 32) == h) {
        EntryAcc a = values[(int) s - 1];
        if (a.pp == pp && a.hLo == k.hLo && a.dLo == k.dLo && a.hHi == k.hHi && a.dHi == k.dHi) {
          return a;
        }
      }
    }
  }

  /**
   * Finds the entries of the flows in {@code b} ({@link FlowBatch#found}, null for a key not in the
   * table): first the index slot of every flow, then the accumulators they lead to. The reads of
   * the first pass are independent of each other, and so, past its index slot, is each flow's
   * search in the second, so the processor has many cache misses in flight at once instead of one.
   */
  void find(FlowBatch b) {
    int n = b.count;
    int[] hashes = b.hash;
    long[] t = index;
    int m = mask;
    long x = 0;
    for (int i = 0; i < n; i++) {
      x += t[spread(hashes[i]) & m];
    }
    for (int i = 0; i < n; i++) {
      int h = spread(hashes[i]);
      long pp = word(b.uid[i], b.proto[i], b.port[i]);
      EntryAcc found = null;
      for (int j = h & m; ; j = (j + 1) & m) {
        long s = t[j];
        if (s == 0) {
          break;
        }
        if ((int) (s >>> 32) == h) {
          EntryAcc a = values[(int) s - 1];
          if (a.pp == pp
              && a.hLo == b.hLo[i]
              && a.dLo == b.dLo[i]
              && a.hHi == b.hHi[i]
              && a.dHi == b.dHi[i]) {
            found = a;
            x += a.firstRead(); // read ahead too: the flow's update starts there
            break;
          }
        }
      }
      b.found[i] = found;
    }
    warmed = x;
  }

  /** What the first pass of {@link #find} read, kept so that the reads are not left out. */
  private long warmed;

  /** Adds {@code k} (not in the table) with {@code a}, into whose fields the key is copied. */
  void put(Key k, EntryAcc a) {
    // Up to three quarters full: a search rarely leaves its slot's cache line (eight slots), and
    // the index of the bench log's 77,180 entries is 1 MB instead of 2, more of it in the cache.
    if ((size + 1) * 4 > index.length * 3) {
      grow();
    }
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    a.hHi = k.hHi;
    a.hLo = k.hLo;
    a.dHi = k.dHi;
    a.dLo = k.dLo;
    a.pp = word(k);
    values[size] = a;
    insert(spread(k.hash), size);
    size++;
  }

  private void insert(int hash, int n) {
    int i = hash & mask;
    while (index[i] != 0) {
      i = (i + 1) & mask;
    }
    index[i] = (long) hash << 32 | (n + 1);
  }

  private void grow() {
    long[] old = index;
    index = new long[old.length * 2];
    mask = index.length - 1;
    for (long s : old) {
      if (s != 0) {
        insert((int) (s >>> 32), (int) s - 1);
      }
    }
  }

  /** The number of the entry after {@code n} (-1 to start), or -1 when there is none. */
  int next(int n) {
    return n + 1 < size ? n + 1 : -1;
  }

  /** The key of entry {@code n}, in one key object that the next call reuses. */
  Key key(int n) {
    EntryAcc a = values[n];
    long pp = a.pp;
    return scratch.set(a.hHi, a.hLo, a.dHi, a.dLo, proto(pp), port(pp), uid(pp));
  }

  EntryAcc value(int n) {
    return values[n];
  }

  /** The protocol (bits 16-23), port (0-15) and user (24-55, -1 for unknown) of a key, marked. */
  private static long word(Key k) {
    return word(k.uid, k.proto, k.port);
  }

  private static long word(int uid, int proto, int port) {
    return USED | (uid & 0xffffffffL) << 24 | (long) (proto & 0xff) << 16 | (port & 0xffff);
  }

  /** Set in every key's word, so that no key's word is 0. */
  private static final long USED = 1L << 60;

  private static int proto(long pp) {
    return (int) (pp >>> 16) & 0xff;
  }

  private static int uid(long pp) {
    return (int) (pp >>> 24);
  }

  private static int port(long pp) {
    return (int) pp & 0xffff;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
