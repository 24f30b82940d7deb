package dev.egret.flow;

import dev.egret.decode.DecodedPacket;
import dev.egret.net.Protocols;
import dev.egret.net.TcpFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows connections packet by packet and works out who started each one. Allocation-free per
 * packet: state lives in a {@link FlowTable} of primitive arrays; a {@link FlowRecord} is built
 * only when a flow ends (closed and lingered, idle, evicted or flushed at end of input).
 *
 * <p>Initiator rules, in order: the sender of a SYN without ACK; the receiver of a SYN-ACK when the
 * SYN was not seen; for TCP picked up mid-stream and for UDP, the sender of the first packet,
 * unless that packet goes from a service port to an ephemeral one ({@link ServicePorts}), which
 * marks it as a reply and makes its receiver the initiator ({@link InitiatorRule#PORTS}); for UDP
 * only where its request could have gone unheard (within the UDP idle timeout of the capture's
 * start, or of the start of an input that does not follow on from the one before), as a firewall's
 * connection tracking sees a datagram that answers nothing as a new connection of its sender. ICMP:
 * the sender of an echo request; ICMP errors are not flows but mark the flow they quote rejected
 * (destination unreachable) or are only counted.
 *
 * <p>Timeouts follow Zeek's defaults: TCP 5 min idle, UDP and ICMP 1 min; a closed TCP flow lingers
 * 5 s for its last ACKs. A packet that arrives after its flow went idle starts a new flow.
 */
public final class FlowTracker {
  private static final long SWEEP_EVERY_NANOS = 10_000_000_000L;

  /**
   * A sweep visits every slot, so it waits for at least capacity / this many packets: sweeping
   * costs at most this many slot visits per packet, however long the capture spans. Each visit
   * reads a row of the table (a cache line): at 4 visits a packet, sweeps took 4.6% of the CPU
   * samples of {@code egret flows} on the 2 GB bench capture; at 1, 1.3%.
   */
  private static final int SWEEP_SLOTS_PER_PACKET = 1;

  /**
   * The table starts small and doubles as flows need: a sweep comes every capacity packets, so a
   * small table is swept often and stays small and in cache. On the bench capture (about 4,000
   * flows open at a time), medians of 15 runs: 4,096 slots 1.70 s against 65,536 slots 1.80 s; in
   * another set, 4,096 slots 1.48 s against 1,024 slots (more rebuilds) 1.57 s.
   */
  private static final int INITIAL_SLOTS = 1 << 12;

  private static final InitiatorRule[] RULES = InitiatorRule.values();

  private final FlowConfig config;
  private final FlowSink sink;
  private final FlowTable table;
  private long nextId;
  private long packets;
  private long evicted;
  private long icmpErrors;
  private long icmpRejections;
  private long midstream;
  private long strayResets;
  private long lastSweep = Long.MIN_VALUE;
  private long packetsSinceSweep;
  private long now = Long.MIN_VALUE;

  /**
   * Since when the tracker has heard the link without a break: from the first packet, and from the
   * first packet of an input that does not follow on from the one before (it starts more than the
   * UDP idle timeout after it, or before it). A UDP request sent within the idle timeout before a
   * reply heard later than that is in the table (see {@link Initiators}). A quiet link is no break:
   * a capture file or a live capture holds every packet of its span.
   */
  private long heardSince = Long.MIN_VALUE;

  /** Set by {@link #inputStarted}: the next packet comes from another input. */
  private boolean newInput;

  /** Slot of the flow the last packet belonged to, or -1 (ICMP error, not tracked). */
  private int lastSlot = -1;

  private boolean lastFromInitiator;

  /** Told of each new flow as it starts (live drift alerts), or null. */
  private FlowStartObserver startObserver;

  public FlowTracker(FlowConfig config, FlowSink sink) {
    this.config = config;
    this.sink = sink;
    this.table = new FlowTable(INITIAL_SLOTS, config.maxFlows());
  }

  /**
   * The packets after this come from another input (the next capture file): if its first packet
   * does not follow on from the last one, UDP replies are judged as at the start (see {@link
   * Initiators}).
   */
  public void inputStarted() {
    newInput = true;
  }

  /** Accounts one decoded packet. */
  public void onPacket(DecodedPacket p) {
    packets++;
    long ts = p.tsNanos;
    if (now == Long.MIN_VALUE || (newInput && (ts - now > config.udpIdleNanos() || ts < now))) {
      heardSince = ts; // the start, or an input that does not follow on: what came before unheard
    }
    newInput = false;
    if (ts > now) {
      now = ts;
    }
    if (lastSweep == Long.MIN_VALUE) {
      lastSweep = ts;
    } else if (++packetsSinceSweep >= table.capacity / SWEEP_SLOTS_PER_PACKET
        && now - lastSweep >= SWEEP_EVERY_NANOS) {
      expireIdle(now);
    }
    lastSlot = -1;
    int sp = p.srcPort;
    int dp = p.dstPort;
    if (p.icmpType >= 0) {
      int type = p.icmpType;
      if (Icmp.isError(p.proto, type)) {
        onIcmpError(p);
        return;
      }
      sp = type;
      dp = Icmp.counterpart(p.proto, type, p.icmpCode & 0xff);
    }
    int slot = table.find(p.srcHi, p.srcLo, sp, p.dstHi, p.dstLo, dp, p.proto);
    if (slot >= 0 && ended(slot, ts, p)) {
      finish(slot);
      slot = -1;
    }
    if (slot < 0) {
      if (p.isTcp() && (p.tcpFlags & (TcpFlags.RST | TcpFlags.SYN)) == TcpFlags.RST) {
        // A reset for no connection we know (a late RST after a close, a reset whose SYN came
        // before the capture): counted, not made into a "rejected" flow of its own.
        strayResets++;
        return;
      }
      slot = start(p, sp, dp);
    }
    boolean fromInit = !table.foundReverse;
    update(slot, p, fromInit, ts);
    lastSlot = slot;
    lastFromInitiator = fromInit;
  }

  /** True when the flow in {@code slot} is over and this packet must start a new one. */
  private boolean ended(int slot, long ts, DecodedPacket p) {
    long idle = ts - table.last(slot);
    int f = table.flags(slot);
    boolean closed = FlowFlags.closed(f);
    if (closed && idle > config.closeLingerNanos()) {
      return true;
    }
    if (idle > timeout(table.protoOf(slot))) {
      return true;
    }
    // A new SYN on a closed connection's tuple (port reuse) opens a new connection.
    return closed && p.isTcp() && (p.tcpFlags & (TcpFlags.SYN | TcpFlags.ACK)) == TcpFlags.SYN;
  }

  private long timeout(int proto) {
    return switch (proto) {
      case Protocols.TCP -> config.tcpIdleNanos();
      case Protocols.ICMP, Protocols.ICMPV6 -> config.icmpIdleNanos();
      default -> config.udpIdleNanos();
    };
  }

  /** Creates the flow for a packet that matched none; {@link Initiators} decides who started it. */
  private int start(DecodedPacket p, int sp, int dp) {
    if (table.full(config.maxFlows())) {
      evictForRoom();
    }
    int decision = Initiators.decide(p, sp, dp, p.tsNanos - heardSince > config.udpIdleNanos());
    if (Initiators.midstream(decision)) {
      midstream++;
    }
    boolean reverse = Initiators.reverse(decision);
    InitiatorRule rule = Initiators.rule(decision);
    int slot =
        reverse
            ? table.insert(p.dstHi, p.dstLo, dp, p.srcHi, p.srcLo, sp, p.proto, nextId++)
            : table.insert(p.srcHi, p.srcLo, sp, p.dstHi, p.dstLo, dp, p.proto, nextId++);
    table.foundReverse = reverse;
    table.setRule(slot, rule.ordinal());
    table.setTimes(slot, p.tsNanos, p.tsNanos);
    if (p.linkBroadcast) {
      table.setFlags(slot, FlowFlags.LINK_BROADCAST);
    }
    if (startObserver != null) {
      startObserver.flowStarted(key(slot), p.tsNanos, p.linkBroadcast);
    }
    return slot;
  }

  private void update(int slot, DecodedPacket p, boolean fromInit, long ts) {
    int f = FlowFlags.onPacket(table.flags(slot), p.isTcp() ? p.tcpFlags : -1, fromInit);
    table.account(slot, ts, fromInit, p.ipLength, p.payloadLen > 0, f);
  }

  /** RFC 792 / RFC 4443 errors quote the offending packet: a "destination unreachable" rejects. */
  private void onIcmpError(DecodedPacket p) {
    icmpErrors++;
    if (!p.innerValid || !Icmp.isUnreachable(p.proto, p.icmpType)) {
      return;
    }
    int slot =
        table.find(
            p.innerSrcHi,
            p.innerSrcLo,
            p.innerSrcPort,
            p.innerDstHi,
            p.innerDstLo,
            p.innerDstPort,
            p.innerProto);
    if (slot < 0) {
      return;
    }
    table.setFlags(slot, table.flags(slot) | FlowFlags.UNREACHABLE);
    icmpRejections++;
  }

  /** Slot of the flow the last packet updated, or -1; valid until the next call. */
  public int lastSlot() {
    return lastSlot;
  }

  /** True when the last packet went from the initiator to the responder. */
  public boolean lastFromInitiator() {
    return lastFromInitiator;
  }

  /** Id of the flow in a slot (creation order); stable while the flow lives. */
  public long flowId(int slot) {
    return table.id(slot);
  }

  /** Per-flow byte the name tap keeps its progress in. */
  byte tapState(int slot) {
    return table.spare(slot);
  }

  void setTapState(int slot, byte state) {
    table.setSpare(slot, state);
  }

  /** Initiator packets with payload so far, the current one included. */
  public int initiatorPayloadPackets(int slot) {
    return table.aPayloadPackets(slot);
  }

  /** The flow's key, built on demand (not on the per-packet path). */
  public FlowKey key(int slot) {
    FlowTable t = table;
    return new FlowKey(
        t.aHi(slot),
        t.aLo(slot),
        t.initPort(slot),
        t.bHi(slot),
        t.bLo(slot),
        t.respPort(slot),
        t.protoOf(slot));
  }

  /**
   * Sets who is told of each new flow, with its start time, as soon as its first packet is seen;
   * null for nobody. The key is built only when an observer is set, once per flow.
   */
  public void onFlowStart(FlowStartObserver observer) {
    this.startObserver = observer;
  }

  /**
   * Moves the tracker's clock to {@code nowNanos} when no packet has done so, and ends the flows
   * that have gone idle by then. A live capture calls it on a quiet link, where no packet would
   * otherwise advance time and flows would stay open until the next packet.
   */
  public void advanceTo(long nowNanos) {
    if (nowNanos <= now) {
      return;
    }
    now = nowNanos;
    if (lastSweep == Long.MIN_VALUE) {
      lastSweep = nowNanos;
    } else if (now - lastSweep >= SWEEP_EVERY_NANOS) {
      expireIdle(now);
    }
  }

  /**
   * The flows still open, as records that end at their last packet so far, in creation order. The
   * flows stay open: a checkpoint counts them without ending them.
   */
  public List<FlowRecord> openFlowRecords() {
    int[] slots = table.slotsInCreationOrder();
    List<FlowRecord> out = new ArrayList<>(slots.length);
    for (int slot : slots) {
      out.add(record(slot));
    }
    return out;
  }

  /** Ends every flow still open (end of input), in creation order. */
  public void flush() {
    for (int slot : table.slotsInCreationOrder()) {
      finish(slot);
    }
  }

  /**
   * Ends the flows that have been idle past their timeout at {@code atNanos}. Packets trigger this
   * themselves; a live capture also calls it on quiet links so idle flows still end.
   */
  public void expireIdle(long atNanos) {
    if (atNanos > now) {
      now = atNanos;
    }
    sweep(now, 1);
    sink.activeSince(
        now
            - Math.max(
                config.tcpIdleNanos(), Math.max(config.udpIdleNanos(), config.icmpIdleNanos())));
    lastSweep = now;
    packetsSinceSweep = 0;
  }

  /** Ends flows that have gone idle; {@code divisor} shortens the timeouts (eviction). */
  private int sweep(long at, int divisor) {
    // The limits divided once per sweep, and the rows scanned in the table's own loop: the sweep
    // visits a slot per packet, and C1 ran accessor calls and a long division for each.
    long closed = config.closeLingerNanos() / divisor;
    long tcp = config.tcpIdleNanos() / divisor;
    long udp = config.udpIdleNanos() / divisor;
    long icmp = config.icmpIdleNanos() / divisor;
    int ended = 0;
    FlowTable t = table;
    for (int s = t.nextIdle(0, at, closed, tcp, udp, icmp);
        s >= 0;
        s = t.nextIdle(s + 1, at, closed, tcp, udp, icmp)) {
      finish(s);
      ended++;
    }
    return ended;
  }

  /**
   * The table is full: end the flows already past their timeout (normal idle expiry, not counted as
   * early), then the longest-idle ones until a tenth of the table is free.
   */
  private void evictForRoom() {
    int target = config.maxFlows() - config.maxFlows() / 10;
    sweep(now, 1);
    for (int divisor = 2; table.size > target && divisor < (1 << 20); divisor <<= 1) {
      evicted += sweep(now, divisor);
    }
    if (table.size > target) {
      // Everything is busier than the finest sweep: end flows in table order.
      FlowTable t = table;
      for (int s = 0; s < t.capacity && t.size > target; s++) {
        if (t.used(s)) {
          finish(s);
          evicted++;
        }
      }
    }
  }

  private void finish(int slot) {
    FlowRecord r = record(slot);
    table.remove(slot);
    sink.onFlow(r);
  }

  private FlowRecord record(int slot) {
    FlowTable t = table;
    int f = t.flags(slot);
    return new FlowRecord(
        key(slot),
        t.first(slot),
        Math.max(t.first(slot), t.last(slot)),
        FlowFlags.state(f),
        RULES[t.rule(slot)],
        t.aPackets(slot),
        t.aBytes(slot),
        t.bPackets(slot),
        t.bBytes(slot),
        (f & FlowFlags.LINK_BROADCAST) != 0);
  }

  public FlowStats stats() {
    return new FlowStats(
        packets, nextId, evicted, icmpErrors, icmpRejections, midstream, strayResets);
  }

  /** Flows currently open. */
  public int openFlows() {
    return table.size;
  }
}
