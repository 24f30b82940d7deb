package dev.egret.live;

import dev.egret.capture.PacketHandler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer, single-consumer queue of packets between a capture thread and the
 * processing thread, in parallel arrays so that passing a packet allocates nothing. The producer
 * hands over the packet's array itself (a live source gives a new one per packet) or, for a source
 * that reuses its buffer, a copy into the slot's own array. When the ring is full {@link #offer}
 * refuses the packet and the producer decides: {@link LiveCapture} waits, so that a stall of the
 * processing thread backs up into the kernel's capture buffer, which is larger and holds packets
 * more compactly, and counts a {@link #drop()} only when it gives up (at shutdown).
 */
final class PacketRing {
  private static final VarHandle HEAD;
  private static final VarHandle TAIL;
  private static final VarHandle DROPS;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      HEAD = l.findVarHandle(PacketRing.class, "head", long.class);
      TAIL = l.findVarHandle(PacketRing.class, "tail", long.class);
      DROPS = l.findVarHandle(PacketRing.class, "drops", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int mask;
  private final byte[][] bufs;
  private final long[] ts;
  private final int[] caplen;
  private final int[] origLen;
  private final int[] linkType;
  private final boolean copy;

  /** Next slot the consumer reads; written by the consumer only. */
  @SuppressWarnings("unused")
  private long head;

  /** Next slot the producer writes; written by the producer only. */
  @SuppressWarnings("unused")
  private long tail;

  @SuppressWarnings("unused")
  private long drops;

  private long headCache;
  private long tailCache;

  /**
   * @param capacity slots, rounded up to a power of two
   * @param copy true when the producer's buffer is reused after the call and must be copied
   */
  PacketRing(int capacity, boolean copy) {
    if (capacity < 2 || capacity > (1 << 24)) {
      throw new IllegalArgumentException("queue size out of range: " + capacity);
    }
    int cap = Integer.highestOneBit(capacity - 1) << 1;
    this.mask = cap - 1;
    this.bufs = new byte[cap][];
    this.ts = new long[cap];
    this.caplen = new int[cap];
    this.origLen = new int[cap];
    this.linkType = new int[cap];
    this.copy = copy;
  }

  /** Producer side: queues a packet; false when the ring is full. */
  boolean offer(int lt, long tsNanos, byte[] b, int off, int len, int orig) {
    long t = (long) TAIL.getOpaque(this);
    if (t - headCache > mask) {
      headCache = (long) HEAD.getAcquire(this);
      if (t - headCache > mask) {
        return false;
      }
    }
    int i = (int) t & mask;
    if (copy) {
      byte[] slot = bufs[i];
      if (slot == null || slot.length < len) {
        slot = new byte[Math.max(len, 2048)];
        bufs[i] = slot;
      }
      System.arraycopy(b, off, slot, 0, len);
    } else if (off == 0) {
      bufs[i] = b;
    } else {
      throw new IllegalArgumentException("a fresh packet buffer must start at offset 0: " + off);
    }
    ts[i] = tsNanos;
    caplen[i] = len;
    origLen[i] = orig;
    linkType[i] = lt;
    TAIL.setRelease(this, t + 1);
    return true;
  }

  /** Consumer side: hands up to {@code max} packets to {@code h}; returns how many. */
  int drain(PacketHandler h, int max) {
    long hd = (long) HEAD.getOpaque(this);
    if (hd == tailCache) {
      tailCache = (long) TAIL.getAcquire(this);
      if (hd == tailCache) {
        return 0;
      }
    }
    int n = 0;
    while (n < max && hd != tailCache) {
      int i = (int) hd & mask;
      h.onPacket(linkType[i], ts[i], bufs[i], 0, caplen[i], origLen[i]);
      if (!copy) {
        bufs[i] = null;
      }
      hd++;
      n++;
      HEAD.setRelease(this, hd);
    }
    return n;
  }

  /** Packets waiting; approximate while the producer runs. */
  int size() {
    return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
  }

  /** Producer side: counts a packet given up because the ring stayed full. */
  void drop() {
    DROPS.setOpaque(this, (long) DROPS.getOpaque(this) + 1);
  }

  /** Packets given up because the ring was full. */
  long drops() {
    return (long) DROPS.getOpaque(this);
  }

  int capacity() {
    return mask + 1;
  }
}
