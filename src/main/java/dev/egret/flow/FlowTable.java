package dev.egret.flow;

import dev.egret.net.Protocols;
import java.util.Arrays;

/**
 * Open-addressing hash table of flows in one {@code long[]}, a row of {@link #STRIDE} longs per
 * slot, so that a lookup allocates nothing and a packet touches one or two cache lines of the table
 * instead of one per field (parallel arrays cost a cache miss per field once the table outgrows the
 * cache). A slot holds the flow as initiator (a) to responder (b). The hash is symmetric in the two
 * endpoints, so one probe sequence finds a packet of either direction. Deletion leaves a tombstone;
 * the table is rebuilt when live entries plus tombstones pass 60% of capacity. A bitmap of the
 * slots in use lets the idle sweep skip the others.
 *
 * <p>Row layout: [0] state, protocol, initiator rule and a spare byte in the low 32 bits, both
 * ports in the high 32; [1-4] a and b addresses; [5] last packet time; [6] flags and initiator
 * payload packets; [7-10] packets and bytes each way; [11] first packet time; [12] flow id.
 */
final class FlowTable {
  private static final int EMPTY = 0;
  private static final int USED = 1;
  private static final int TOMBSTONE = 2;
  private static final double LOAD = 0.6;

  static final int STRIDE = 13;
  private static final int META = 0;
  private static final int A_HI = 1;
  private static final int A_LO = 2;
  private static final int B_HI = 3;
  private static final int B_LO = 4;
  private static final int LAST = 5;
  private static final int FLAGS = 6;
  private static final int A_PACKETS = 7;
  private static final int A_BYTES = 8;
  private static final int B_PACKETS = 9;
  private static final int B_BYTES = 10;
  private static final int FIRST = 11;
  private static final int ID = 12;

  /** Bytes held per slot; for sizing and the summary. */
  static final int BYTES_PER_SLOT = 8 * STRIDE;

  int capacity;
  private int mask;
  private final int maxCapacity;
  int size;
  private int tombstones;
  private long[] rows;

  /**
   * A bit per slot, set while the slot holds a flow: a sweep finds the flows without reading the
   * rows of empty slots and tombstones (most of the table, at a load under 60%).
   */
  private long[] usedBits;

  /** Set by {@link #find}: true when the packet went from the responder to the initiator. */
  boolean foundReverse;

  FlowTable(int initialCapacity, int maxFlows) {
    // The bound keeps maxFlows live entries under the load factor, so probing always ends.
    this.maxCapacity = powerOfTwoAtLeast((long) Math.ceil(maxFlows / LOAD) + 1);
    allocate(Math.min(maxCapacity, powerOfTwoAtLeast(initialCapacity)));
  }

  private static int powerOfTwoAtLeast(long n) {
    long p = 16;
    while (p < n && p < (1 << 30)) {
      p <<= 1;
    }
    return (int) p;
  }

  private void allocate(int cap) {
    capacity = cap;
    mask = cap - 1;
    rows = new long[cap * STRIDE];
    usedBits = new long[(cap + 63) >>> 6];
    size = 0;
    tombstones = 0;
  }

  static int hash(long sHi, long sLo, int sp, long dHi, long dLo, int dp, int pr) {
    // Sum of the two endpoint hashes: the same for both directions of a flow.
    long h = endpoint(sHi, sLo, sp) + endpoint(dHi, dLo, dp) + pr * 0x9E3779B97F4A7C15L;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (int) h;
  }

  private static long endpoint(long hi, long lo, int port) {
    long h = lo * 0xc4ceb9fe1a85ec53L + hi * 0x94d049bb133111ebL + port * 0xbf58476d1ce4e5b9L;
    return h ^ (h >>> 29);
  }

  /** The meta word of a used slot: state, protocol and ports; rule and spare byte zero. */
  private static long meta(int ports, int proto) {
    return ((long) ports << 32) | ((proto & 0xffL) << 8) | USED;
  }

  /**
   * Finds the slot of the flow a packet belongs to, in either direction.
   *
   * @return the slot, or -1; {@link #foundReverse} tells the direction
   */
  int find(long sHi, long sLo, int sp, long dHi, long dLo, int dp, int pr) {
    long[] r = rows;
    // State, protocol and ports compared in one go, rule and spare byte masked off.
    long fwd = meta((sp << 16) | dp, pr);
    long rev = meta((dp << 16) | sp, pr);
    for (int i = hash(sHi, sLo, sp, dHi, dLo, dp, pr) & mask; ; i = (i + 1) & mask) {
      int b = i * STRIDE;
      long m = r[b] & 0xffff_ffff_0000_ffffL;
      if (m == EMPTY) {
        return -1;
      }
      if (m == fwd
          && r[b + A_LO] == sLo
          && r[b + B_LO] == dLo
          && r[b + A_HI] == sHi
          && r[b + B_HI] == dHi) {
        foundReverse = false;
        return i;
      }
      if (m == rev
          && r[b + A_LO] == dLo
          && r[b + B_LO] == sLo
          && r[b + A_HI] == dHi
          && r[b + B_HI] == sHi) {
        foundReverse = true;
        return i;
      }
    }
  }

  /** True when one more flow would pass the table's bound. */
  boolean full(int maxFlows) {
    return size >= maxFlows;
  }

  /** Inserts a new flow (caller checked it is absent) and returns its slot. */
  int insert(long iHi, long iLo, int ip, long rHi, long rLo, int rp, int pr, long flowId) {
    if (size + tombstones + 1 > capacity * LOAD) {
      rebuild(size + 1 > capacity * LOAD / 2 && capacity < maxCapacity ? capacity << 1 : capacity);
    }
    long[] r = rows;
    int i = hash(iHi, iLo, ip, rHi, rLo, rp, pr) & mask;
    while (state(i) == USED) {
      i = (i + 1) & mask;
    }
    if (state(i) == TOMBSTONE) {
      tombstones--;
    }
    int b = i * STRIDE;
    Arrays.fill(r, b, b + STRIDE, 0L);
    r[b] = meta((ip << 16) | rp, pr);
    r[b + A_HI] = iHi;
    r[b + A_LO] = iLo;
    r[b + B_HI] = rHi;
    r[b + B_LO] = rLo;
    r[b + ID] = flowId;
    usedBits[i >>> 6] |= 1L << i;
    size++;
    return i;
  }

  void remove(int slot) {
    int b = slot * STRIDE;
    rows[b] = (rows[b] & ~0xffL) | TOMBSTONE;
    usedBits[slot >>> 6] &= ~(1L << slot);
    size--;
    tombstones++;
  }

  private int state(int slot) {
    return (int) rows[slot * STRIDE] & 0xff;
  }

  boolean used(int slot) {
    return state(slot) == USED;
  }

  int initPort(int slot) {
    return (int) (rows[slot * STRIDE] >>> 48);
  }

  int respPort(int slot) {
    return (int) (rows[slot * STRIDE] >>> 32) & 0xffff;
  }

  int protoOf(int slot) {
    return (int) (rows[slot * STRIDE] >>> 8) & 0xff;
  }

  int rule(int slot) {
    return (int) (rows[slot * STRIDE] >>> 16) & 0xff;
  }

  void setRule(int slot, int rule) {
    int b = slot * STRIDE;
    rows[b] = (rows[b] & ~0xff_0000L) | ((rule & 0xffL) << 16);
  }

  /** A byte the name tap keeps its progress in. */
  byte spare(int slot) {
    return (byte) (rows[slot * STRIDE] >>> 24);
  }

  void setSpare(int slot, byte v) {
    int b = slot * STRIDE;
    rows[b] = (rows[b] & ~0xff00_0000L) | ((v & 0xffL) << 24);
  }

  long aHi(int slot) {
    return rows[slot * STRIDE + A_HI];
  }

  long aLo(int slot) {
    return rows[slot * STRIDE + A_LO];
  }

  long bHi(int slot) {
    return rows[slot * STRIDE + B_HI];
  }

  long bLo(int slot) {
    return rows[slot * STRIDE + B_LO];
  }

  long first(int slot) {
    return rows[slot * STRIDE + FIRST];
  }

  long last(int slot) {
    return rows[slot * STRIDE + LAST];
  }

  /** Sets the first and last packet time of a new flow. */
  void setTimes(int slot, long first, long last) {
    rows[slot * STRIDE + FIRST] = first;
    rows[slot * STRIDE + LAST] = last;
  }

  int flags(int slot) {
    return (int) rows[slot * STRIDE + FLAGS];
  }

  void setFlags(int slot, int flags) {
    int i = slot * STRIDE + FLAGS;
    rows[i] = (rows[i] & 0xffff_ffff_0000_0000L) | (flags & 0xffff_ffffL);
  }

  /** Initiator packets with payload. */
  int aPayloadPackets(int slot) {
    return (int) (rows[slot * STRIDE + FLAGS] >>> 32);
  }

  long aPackets(int slot) {
    return rows[slot * STRIDE + A_PACKETS];
  }

  long aBytes(int slot) {
    return rows[slot * STRIDE + A_BYTES];
  }

  long bPackets(int slot) {
    return rows[slot * STRIDE + B_PACKETS];
  }

  long bBytes(int slot) {
    return rows[slot * STRIDE + B_BYTES];
  }

  long id(int slot) {
    return rows[slot * STRIDE + ID];
  }

  /**
   * Accounts one packet: moves the last time forward, adds it to its direction's packets and bytes
   * (and the initiator's payload packets when it carries payload) and stores the new flags.
   */
  void account(int slot, long ts, boolean fromInit, int ipLength, boolean payload, int flags) {
    long[] r = rows;
    int b = slot * STRIDE;
    if (ts > r[b + LAST]) {
      r[b + LAST] = ts;
    }
    long f = r[b + FLAGS];
    if (fromInit) {
      r[b + A_PACKETS]++;
      r[b + A_BYTES] += ipLength;
      if (payload) {
        f += 1L << 32;
      }
    } else {
      r[b + B_PACKETS]++;
      r[b + B_BYTES] += ipLength;
    }
    r[b + FLAGS] = (f & 0xffff_ffff_0000_0000L) | (flags & 0xffff_ffffL);
  }

  /**
   * The first used slot from {@code from} on whose flow has been idle at {@code at} longer than its
   * limit, or -1: {@code closed} for a closed TCP flow, otherwise its protocol's ({@code udp} for
   * protocols other than TCP and ICMP). Finding the next one from the slot after it and ending the
   * flows in between visits every flow once, in slot order; the rows of empty slots are not read.
   */
  int nextIdle(int from, long at, long closed, long tcp, long udp, long icmp) {
    long[] r = rows;
    long[] used = usedBits;
    int w = from >>> 6;
    if (w >= used.length) {
      return -1;
    }
    long bits = used[w] & (-1L << from); // the slots of the word from "from" on
    while (true) {
      while (bits == 0) {
        if (++w == used.length) {
          return -1;
        }
        bits = used[w];
      }
      int slot = (w << 6) + Long.numberOfTrailingZeros(bits);
      bits &= bits - 1;
      int b = slot * STRIDE;
      long m = r[b];
      long limit;
      if (FlowFlags.closed((int) r[b + FLAGS])) {
        limit = closed;
      } else {
        int proto = (int) (m >>> 8) & 0xff;
        limit =
            proto == Protocols.TCP
                ? tcp
                : proto == Protocols.ICMP || proto == Protocols.ICMPV6 ? icmp : udp;
      }
      if (at - r[b + LAST] > limit) {
        return slot;
      }
    }
  }

  /** Slots in use ordered by flow id (creation order). */
  int[] slotsInCreationOrder() {
    long[] keyed = new long[size];
    int n = 0;
    int shift = Integer.numberOfTrailingZeros(capacity);
    for (int i = 0; i < capacity; i++) {
      if (used(i)) {
        keyed[n++] = (id(i) << shift) | i;
      }
    }
    Arrays.sort(keyed, 0, n);
    int[] slots = new int[n];
    for (int k = 0; k < n; k++) {
      slots[k] = (int) (keyed[k] & mask);
    }
    return slots;
  }

  private void rebuild(int newCap) {
    long[] old = rows;
    int oldCap = capacity;
    allocate(newCap);
    for (int s = 0; s < oldCap; s++) {
      int b = s * STRIDE;
      if (((int) old[b] & 0xff) == USED) {
        place(old, b);
      }
    }
  }

  /** Copies a used row of {@code old} starting at {@code b} into its slot in this table. */
  private void place(long[] old, int b) {
    long meta = old[b];
    int ports = (int) (meta >>> 32);
    int i =
        hash(
                old[b + A_HI],
                old[b + A_LO],
                ports >>> 16,
                old[b + B_HI],
                old[b + B_LO],
                ports & 0xffff,
                (int) (meta >>> 8) & 0xff)
            & mask;
    while (state(i) == USED) {
      i = (i + 1) & mask;
    }
    System.arraycopy(old, b, rows, i * STRIDE, STRIDE);
    usedBits[i >>> 6] |= 1L << i;
    size++;
  }
}
