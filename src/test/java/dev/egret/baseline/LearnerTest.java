package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowState;
import dev.egret.flow.InitiatorRule;
import dev.egret.flow.NameObserver;
import dev.egret.net.Cidr;
import dev.egret.net.Ip;
import dev.egret.net.Protocols;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the learner sorts finished flows: egress, inbound, external, chatter, excluded. */
class LearnerTest {
  private static final long T0 = Instant.parse("2024-03-01T09:15:00Z").toEpochMilli() * 1_000_000L;
  private static final long HOUR = 3_600_000_000_000L;
  private static final long DAY = 24 * HOUR;

  /** An IPv4 address as the pipeline carries it: IPv4-mapped, high half zero. */
  private static long v4(String dotted) {
    String[] p = dotted.split("\\.");
    int a = 0;
    for (String s : p) {
      a = (a << 8) | Integer.parseInt(s);
    }
    return Ip.v4Lo(a);
  }

  private static FlowKey tcp(String from, String to, int port) {
    return new FlowKey(0, v4(from), 40000, 0, v4(to), port, Protocols.TCP);
  }

  private static FlowKey udp(String from, String to, int port) {
    return new FlowKey(0, v4(from), 40000, 0, v4(to), port, Protocols.UDP);
  }

  private static FlowRecord answered(FlowKey k, long ts) {
    return new FlowRecord(
        k, ts, ts + 1_000_000, FlowState.CLOSED, InitiatorRule.SYN, 5, 500, 4, 4000);
  }

  private static FlowRecord flow(FlowKey k, long ts, FlowState s, long respPackets) {
    return new FlowRecord(
        k, ts, ts + 1_000_000, s, InitiatorRule.SYN, 2, 120, respPackets, 60 * respPackets);
  }

  private static Baseline learn(EgretConfig c, FlowRecord... flows) {
    Learner l = new Learner(c);
    for (FlowRecord f : flows) {
      l.onFlow(f);
    }
    return l.snapshot("test", List.of(), 0, 0, 0, 0);
  }

  private static Entry only(Baseline b) {
    assertEquals(1, b.entries().size(), b.entries().toString());
    return b.entries().get(0);
  }

  @Test
  void egressToAnExternalDestination() {
    Baseline b =
        learn(EgretConfig.defaults(), answered(tcp("10.1.0.10", "93.184.216.34", 443), T0));
    Entry e = only(b);
    assertEquals("10.1.0.10", e.host());
    assertEquals("93.184.216.34", e.destination());
    assertEquals("tcp", e.protocol());
    assertEquals(443, e.port());
    assertFalse(e.internalDestination());
    assertEquals(
        List.of(1L, 1L, 0L, 0L), List.of(e.flows(), e.answered(), e.unanswered(), e.rejected()));
    assertEquals(
        List.of(5L, 500L, 4L, 4000L),
        List.of(e.packetsOut(), e.bytesOut(), e.packetsIn(), e.bytesIn()));
    assertEquals(T0, e.firstSeenNs());
    assertEquals(T0 + 1_000_000, e.lastSeenNs());
    assertEquals(1, b.counters().egressFlows());
    assertEquals(T0, b.windowStartNs());
  }

  @Test
  void eastWestIsEgressWithAnInternalDestination() {
    Entry e =
        only(learn(EgretConfig.defaults(), answered(tcp("10.1.0.10", "192.168.5.5", 5432), T0)));
    assertTrue(e.internalDestination());
  }

  @Test
  void inboundIsCountedNotLearned() {
    Baseline b = learn(EgretConfig.defaults(), answered(tcp("198.51.100.7", "10.1.0.10", 22), T0));
    assertTrue(b.entries().isEmpty());
    assertEquals(1, b.counters().inboundFlows());
    assertEquals(0, b.counters().egressFlows());
    assertEquals(1, b.counters().flows());
  }

  @Test
  void externalIsCountedNotLearned() {
    Baseline b =
        learn(EgretConfig.defaults(), answered(tcp("198.51.100.7", "203.0.113.1", 80), T0));
    assertTrue(b.entries().isEmpty());
    assertEquals(1, b.counters().externalFlows());
  }

  @Test
  void chatterIsCountedApart() {
    Baseline b =
        learn(
            EgretConfig.defaults(),
            flow(udp("10.1.0.10", "224.0.0.251", 5353), T0, FlowState.ATTEMPTED, 0), // mDNS
            flow(udp("10.1.0.10", "239.255.255.250", 1900), T0, FlowState.ATTEMPTED, 0), // SSDP
            flow(udp("10.1.0.10", "255.255.255.255", 67), T0, FlowState.ATTEMPTED, 0),
            flow(udp("10.1.0.10", "169.254.10.1", 80), T0, FlowState.ATTEMPTED, 0),
            flow(udp("0.0.0.0", "255.255.255.255", 67), T0, FlowState.ATTEMPTED, 0), // DHCP
            flow(
                v6(0xff02_0000_0000_0000L, 0xfbL, Protocols.UDP, 5353), T0, FlowState.ATTEMPTED, 0),
            flow(v6(0xfe80_0000_0000_0000L, 0x1L, Protocols.UDP, 547), T0, FlowState.ATTEMPTED, 0),
            // RFC 4861 neighbour solicitation to a global unicast address (unreachability check)
            flow(icmp6(0x2001_0db8_0000_0000L, 0x53L, 135, 136), T0, FlowState.ESTABLISHED, 1),
            // router solicitation to all-routers
            flow(icmp6(0xff02_0000_0000_0000L, 0x2L, 133, 134), T0, FlowState.ATTEMPTED, 0));
    assertTrue(b.entries().isEmpty(), b.entries().toString());
    assertEquals(9, b.counters().chatterFlows());
    assertEquals(0, b.counters().egressFlows() + b.counters().externalFlows());
  }

  /** A directed broadcast (10.1.0.255 on a /24) is only known by its broadcast frame. */
  @Test
  void aFlowWhoseFirstFrameWasALinkBroadcastIsChatter() {
    FlowKey netbios = udp("10.1.0.10", "10.1.0.255", 138);
    FlowRecord broadcast =
        new FlowRecord(
            netbios, T0, T0 + 1, FlowState.ATTEMPTED, InitiatorRule.PORTS, 1, 229, 0, 0, true);
    Baseline b =
        learn(EgretConfig.defaults(), broadcast, answered(udp("10.1.0.10", "10.1.0.53", 53), T0));
    assertEquals(
        "10.1.0.53", only(b).destination(), "the unicast flow is learned, the broadcast not");
    assertEquals(1, b.counters().chatterFlows());
    Learner l = new Learner(EgretConfig.defaults());
    assertEquals(Learner.Kind.EGRESS, l.classify(netbios), "the address alone says nothing");
    assertEquals(Learner.Kind.CHATTER, l.classify(netbios, true));
  }

  @Test
  void chatterIsLearnedWhenTheConfigAsks() {
    EgretConfig c = new EgretConfig(null, null, null, true, null);
    Baseline b =
        learn(
            c,
            flow(udp("10.1.0.10", "224.0.0.251", 5353), T0, FlowState.ATTEMPTED, 0),
            flow(udp("198.51.100.7", "224.0.0.251", 5353), T0, FlowState.ATTEMPTED, 0));
    Entry e = only(b);
    assertEquals("224.0.0.251", e.destination());
    assertEquals(1, e.unanswered());
    assertEquals(0, b.counters().chatterFlows() - 1, "an outside host's chatter is not learned");
  }

  /** fd00::10 to the address given, as UDP or another protocol with a destination port. */
  private static FlowKey v6(long hi, long lo, int proto, int port) {
    return new FlowKey(0xfd00_0000_0000_0000L, 0x10L, 40000, hi, lo, port, proto);
  }

  private static FlowKey icmp6(long hi, long lo, int type, int counterpart) {
    return new FlowKey(0xfd00_0000_0000_0000L, 0x10L, type, hi, lo, counterpart, Protocols.ICMPV6);
  }

  @Test
  void excludedHostsAreNeitherLearnedNorCountedElsewhere() {
    EgretConfig c = new EgretConfig(null, null, List.of(Cidr.parse("10.1.0.99/32")), false, null);
    Baseline b =
        learn(
            c,
            answered(tcp("10.1.0.99", "93.184.216.34", 443), T0),
            answered(tcp("10.1.0.10", "10.1.0.99", 22), T0),
            answered(tcp("10.1.0.10", "93.184.216.34", 443), T0));
    assertEquals("10.1.0.10", only(b).host());
    assertEquals(2, b.counters().excludedFlows());
    assertEquals(1, b.counters().egressFlows());
  }

  @Test
  void icmpPortIsTheType() {
    FlowKey echo = new FlowKey(0, v4("10.1.0.10"), 8, 0, v4("8.8.8.8"), 0, Protocols.ICMP);
    FlowKey echo6 =
        new FlowKey(
            0xfd00_0000_0000_0000L, 1, 128, 0x2001_0db8_0000_0000L, 1, 129, Protocols.ICMPV6);
    Baseline b = learn(EgretConfig.defaults(), answered(echo, T0), answered(echo6, T0));
    assertEquals(2, b.entries().size());
    for (Entry e : b.entries()) {
      assertEquals(e.protocol().equals("icmp") ? 8 : 128, e.port(), e.key());
    }
  }

  @Test
  void answeredUnansweredRejected() {
    FlowKey k = tcp("10.1.0.10", "93.184.216.34", 443);
    Entry e =
        only(
            learn(
                EgretConfig.defaults(),
                flow(k, T0, FlowState.CLOSED, 3),
                flow(k, T0 + 1, FlowState.ESTABLISHED, 1),
                flow(k, T0 + 2, FlowState.ATTEMPTED, 0),
                flow(k, T0 + 3, FlowState.ATTEMPTED, 0),
                flow(k, T0 + 4, FlowState.ATTEMPTED, 0),
                flow(k, T0 + 5, FlowState.REJECTED, 1),
                flow(k, T0 + 6, FlowState.REJECTED, 0)));
    assertEquals(7, e.flows());
    assertEquals(2, e.answered());
    assertEquals(3, e.unanswered());
    assertEquals(2, e.rejected());
  }

  @Test
  void portsAreKeptApartAndSourcePortIgnored() {
    FlowKey a = tcp("10.1.0.10", "93.184.216.34", 443);
    FlowKey b = new FlowKey(0, v4("10.1.0.10"), 50000, 0, v4("93.184.216.34"), 443, Protocols.TCP);
    FlowKey c = tcp("10.1.0.10", "93.184.216.34", 80);
    Baseline bl = learn(EgretConfig.defaults(), answered(a, T0), answered(b, T0), answered(c, T0));
    assertEquals(2, bl.entries().size());
    assertEquals(2, bl.entries().stream().filter(e -> e.port() == 443).findFirst().get().flows());
  }

  @Test
  void daysAndHoursSeen() {
    FlowKey k = tcp("10.1.0.10", "93.184.216.34", 443);
    Entry e =
        only(
            learn(
                EgretConfig.defaults(),
                answered(k, T0), // 2024-03-01 09:15
                answered(k, T0 + 30 * 60_000_000_000L), // 09:45, same day and hour
                answered(k, T0 + DAY + 5 * HOUR), // 2024-03-02 14:15
                answered(k, T0 + 3 * DAY + 15 * HOUR))); // 2024-03-05 00:15
    assertEquals(List.of("2024-03-01", "2024-03-02", "2024-03-05"), e.days());
    assertEquals(List.of(0, 9, 14), e.hours());
    assertEquals(3, e.gaps());
    assertEquals(T0, e.firstSeenNs());
  }

  @Test
  void dayBoundaryIsUtcMidnight() {
    long midnight = Instant.parse("2024-03-02T00:00:00Z").toEpochMilli() * 1_000_000L;
    FlowKey k = tcp("10.1.0.10", "93.184.216.34", 443);
    Entry e = only(learn(EgretConfig.defaults(), answered(k, midnight - 1), answered(k, midnight)));
    assertEquals(List.of("2024-03-01", "2024-03-02"), e.days());
    assertEquals(List.of(0, 23), e.hours());
  }

  @Test
  void customInternalNetworks() {
    EgretConfig c = EgretConfig.defaults().withInternal(List.of(Cidr.parse("141.142.0.0/16")));
    Baseline b =
        learn(
            c,
            answered(tcp("141.142.220.118", "208.80.152.3", 80), T0),
            answered(tcp("10.1.0.10", "93.184.216.34", 443), T0),
            answered(tcp("141.142.220.118", "141.142.2.2", 53), T0));
    assertEquals(2, b.entries().size());
    assertTrue(b.entries().stream().allMatch(e -> e.host().equals("141.142.220.118")));
    assertEquals(1, b.counters().externalFlows(), "10/8 is no longer inside");
    assertTrue(
        b.entries().stream().filter(e -> e.port() == 53).findFirst().get().internalDestination());
  }

  @Test
  void namesAreKeptForInternalClientsOnly() {
    Learner l = new Learner(EgretConfig.defaults());
    long client = v4("10.1.0.10");
    long addr = v4("93.184.216.34");
    l.dnsAnswer(T0, 0, client, "example.com", 0, addr, 300);
    l.dnsAnswer(T0 + 5, 0, client, "example.com", 0, addr, 600);
    l.dnsAnswer(T0, 0, v4("198.51.100.7"), "outside.example", 0, addr, 60);
    l.dnsQuestion(T0, 0, client, "example.com", 1, 0);
    l.dnsQuestion(T0, 0, client, "nx.example", 1, 3);
    l.serverName(
        T0 + 9, tcp("10.1.0.10", "93.184.216.34", 443), "www.example.com", NameObserver.Source.SNI);
    l.serverName(
        T0 + 9,
        tcp("10.1.0.10", "93.184.216.34", 80),
        "www.example.com",
        NameObserver.Source.HTTP_HOST);
    l.serverName(
        T0, tcp("198.51.100.7", "93.184.216.34", 443), "x.example", NameObserver.Source.SNI);
    Baseline b = l.snapshot("test", List.of(), 0, 0, 0, 0);
    assertEquals(
        List.of(
            new NameRecord("10.1.0.10", "93.184.216.34", "example.com", "dns", 2, T0, T0 + 5, 600),
            new NameRecord(
                "10.1.0.10", "93.184.216.34", "www.example.com", "http-host", 1, T0 + 9, T0 + 9, 0),
            new NameRecord(
                "10.1.0.10", "93.184.216.34", "www.example.com", "sni", 1, T0 + 9, T0 + 9, 0)),
        b.names());
    assertEquals(
        List.of(
            new QueryRecord("10.1.0.10", "example.com", 1, 0, T0, T0),
            new QueryRecord("10.1.0.10", "nx.example", 1, 1, T0, T0)),
        b.queries());
  }

  @Test
  void namesForPrefersTheHostsOwnLookups() {
    List<NameRecord> names =
        List.of(
            new NameRecord("10.0.0.1", "192.0.2.1", "mine.example", "dns", 1, 0, 0, 0),
            new NameRecord("10.0.0.2", "192.0.2.1", "theirs.example", "dns", 5, 0, 0, 0),
            new NameRecord("10.0.0.2", "192.0.2.1", "theirs2.example", "sni", 9, 0, 0, 0));
    Baseline b = new Baseline(Baseline.SCHEMA, "t", null, null, null, null, null, names, null);
    assertEquals(List.of("mine.example"), b.nameIndex().nameStrings("10.0.0.1", "192.0.2.1"));
    assertEquals(
        List.of("theirs2.example", "theirs.example", "mine.example"),
        b.nameIndex().nameStrings("10.0.0.3", "192.0.2.1"),
        "fallback: any host's names, most seen first");
    assertEquals(List.of(), b.nameIndex().nameStrings("10.0.0.1", "192.0.2.9"));
  }
}
