package dev.egret.baseline;

/**
 * Flows on their way to their entries, {@value #SIZE} at a time. Finding a flow's entry is two
 * reads that miss the cache (the index slot, then the accumulator), each waiting for the one before
 * it, and a flow at a time the processor waits for every one of them in turn: on the 2 M-row bench
 * conn.log the index slot's read alone took a quarter of the reading thread's CPU. Held here, the
 * flows of a batch have their index slots read one after another, then their accumulators ({@link
 * EntryTable#find}), so that the processor has many reads in flight at once; then they are learned
 * in the order they came, from the cache.
 */
final class FlowBatch {
  static final int SIZE = 64;

  final long[] hHi = new long[SIZE];
  final long[] hLo = new long[SIZE];
  final long[] dHi = new long[SIZE];
  final long[] dLo = new long[SIZE];
  final int[] proto = new int[SIZE];
  final int[] port = new int[SIZE];
  final int[] uid = new int[SIZE];
  final int[] outcome = new int[SIZE];
  final long[] start = new long[SIZE];
  final long[] end = new long[SIZE];
  final long[] pOut = new long[SIZE];
  final long[] bOut = new long[SIZE];
  final long[] pIn = new long[SIZE];
  final long[] bIn = new long[SIZE];

  /** The learner's watermark when the flow came ({@link EntryAcc#start}). */
  final long[] watermark = new long[SIZE];

  /** The key's hash ({@link LearnKeys.Key#hash}). */
  final int[] hash = new int[SIZE];

  /** Each flow's accumulator as {@link EntryTable#find} found it, null for a key not there. */
  final EntryAcc[] found = new EntryAcc[SIZE];

  int count;

  /** Holds one flow; true when the batch is full. */
  boolean add(
      long hHi,
      long hLo,
      long dHi,
      long dLo,
      int proto,
      int port,
      int uid,
      int hash,
      int outcome,
      long start,
      long end,
      long pOut,
      long bOut,
      long pIn,
      long bIn,
      long watermark) {
    int i = count;
    this.hHi[i] = hHi;
    this.hLo[i] = hLo;
    this.dHi[i] = dHi;
    this.dLo[i] = dLo;
    this.proto[i] = proto;
    this.port[i] = port;
    this.uid[i] = uid;
    this.hash[i] = hash;
    this.outcome[i] = outcome;
    this.start[i] = start;
    this.end[i] = end;
    this.pOut[i] = pOut;
    this.bOut[i] = bOut;
    this.pIn[i] = pIn;
    this.bIn[i] = bIn;
    this.watermark[i] = watermark;
    count = i + 1;
    return count == SIZE;
  }
}
