package dev.egret.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.decode.DecodedPacket;
import dev.egret.net.Ip;
import dev.egret.net.Protocols;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hand-built packet sequences through the tracker; each packet is a fresh DecodedPacket. */
class FlowTrackerTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;
  private static final long T0 = 1_700_000_000L * S;

  private static final int FIN = 0x01;
  private static final int SYN = 0x02;
  private static final int RST = 0x04;
  private static final int PSH = 0x08;
  private static final int ACK = 0x10;

  private static final String CLIENT = "10.0.0.5";
  private static final String SERVER = "93.184.216.34";

  private final List<FlowRecord> flows = new ArrayList<>();
  private FlowTracker tracker = new FlowTracker(FlowConfig.defaults(), flows::add);

  // ---- packet builders ---------------------------------------------------------------------

  private static long v4(String dotted) {
    String[] o = dotted.split("\\.");
    int a = 0;
    for (String s : o) {
      a = (a << 8) | Integer.parseInt(s);
    }
    return Ip.v4Lo(a);
  }

  private static DecodedPacket ip(long ts, String src, String dst, int proto, int ipLength) {
    DecodedPacket p = new DecodedPacket();
    p.clear(); // icmpType -1: not ICMP
    p.tsNanos = T0 + ts;
    p.ipVersion = 4;
    p.srcLo = v4(src);
    p.dstLo = v4(dst);
    p.proto = proto;
    p.ipLength = ipLength;
    return p;
  }

  private static DecodedPacket tcp(
      long ts, String src, int sp, String dst, int dp, int flags, int payload) {
    DecodedPacket p = ip(ts, src, dst, Protocols.TCP, 20 + 20 + payload);
    p.srcPort = sp;
    p.dstPort = dp;
    p.tcpFlags = flags;
    p.payloadLen = payload;
    return p;
  }

  private static DecodedPacket udp(long ts, String src, int sp, String dst, int dp, int payload) {
    DecodedPacket p = ip(ts, src, dst, Protocols.UDP, 20 + 8 + payload);
    p.srcPort = sp;
    p.dstPort = dp;
    p.payloadLen = payload;
    return p;
  }

  private static DecodedPacket icmp(long ts, String src, String dst, int type, int code) {
    DecodedPacket p = ip(ts, src, dst, Protocols.ICMP, 20 + 8 + 56);
    p.icmpType = type;
    p.icmpCode = code;
    return p;
  }

  private void feed(DecodedPacket... packets) {
    for (DecodedPacket p : packets) {
      tracker.onPacket(p);
    }
  }

  private FlowRecord only() {
    tracker.flush();
    assertEquals(1, flows.size(), () -> "one flow: " + flows);
    return flows.get(0);
  }

  private static void assertKey(
      FlowRecord f, String init, int initPort, String resp, int respPort, int proto) {
    FlowKey k = f.key();
    assertEquals(init + ":" + initPort, k.initiator() + ":" + k.initPort(), "initiator");
    assertEquals(resp + ":" + respPort, k.responder() + ":" + k.respPort(), "responder");
    assertEquals(proto, k.proto(), "protocol");
  }

  // ---- TCP ---------------------------------------------------------------------------------

  @Test
  void aFlowStartedByALinkBroadcastIsMarked() {
    List<Boolean> started = new ArrayList<>();
    tracker.onFlowStart((k, ts, linkBroadcast) -> started.add(linkBroadcast));
    DecodedPacket first = udp(T0, CLIENT, 138, "10.0.0.255", 138, 200);
    first.linkBroadcast = true;
    feed(first, udp(T0 + MS, CLIENT, 40000, SERVER, 53, 30));
    tracker.flush();
    assertEquals(List.of(true, false), started, "the start observer is told too");
    assertEquals(2, flows.size());
    assertEquals(true, flows.get(0).linkBroadcast());
    assertEquals(FlowState.ATTEMPTED, flows.get(0).state(), "the flag is not a TCP or answer flag");
    assertEquals(false, flows.get(1).linkBroadcast());
  }

  @Test
  void handshakeDataAndFinsCloseTheFlowStartedByTheSyn() {
    feed(
        tcp(0, CLIENT, 50000, SERVER, 443, SYN, 0),
        tcp(10 * MS, SERVER, 443, CLIENT, 50000, SYN | ACK, 0),
        tcp(11 * MS, CLIENT, 50000, SERVER, 443, ACK, 0),
        tcp(12 * MS, CLIENT, 50000, SERVER, 443, PSH | ACK, 300),
        tcp(30 * MS, SERVER, 443, CLIENT, 50000, PSH | ACK, 1400),
        tcp(31 * MS, SERVER, 443, CLIENT, 50000, PSH | ACK, 600),
        tcp(32 * MS, CLIENT, 50000, SERVER, 443, FIN | ACK, 0),
        tcp(40 * MS, SERVER, 443, CLIENT, 50000, FIN | ACK, 0),
        tcp(41 * MS, CLIENT, 50000, SERVER, 443, ACK, 0));
    FlowRecord f = only();
    assertKey(f, CLIENT, 50000, SERVER, 443, Protocols.TCP);
    assertEquals(FlowState.CLOSED, f.state());
    assertEquals(InitiatorRule.SYN, f.rule());
    assertEquals(T0, f.startNanos());
    assertEquals(T0 + 41 * MS, f.endNanos());
  }

  @Test
  void bytesAndPacketsAreCountedEachWay() {
    feed(
        tcp(0, CLIENT, 50000, SERVER, 80, SYN, 0), // 40
        tcp(1 * MS, SERVER, 80, CLIENT, 50000, SYN | ACK, 0), // 40
        tcp(2 * MS, CLIENT, 50000, SERVER, 80, ACK, 0), // 40
        tcp(3 * MS, CLIENT, 50000, SERVER, 80, PSH | ACK, 100), // 140
        tcp(4 * MS, SERVER, 80, CLIENT, 50000, PSH | ACK, 1000), // 1040
        tcp(5 * MS, SERVER, 80, CLIENT, 50000, PSH | ACK, 500)); // 540
    FlowRecord f = only();
    assertEquals(3, f.origPackets());
    assertEquals(40 + 40 + 140, f.origBytes());
    assertEquals(3, f.respPackets());
    assertEquals(40 + 1040 + 540, f.respBytes());
    assertEquals(FlowState.ESTABLISHED, f.state());
  }

  @Test
  void synAckAloneMakesItsReceiverTheInitiator() {
    feed(tcp(0, SERVER, 443, CLIENT, 50000, SYN | ACK, 0));
    FlowRecord f = only();
    assertKey(f, CLIENT, 50000, SERVER, 443, Protocols.TCP);
    assertEquals(InitiatorRule.SYN_ACK, f.rule());
    assertEquals(0, f.origPackets());
    assertEquals(1, f.respPackets());
  }

  @Test
  void midstreamFromServerPortIsFlippedByPorts() {
    feed(
        tcp(0, SERVER, 80, CLIENT, 50000, PSH | ACK, 1000),
        tcp(1 * MS, CLIENT, 50000, SERVER, 80, ACK, 0));
    FlowRecord f = only();
    assertKey(f, CLIENT, 50000, SERVER, 80, Protocols.TCP);
    assertEquals(InitiatorRule.PORTS, f.rule());
    assertEquals(1, f.origPackets());
    assertEquals(1, f.respPackets());
    assertEquals(1, tracker.stats().midstream());
  }

  @Test
  void dynamicRangePortIsAClientPort() {
    feed(tcp(0, SERVER, 80, CLIENT, 50000, ACK, 10)); // RFC 6335 6: 49152-65535 are dynamic
    FlowRecord f = only();
    assertKey(f, CLIENT, 50000, SERVER, 80, Protocols.TCP);
    assertEquals(InitiatorRule.PORTS, f.rule());
  }

  @Test
  void midstreamBetweenEphemeralPortsKeepsTheFirstSender() {
    feed(tcp(0, CLIENT, 40000, SERVER, 45000, ACK, 10));
    FlowRecord f = only();
    assertKey(f, CLIENT, 40000, SERVER, 45000, Protocols.TCP);
    assertEquals(InitiatorRule.FIRST_PACKET, f.rule());
  }

  @Test
  void synAnsweredByRstIsRejected() {
    feed(
        tcp(0, CLIENT, 50000, SERVER, 23, SYN, 0),
        tcp(1 * MS, SERVER, 23, CLIENT, 50000, RST | ACK, 0));
    FlowRecord f = only();
    assertKey(f, CLIENT, 50000, SERVER, 23, Protocols.TCP);
    assertEquals(FlowState.REJECTED, f.state());
    assertEquals(InitiatorRule.SYN, f.rule());
  }

  @Test
  void unansweredSynsAreOneAttempt() {
    feed(
        tcp(0, CLIENT, 50000, SERVER, 22, SYN, 0),
        tcp(1 * S, CLIENT, 50000, SERVER, 22, SYN, 0),
        tcp(3 * S, CLIENT, 50000, SERVER, 22, SYN, 0));
    FlowRecord f = only();
    assertEquals(FlowState.ATTEMPTED, f.state());
    assertEquals(3, f.origPackets());
    assertEquals(0, f.respPackets());
    assertTrue(!f.answered());
  }

  @Test
  void portReuseAfterCloseStartsASecondFlow() {
    feed(
        tcp(0, CLIENT, 50000, SERVER, 80, SYN, 0),
        tcp(1 * MS, SERVER, 80, CLIENT, 50000, SYN | ACK, 0),
        tcp(2 * MS, CLIENT, 50000, SERVER, 80, FIN | ACK, 0),
        tcp(3 * MS, SERVER, 80, CLIENT, 50000, FIN | ACK, 0),
        tcp(4 * MS, CLIENT, 50000, SERVER, 80, ACK, 0),
        // Within the close linger: a new SYN on the same tuple is a new connection.
        tcp(1 * S, CLIENT, 50000, SERVER, 80, SYN, 0),
        tcp(1 * S + MS, SERVER, 80, CLIENT, 50000, SYN | ACK, 0));
    tracker.flush();
    assertEquals(2, flows.size(), flows::toString);
    assertEquals(FlowState.CLOSED, flows.get(0).state());
    assertEquals(3, flows.get(0).origPackets());
    assertEquals(FlowState.ESTABLISHED, flows.get(1).state());
    assertEquals(T0 + S, flows.get(1).startNanos());
    assertEquals(flows.get(0).key(), flows.get(1).key());
  }

  @Test
  void closedFlowEndsAfterItsLinger() {
    feed(
        tcp(0, CLIENT, 50000, SERVER, 80, SYN, 0),
        tcp(1 * MS, SERVER, 80, CLIENT, 50000, RST | ACK, 0),
        // 20 s later another flow's packet; a sweep at that time ends the closed one.
        udp(20 * S, CLIENT, 40000, SERVER, 53, 30));
    tracker.expireIdle(T0 + 20 * S);
    assertEquals(1, flows.size(), flows::toString);
    assertEquals(FlowState.REJECTED, flows.get(0).state());
    assertEquals(1, tracker.openFlows());
  }

  // ---- UDP ---------------------------------------------------------------------------------

  @Test
  void dnsQueryAndResponse() {
    feed(udp(0, CLIENT, 40000, "10.0.0.1", 53, 33), udp(2 * MS, "10.0.0.1", 53, CLIENT, 40000, 90));
    FlowRecord f = only();
    assertKey(f, CLIENT, 40000, "10.0.0.1", 53, Protocols.UDP);
    assertEquals(InitiatorRule.FIRST_PACKET, f.rule());
    assertEquals(FlowState.ESTABLISHED, f.state());
    assertEquals(61, f.origBytes());
    assertEquals(118, f.respBytes());
  }

  @Test
  void udpResponseSeenFirstIsFlipped() {
    feed(udp(0, "10.0.0.1", 53, CLIENT, 40000, 90));
    FlowRecord f = only();
    assertKey(f, CLIENT, 40000, "10.0.0.1", 53, Protocols.UDP);
    assertEquals(InitiatorRule.PORTS, f.rule());
    assertEquals(0, f.origPackets());
    assertEquals(1, f.respPackets());
  }

  /** Another host's DNS every 10 s from 0 to {@code until}: the link heard without a gap. */
  private void heardUntil(long until) {
    for (long t = 0; t <= until; t += 10 * S) {
      feed(udp(t, "10.0.0.9", 41000 + (int) (t / S), "10.0.0.1", 53, 30));
    }
  }

  private FlowRecord flowOf(String host) {
    tracker.flush();
    return flows.stream()
        .filter(
            f ->
                f.key().initiator().toString().equals(host)
                    || f.key().responder().toString().equals(host))
        .filter(f -> !f.key().initiator().toString().equals("10.0.0.9"))
        .reduce(
            (a, b) -> {
              throw new AssertionError("two flows of " + host + ": " + flows);
            })
        .orElseThrow(() -> new AssertionError("no flow of " + host + ": " + flows));
  }

  @Test
  void datagramFromServicePortAnsweringNothingHeardIsStartedByItsSender() {
    // A compromised host sends from port 53 (or 123) to a high port, with no query before it:
    // the kernel's connection tracking sees a new connection of the host, so egret does too.
    heardUntil(70 * S);
    feed(udp(75 * S, CLIENT, 53, SERVER, 40000, 90));
    FlowRecord f = flowOf(CLIENT);
    assertKey(f, CLIENT, 53, SERVER, 40000, Protocols.UDP);
    assertEquals(InitiatorRule.FIRST_PACKET, f.rule());
    assertEquals(1, f.origPackets());
    assertEquals(0, f.respPackets());
  }

  @Test
  void datagramFromServicePortWithinTheIdleTimeOfTheStartIsAReply() {
    heardUntil(50 * S);
    feed(udp(55 * S, "10.0.0.1", 53, CLIENT, 40000, 90)); // its query may predate the capture
    FlowRecord f = flowOf(CLIENT);
    assertKey(f, CLIENT, 40000, "10.0.0.1", 53, Protocols.UDP);
    assertEquals(InitiatorRule.PORTS, f.rule());
  }

  @Test
  void aQuietLinkIsNoBreak() {
    // Nothing at night for an hour, then the attacker's datagram: the capture heard it all.
    heardUntil(70 * S);
    feed(udp(70 * S + 3600 * S, CLIENT, 123, SERVER, 40000, 48));
    FlowRecord f = flowOf(CLIENT);
    assertKey(f, CLIENT, 123, SERVER, 40000, Protocols.UDP);
    assertEquals(InitiatorRule.FIRST_PACKET, f.rule());
  }

  @Test
  void datagramFromServicePortAtTheStartOfAFileAfterABreakIsAReply() {
    heardUntil(70 * S);
    tracker.inputStarted(); // the next file starts 61 s after this one ended
    feed(udp(70 * S + 61 * S, "10.0.0.1", 123, CLIENT, 40000, 48));
    FlowRecord f = flowOf(CLIENT);
    assertKey(f, CLIENT, 40000, "10.0.0.1", 123, Protocols.UDP);
    assertEquals(InitiatorRule.PORTS, f.rule());
  }

  @Test
  void aFileThatStartsBeforeTheLastEndedIsABreak() {
    heardUntil(200 * S);
    tracker.inputStarted();
    feed(udp(100 * S, "10.0.0.1", 123, CLIENT, 40000, 48));
    assertEquals(InitiatorRule.PORTS, flowOf(CLIENT).rule());
  }

  @Test
  void aFileThatFollowsOnIsNoBreak() {
    heardUntil(70 * S);
    tracker.inputStarted(); // daily rotation: the next file starts where this one ended
    feed(udp(71 * S, CLIENT, 53, SERVER, 40000, 90));
    FlowRecord f = flowOf(CLIENT);
    assertKey(f, CLIENT, 53, SERVER, 40000, Protocols.UDP);
    assertEquals(InitiatorRule.FIRST_PACKET, f.rule());
  }

  @Test
  void answeredQueryLongAfterTheStartKeepsItsClient() {
    heardUntil(120 * S);
    feed(
        udp(125 * S, CLIENT, 40000, "10.0.0.1", 53, 33),
        udp(125 * S + 2 * MS, "10.0.0.1", 53, CLIENT, 40000, 90));
    FlowRecord f = flowOf(CLIENT);
    assertKey(f, CLIENT, 40000, "10.0.0.1", 53, Protocols.UDP);
    assertEquals(InitiatorRule.FIRST_PACKET, f.rule());
    assertEquals(1, f.respPackets());
  }

  @Test
  void unicastDhcpOfferLongAfterTheStartStaysAReply() {
    heardUntil(70 * S);
    feed(udp(75 * S, "10.0.0.1", 67, CLIENT, 68, 300)); // its discover was a broadcast flow
    FlowRecord f = flowOf(CLIENT);
    assertKey(f, CLIENT, 68, "10.0.0.1", 67, Protocols.UDP);
    assertEquals(InitiatorRule.PORTS, f.rule());
  }

  @Test
  void unicastDhcpReplyMakesTheClientTheInitiator() {
    feed(udp(0, "10.0.0.1", 67, CLIENT, 68, 300));
    FlowRecord f = only();
    assertKey(f, CLIENT, 68, "10.0.0.1", 67, Protocols.UDP);
    assertEquals(InitiatorRule.PORTS, f.rule());
  }

  @Test
  void broadcastNeverBecomesTheInitiator() {
    feed(udp(0, "10.0.0.1", 67, "255.255.255.255", 68, 300));
    FlowRecord f = only();
    assertKey(f, "10.0.0.1", 67, "255.255.255.255", 68, Protocols.UDP);
    assertEquals(InitiatorRule.FIRST_PACKET, f.rule());
  }

  @Test
  void multicastNeverBecomesTheInitiator() {
    feed(udp(0, CLIENT, 53, "224.0.0.251", 40000, 300));
    FlowRecord f = only();
    assertKey(f, CLIENT, 53, "224.0.0.251", 40000, Protocols.UDP);
    assertEquals(InitiatorRule.FIRST_PACKET, f.rule());
  }

  @Test
  void tunnelServerPacketSeenFirstIsAReply() {
    feed(udp(0, SERVER, 3544, CLIENT, 3797, 100)); // Teredo server to client
    FlowRecord f = only();
    assertKey(f, CLIENT, 3797, SERVER, 3544, Protocols.UDP);
  }

  @Test
  void idleTimeoutSplitsAFlow() {
    feed(
        udp(0, CLIENT, 40000, SERVER, 123, 48),
        udp(30 * S, CLIENT, 40000, SERVER, 123, 48),
        udp(30 * S + 61 * S, CLIENT, 40000, SERVER, 123, 48));
    tracker.flush();
    assertEquals(2, flows.size(), flows::toString);
    assertEquals(2, flows.get(0).origPackets());
    assertEquals(T0 + 30 * S, flows.get(0).endNanos());
    assertEquals(1, flows.get(1).origPackets());
    assertEquals(T0 + 91 * S, flows.get(1).startNanos());
  }

  // ---- ICMP --------------------------------------------------------------------------------

  @Test
  void echoRequestAndReply() {
    feed(icmp(0, CLIENT, SERVER, 8, 0), icmp(5 * MS, SERVER, CLIENT, 0, 0));
    FlowRecord f = only();
    assertKey(f, CLIENT, 8, SERVER, 0, Protocols.ICMP);
    assertEquals(InitiatorRule.ICMP_ECHO, f.rule());
    assertEquals(FlowState.ESTABLISHED, f.state());
    assertEquals(1, f.origPackets());
    assertEquals(1, f.respPackets());
  }

  @Test
  void echoReplyAloneIsStartedByItsReceiver() {
    feed(icmp(0, SERVER, CLIENT, 0, 0));
    FlowRecord f = only();
    assertKey(f, CLIENT, 8, SERVER, 0, Protocols.ICMP);
    assertEquals(InitiatorRule.ICMP_ECHO, f.rule());
    assertEquals(0, f.origPackets());
    assertEquals(1, f.respPackets());
  }

  @Test
  void oneWayIcmpv6TypeKeysOnItsCode() {
    DecodedPacket p = new DecodedPacket();
    p.clear();
    p.tsNanos = T0;
    p.ipVersion = 6;
    p.srcHi = 0xfe80_0000_0000_0000L;
    p.srcLo = 1;
    p.dstHi = 0xff02_0000_0000_0000L;
    p.dstLo = 0x16;
    p.proto = Protocols.ICMPV6;
    p.icmpType = 143; // MLDv2 report (RFC 3810 5.2): no answering type
    p.icmpCode = 0;
    p.ipLength = 40 + 28;
    feed(p);
    FlowRecord f = only();
    assertKey(f, "fe80::1", 143, "ff02::16", 0, Protocols.ICMPV6);
  }

  @Test
  void portUnreachableRejectsTheUdpFlowItQuotes() {
    DecodedPacket unreachable = icmp(3 * MS, SERVER, CLIENT, 3, 3);
    unreachable.innerValid = true;
    unreachable.innerSrcLo = v4(CLIENT);
    unreachable.innerDstLo = v4(SERVER);
    unreachable.innerProto = Protocols.UDP;
    unreachable.innerSrcPort = 40000;
    unreachable.innerDstPort = 33434;
    feed(udp(0, CLIENT, 40000, SERVER, 33434, 32), unreachable);
    FlowRecord f = only(); // the ICMP error is not a flow
    assertKey(f, CLIENT, 40000, SERVER, 33434, Protocols.UDP);
    assertEquals(FlowState.REJECTED, f.state());
    assertEquals(0, f.respPackets());
    assertEquals(1, tracker.stats().icmpErrors());
    assertEquals(1, tracker.stats().icmpRejections());
  }

  @Test
  void unreachableForAnUnknownFlowIsOnlyCounted() {
    DecodedPacket unreachable = icmp(0, SERVER, CLIENT, 3, 1);
    unreachable.innerValid = true;
    unreachable.innerSrcLo = v4(CLIENT);
    unreachable.innerDstLo = v4(SERVER);
    unreachable.innerProto = Protocols.TCP;
    unreachable.innerSrcPort = 50000;
    unreachable.innerDstPort = 80;
    feed(unreachable);
    tracker.flush();
    assertEquals(List.of(), flows);
    assertEquals(1, tracker.stats().icmpErrors());
    assertEquals(0, tracker.stats().icmpRejections());
  }

  // ---- table ---------------------------------------------------------------------------------

  @Test
  void evictionPastMaxFlowsEmitsEveryFlowOnce() {
    tracker = new FlowTracker(FlowConfig.defaults().withMaxFlows(16), flows::add);
    for (int i = 0; i < 100; i++) {
      feed(
          udp(i * MS, CLIENT, 40000 + i, SERVER, 53, 30),
          udp(i * MS + MS / 2, SERVER, 53, CLIENT, 40000 + i, 60));
      assertTrue(tracker.openFlows() <= 16, "table bound held: " + tracker.openFlows());
    }
    tracker.flush();
    assertEquals(100, flows.size());
    Set<Integer> ports = new HashSet<>();
    for (FlowRecord f : flows) {
      assertTrue(ports.add(f.key().initPort()), "emitted once: " + f.key());
      assertEquals(1, f.origPackets());
      assertEquals(1, f.respPackets());
    }
    assertEquals(100, ports.size());
    assertEquals(100, tracker.stats().flows());
    assertTrue(tracker.stats().evicted() > 0, "evictions counted");
    assertEquals(0, tracker.openFlows());
  }

  @Test
  void flowsPastTheirTimeoutAreNotCountedAsEvictedWhenTheTableFills() {
    tracker = new FlowTracker(FlowConfig.defaults().withMaxFlows(16), flows::add);
    // 16 UDP flows in the first second, then 16 more two minutes later (UDP times out after
    // one): the first 16 ended by normal idle expiry, not early.
    long later = 120_000 * MS;
    for (int i = 0; i < 16; i++) {
      feed(udp(i * MS, CLIENT, 40000 + i, SERVER, 53, 30));
    }
    for (int i = 0; i < 16; i++) {
      feed(udp(later + i * MS, CLIENT, 41000 + i, SERVER, 53, 30));
    }
    assertEquals(16, flows.size());
    assertEquals(0, tracker.stats().evicted());
  }

  @Test
  void flushEmitsInCreationOrder() {
    // Ports scattered so that hash slots do not follow creation order; later packets on the
    // earliest flows so that last activity does not either.
    int n = 200;
    for (int i = 0; i < n; i++) {
      int port = 1024 + (i * 7919) % 60000;
      feed(udp(i * MS, CLIENT, port, SERVER, 5000 + i, 10));
    }
    for (int i = 0; i < 10; i++) {
      int port = 1024 + (i * 7919) % 60000;
      feed(udp(n * MS + i * MS, SERVER, 5000 + i, CLIENT, port, 10));
    }
    tracker.flush();
    assertEquals(n, flows.size());
    for (int i = 0; i < n; i++) {
      assertEquals(5000 + i, flows.get(i).key().respPort(), "flow " + i + " in creation order");
    }
  }

  @Test
  void statsCountPacketsAndFlows() {
    feed(
        udp(0, CLIENT, 40000, SERVER, 53, 30),
        udp(1 * MS, SERVER, 53, CLIENT, 40000, 30),
        tcp(2 * MS, CLIENT, 50000, SERVER, 80, SYN, 0));
    FlowStats s = tracker.stats();
    assertEquals(3, s.packets());
    assertEquals(2, s.flows());
    assertEquals(2, tracker.openFlows());
  }
}
