package dev.egret.flow;

import java.util.Arrays;

/**
 * Open-addressing hash table of flows in parallel primitive arrays, so that a lookup allocates
 * nothing. A slot holds the flow as initiator (a) to responder (b). The hash is symmetric in the
 * two endpoints, so one probe sequence finds a packet of either direction. Deletion leaves a
 * tombstone; the table is rebuilt when live entries plus tombstones pass 60% of capacity.
 */
final class FlowTable {
  private static final byte EMPTY = 0;
  private static final byte USED = 1;
  private static final byte TOMBSTONE = 2;
  private static final double LOAD = 0.6;

  /** Bytes held per slot by the arrays below; for sizing and the summary. */
  static final int BYTES_PER_SLOT = 8 * 11 + 4 * 3 + 4;

  int capacity;
  private int mask;
  private final int maxCapacity;
  int size;
  private int tombstones;

  byte[] state;
  byte[] proto;
  byte[] rule;
  byte[] spare;
  long[] aHi;
  long[] aLo;
  long[] bHi;
  long[] bLo;
  int[] ports;
  int[] flags;
  int[] aPayloadPackets;
  long[] first;
  long[] last;
  long[] aPackets;
  long[] bPackets;
  long[] aBytes;
  long[] bBytes;
  long[] id;

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
    state = new byte[cap];
    proto = new byte[cap];
    rule = new byte[cap];
    spare = new byte[cap];
    aHi = new long[cap];
    aLo = new long[cap];
    bHi = new long[cap];
    bLo = new long[cap];
    ports = new int[cap];
    flags = new int[cap];
    aPayloadPackets = new int[cap];
    first = new long[cap];
    last = new long[cap];
    aPackets = new long[cap];
    bPackets = new long[cap];
    aBytes = new long[cap];
    bBytes = new long[cap];
    id = new long[cap];
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

  /**
   * Finds the slot of the flow a packet belongs to, in either direction.
   *
   * @return the slot, or -1; {@link #foundReverse} tells the direction
   */
  int find(long sHi, long sLo, int sp, long dHi, long dLo, int dp, int pr) {
    int fwd = (sp << 16) | dp;
    int rev = (dp << 16) | sp;
    byte p = (byte) pr;
    for (int i = hash(sHi, sLo, sp, dHi, dLo, dp, pr) & mask; ; i = (i + 1) & mask) {
      byte st = state[i];
      if (st == EMPTY) {
        return -1;
      }
      if (st != USED || proto[i] != p) {
        continue;
      }
      if (ports[i] == fwd && aLo[i] == sLo && bLo[i] == dLo && aHi[i] == sHi && bHi[i] == dHi) {
        foundReverse = false;
        return i;
      }
      if (ports[i] == rev && aLo[i] == dLo && bLo[i] == sLo && aHi[i] == dHi && bHi[i] == sHi) {
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
    int i = hash(iHi, iLo, ip, rHi, rLo, rp, pr) & mask;
    while (state[i] == USED) {
      i = (i + 1) & mask;
    }
    if (state[i] == TOMBSTONE) {
      tombstones--;
    }
    state[i] = USED;
    aHi[i] = iHi;
    aLo[i] = iLo;
    bHi[i] = rHi;
    bLo[i] = rLo;
    ports[i] = (ip << 16) | rp;
    proto[i] = (byte) pr;
    rule[i] = 0;
    spare[i] = 0;
    flags[i] = 0;
    aPayloadPackets[i] = 0;
    first[i] = 0;
    last[i] = 0;
    aPackets[i] = bPackets[i] = aBytes[i] = bBytes[i] = 0;
    id[i] = flowId;
    size++;
    return i;
  }

  void remove(int slot) {
    state[slot] = TOMBSTONE;
    size--;
    tombstones++;
  }

  boolean used(int slot) {
    return state[slot] == USED;
  }

  int initPort(int slot) {
    return ports[slot] >>> 16;
  }

  int respPort(int slot) {
    return ports[slot] & 0xffff;
  }

  int protoOf(int slot) {
    return proto[slot] & 0xff;
  }

  /** Slots in use ordered by flow id (creation order). */
  int[] slotsInCreationOrder() {
    long[] keyed = new long[size];
    int n = 0;
    int shift = Integer.numberOfTrailingZeros(capacity);
    for (int i = 0; i < capacity; i++) {
      if (state[i] == USED) {
        keyed[n++] = (id[i] << shift) | i;
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
    FlowTable old = new FlowTable(this);
    allocate(newCap);
    for (int s = 0; s < old.capacity; s++) {
      if (old.state[s] != USED) {
        continue;
      }
      int i =
          hash(
                  old.aHi[s],
                  old.aLo[s],
                  old.ports[s] >>> 16,
                  old.bHi[s],
                  old.bLo[s],
                  old.ports[s] & 0xffff,
                  old.proto[s] & 0xff)
              & mask;
      while (state[i] == USED) {
        i = (i + 1) & mask;
      }
      state[i] = USED;
      aHi[i] = old.aHi[s];
      aLo[i] = old.aLo[s];
      bHi[i] = old.bHi[s];
      bLo[i] = old.bLo[s];
      ports[i] = old.ports[s];
      proto[i] = old.proto[s];
      rule[i] = old.rule[s];
      spare[i] = old.spare[s];
      flags[i] = old.flags[s];
      aPayloadPackets[i] = old.aPayloadPackets[s];
      first[i] = old.first[s];
      last[i] = old.last[s];
      aPackets[i] = old.aPackets[s];
      bPackets[i] = old.bPackets[s];
      aBytes[i] = old.aBytes[s];
      bBytes[i] = old.bBytes[s];
      id[i] = old.id[s];
      size++;
    }
  }

  /** Snapshot of the arrays for a rebuild. */
  private FlowTable(FlowTable t) {
    maxCapacity = t.maxCapacity;
    capacity = t.capacity;
    mask = t.mask;
    state = t.state;
    proto = t.proto;
    rule = t.rule;
    spare = t.spare;
    aHi = t.aHi;
    aLo = t.aLo;
    bHi = t.bHi;
    bLo = t.bLo;
    ports = t.ports;
    flags = t.flags;
    aPayloadPackets = t.aPayloadPackets;
    first = t.first;
    last = t.last;
    aPackets = t.aPackets;
    bPackets = t.bPackets;
    aBytes = t.aBytes;
    bBytes = t.bBytes;
    id = t.id;
  }
}
