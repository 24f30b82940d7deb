package dev.egret.baseline;

import dev.egret.baseline.LearnKeys.Key;
import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowSink;
import dev.egret.flow.FlowState;
import dev.egret.flow.InitiatorRule;
import dev.egret.flow.NameObserver;
import dev.egret.net.CidrSet;
import dev.egret.net.Protocols;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Aggregates finished flows and names into baseline entries while captures are replayed. One
 * accumulator per (host, destination, protocol, port), keyed by primitives; records are made only
 * by {@link #snapshot}. Memory is bounded by {@link Limits}: entries ({@link Overflow} summarises a
 * host's flows past {@code fanout} destinations on one port, and every new key once the table is
 * full), names and queries (what does not fit is counted). Flows reach their entries in batches
 * ({@link FlowBatch}), in the order they came; everything that reports on the entries learns the
 * batch first.
 */
public final class Learner implements FlowSink, NameObserver {
  static final int ANSWERED = 0;
  static final int UNANSWERED = 1;
  static final int REJECTED = 2;
  static final int UNKNOWN = 3;
  static final long NANOS_PER_HOUR = 3_600_000_000_000L;
  static final long NANOS_PER_DAY = 24 * NANOS_PER_HOUR;

  /**
   * How long a flow may last and still have its interval counted: starts are held back until the
   * flow tracker reports ({@link #activeSince}) that every flow still to come had a packet this
   * long after them.
   */
  static final long LONGEST_COUNTED_FLOW_NANOS = 10 * 60_000_000_000L;

  /**
   * An internal host with egress. Its equals and hashCode are written out: a record's own are made
   * at run time from method handles (ObjectMethods), whose first call spun 22 classes and had the
   * compiler compile some 200 java.lang.invoke methods, in every learn.
   */
  private record Host(long hi, long lo) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Host h && h.hi == hi && h.lo == lo;
    }

    @Override
    public int hashCode() {
      return 31 * Long.hashCode(hi) + Long.hashCode(lo);
    }
  }

  private final EgretConfig config;

  /** The config's internal networks, asked per flow (the same answers, cheaper). */
  private final CidrSet internal;

  private final EntryTable entries = new EntryTable();
  private final FlowBatch batch = new FlowBatch();
  private final NameBook names;
  private final Set<Host> hosts = new HashSet<>();
  private final Key probe = new Key();
  private final FlowCounts counts;

  private final Limits limits;
  private final Overflow overflow;

  /** Starts before this are released in order: no flow still to come started before it. */
  private long watermark = Long.MIN_VALUE;

  public Learner(EgretConfig config) {
    this(config, Limits.ofThisHeap());
  }

  public Learner(EgretConfig config, Limits limits) {
    this.config = config;
    this.internal = CidrSet.of(config.internal());
    this.counts = new FlowCounts(config, internal, CidrSet.of(config.exclude()));
    this.limits = limits;
    this.overflow = new Overflow(limits.maxEntries(), limits.fanout());
    this.names = new NameBook(config, limits.maxNames());
  }

  @Override
  public void onFlow(FlowRecord f) {
    FlowKey k = f.key();
    flow(
        k.initHi(),
        k.initLo(),
        k.initPort(),
        k.respHi(),
        k.respLo(),
        k.respPort(),
        k.proto(),
        f.linkBroadcast(),
        f.startNanos(),
        f.endNanos(),
        f.state(),
        f.origPackets(),
        f.origBytes(),
        f.respPackets(),
        f.respBytes());
  }

  /**
   * A flow by its fields, learned as the record they make would be, without making it: a log's rows
   * reach the learner this way, two objects per row fewer (on the 2 M-row bench conn.log, 270 MB
   * less allocated and three young collections fewer). Fields the record would refuse are handed to
   * it, so that they are refused alike.
   */
  @Override
  public void onFlow(
      long initHi,
      long initLo,
      int initPort,
      long respHi,
      long respLo,
      int respPort,
      int proto,
      long startNanos,
      long endNanos,
      FlowState state,
      InitiatorRule rule,
      long origPackets,
      long origBytes,
      long respPackets,
      long respBytes) {
    if (!FlowKey.valid(initPort, respPort, proto)
        || !FlowRecord.valid(startNanos, endNanos, state, rule)) {
      FlowSink.super.onFlow(
          initHi,
          initLo,
          initPort,
          respHi,
          respLo,
          respPort,
          proto,
          startNanos,
          endNanos,
          state,
          rule,
          origPackets,
          origBytes,
          respPackets,
          respBytes);
      return;
    }
    flow(
        initHi,
        initLo,
        initPort,
        respHi,
        respLo,
        respPort,
        proto,
        false,
        startNanos,
        endNanos,
        state,
        origPackets,
        origBytes,
        respPackets,
        respBytes);
  }

  private void flow(
      long initHi,
      long initLo,
      int initPort,
      long respHi,
      long respLo,
      int respPort,
      int proto,
      boolean linkBroadcast,
      long start,
      long end,
      FlowState state,
      long pOut,
      long bOut,
      long pIn,
      long bIn) {
    if (counts.counted(
        initHi, initLo, initPort, respHi, respLo, proto, start, end, linkBroadcast)) {
      int outcome = state == FlowState.REJECTED ? REJECTED : pIn == 0 ? UNANSWERED : ANSWERED;
      int port = entryPort(proto, initPort, respPort);
      learn(
          initHi, initLo, respHi, respLo, proto, port, -1, outcome, start, end, pOut, bOut, pIn,
          bIn);
    }
  }

  /**
   * One connection attempt from an audit log (the packet that opened it, with the sending user or
   * -1): classified as a flow is, counted in {@code flows} only, as whether it was answered is
   * unknown.
   */
  public void onAttempt(FlowKey k, long startNanos, long ipBytes, int uid) {
    if (counts.counted(
        k.initHi(),
        k.initLo(),
        k.initPort(),
        k.respHi(),
        k.respLo(),
        k.proto(),
        startNanos,
        startNanos,
        false)) {
      int port = entryPort(k);
      learn(
          k.initHi(),
          k.initLo(),
          k.respHi(),
          k.respLo(),
          k.proto(),
          port,
          uid,
          UNKNOWN,
          startNanos,
          startNanos,
          1,
          ipBytes,
          0,
          0);
    }
  }

  @Override
  public void activeSince(long nanos) {
    watermark = Math.max(watermark, nanos - LONGEST_COUNTED_FLOW_NANOS);
  }

  /** How a flow counts; only {@link Kind#EGRESS} is learned. */
  public enum Kind {
    /** A host the config excludes is at either end. */
    EXCLUDED,
    /** Started from outside towards an internal host. */
    INBOUND,
    /** Between two outside hosts. */
    EXTERNAL,
    /** Broadcast, multicast, link-local or neighbour discovery (unless the config learns it). */
    CHATTER,
    /** Started by an internal host: what the baseline is made of. */
    EGRESS
  }

  /** Sorts a flow as {@link #onFlow} does; live drift alerts check only egress. */
  public Kind classify(FlowKey k) {
    return classify(k, false);
  }

  /**
   * Sorts a flow; {@code linkBroadcast} (its first frame went to the whole link) makes it chatter
   * as a multicast or 255.255.255.255 destination does, which is how a directed broadcast such as
   * 10.0.0.255 is told apart from a host.
   */
  public Kind classify(FlowKey k, boolean linkBroadcast) {
    return counts.classify(
        k.initHi(), k.initLo(), k.initPort(), k.respHi(), k.respLo(), k.proto(), linkBroadcast);
  }

  /** The port an entry is keyed by: the responder's, or the ICMP type the initiator sent. */
  public static int entryPort(FlowKey k) {
    return entryPort(k.proto(), k.initPort(), k.respPort());
  }

  private static int entryPort(int proto, int initPort, int respPort) {
    boolean icmp = proto == Protocols.ICMP || proto == Protocols.ICMPV6;
    return icmp ? initPort : respPort;
  }

  /** Holds a flow for its entry; the batch is learned when full, or before anything is asked. */
  private void learn(
      long hHi,
      long hLo,
      long dHi,
      long dLo,
      int proto,
      int port,
      int uid,
      int outcome,
      long start,
      long end,
      long pOut,
      long bOut,
      long pIn,
      long bIn) {
    int hash = probe.set(hHi, hLo, dHi, dLo, proto, port, uid).hash;
    if (batch.add(
        hHi, hLo, dHi, dLo, proto, port, uid, hash, outcome, start, end, pOut, bOut, pIn, bIn,
        watermark)) {
      flush();
    }
  }

  /** Learns the flows held in {@link #batch}, in the order they came. */
  private void flush() {
    FlowBatch b = batch;
    int n = b.count;
    if (n == 0) {
      return;
    }
    entries.find(b);
    for (int i = 0; i < n; i++) {
      EntryAcc a = b.found[i];
      if (a == null) {
        a = entry(b, i);
        if (a == null) {
          continue; // summarised or counted (Overflow)
        }
      }
      a.add(
          b.outcome[i],
          b.start[i],
          b.end[i],
          b.pOut[i],
          b.bOut[i],
          b.pIn[i],
          b.bIn[i],
          b.watermark[i]);
    }
    b.count = 0;
  }

  /**
   * The entry of flow {@code i} of batch {@code b}, whose key was not in the table when the batch
   * was looked up: there now if an earlier flow of the batch added it, else added, or null when
   * {@link Overflow} took the flow instead.
   */
  private EntryAcc entry(FlowBatch b, int i) {
    Key key = probe.set(b.hHi[i], b.hLo[i], b.dHi[i], b.dLo[i], b.proto[i], b.port[i], b.uid[i]);
    EntryAcc a = entries.get(key);
    if (a == null) {
      if (!overflow.admit(key, entries.size(), b.outcome[i], b.start[i], b.end[i])) {
        return null;
      }
      a = new EntryAcc();
      // The destination is part of the key: whether it is inside is decided once per entry.
      a.internal = internal.contains(b.dHi[i], b.dLo[i]);
      entries.put(key, a);
      hosts.add(new Host(b.hHi[i], b.hLo[i]));
    }
    return a;
  }

  @Override
  public void dnsAnswer(long ts, long cHi, long cLo, String name, long aHi, long aLo, long ttl) {
    names.dnsAnswer(ts, cHi, cLo, name, aHi, aLo, ttl);
  }

  @Override
  public void dnsQuestion(long ts, long cHi, long cLo, String name, int qtype, int rcode) {
    names.dnsQuestion(ts, cHi, cLo, name, rcode);
  }

  @Override
  public void serverName(long ts, FlowKey flow, String name, Source source) {
    names.serverName(ts, flow, name, source);
  }

  /** Internal hosts with learned egress so far. */
  public int hostCount() {
    flush();
    return hosts.size();
  }

  /** (host, destination, protocol, port) entries so far. */
  public int entryCount() {
    flush();
    return entries.size();
  }

  /** (host, address, name, source) names so far. */
  public int nameCount() {
    return names.nameCount();
  }

  /** Summaries of flows not kept per destination. */
  public int summaryCount() {
    flush();
    return overflow.summaryCount();
  }

  /** Whether the entry table filled up ({@link Limits#maxEntries}). */
  public boolean entryLimitHit() {
    flush();
    return overflow.limitHit();
  }

  /** Flows only counted: the summary table was full too. */
  public long overflowFlows() {
    flush();
    return overflow.overflowFlows();
  }

  public Limits limits() {
    return limits;
  }

  /** Names and queries not kept because their tables were full. */
  public long namesDropped() {
    return names.dropped();
  }

  /** What was learned so far, as a baseline without sources (the caller adds them). */
  public Baseline snapshot(
      String egretVersion,
      List<SourceRecord> sources,
      long packets,
      long malformed,
      long dropped,
      long truncatedFiles) {
    flush();
    List<Entry> es = EntrySnapshot.of(entries);
    Counters c =
        new Counters(
            packets,
            malformed,
            dropped,
            truncatedFiles,
            counts.flows,
            counts.egress,
            counts.inbound,
            counts.external,
            counts.chatter,
            counts.excluded,
            overflow.overflowFlows());
    return new Baseline(
        Baseline.SCHEMA,
        egretVersion,
        counts.flows == 0 ? null : counts.windowStart,
        counts.flows == 0 ? null : counts.windowEnd,
        sources,
        c,
        es,
        names.names(),
        names.queries(),
        overflow.records());
  }
}
