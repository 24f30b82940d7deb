package dev.egret.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.decode.DecodeStats.Kind;
import dev.egret.net.Ip;
import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every packet of real public captures, across the link types and encapsulations the decoder reads.
 * Expected counts were checked against tcpdump's reading of the same files (IP versus non-IP
 * packets).
 */
class RealCapturesTest {
  private static Map<Kind, Long> counts(long decoded, long nonIp, long fragment) {
    Map<Kind, Long> m = new EnumMap<>(Kind.class);
    if (decoded > 0) {
      m.put(Kind.DECODED, decoded);
    }
    if (nonIp > 0) {
      m.put(Kind.NON_IP, nonIp);
    }
    if (fragment > 0) {
      m.put(Kind.FRAGMENT, fragment);
    }
    return m;
  }

  static Stream<Arguments> captures() {
    return Stream.of(
        Arguments.of("real/zeek/wikipedia.pcap", counts(126, 10, 0)), // 10 ARP
        Arguments.of("real/zeek/q-in-q.pcap", counts(4, 1, 0)),
        Arguments.of("real/zeek/mpls-in-vlan.pcap", counts(3, 0, 0)),
        Arguments.of("real/zeek/mixed-vlan-mpls.pcap", counts(47, 0, 0)),
        Arguments.of("real/zeek/pppoe.pcap", counts(25, 40, 0)), // discovery, LCP, PAP, IPCP
        Arguments.of("real/zeek/cisco-fabric-path.pcap", counts(128, 2, 0)),
        Arguments.of("real/zeek/ppp/quic-interop-retry.pcap", counts(26, 0, 0)),
        Arguments.of("real/zeek/linux_dlt_sll2.pcap", counts(4, 2, 0)),
        Arguments.of("real/zeek/ipv6-fragmented-dns.pcap", counts(5, 0, 3)),
        Arguments.of("real/zeek/tcp-http-with-padding.pcap", counts(25, 0, 0)),
        Arguments.of("real/zeek/communityid/sctp.pcap", counts(74, 0, 0)),
        Arguments.of("real/zeek/pcapng-multi-interface.pcapng", counts(6, 0, 0)),
        Arguments.of("real/tcpdump/LINKTYPE_IPV4.pcap", counts(1, 0, 0)),
        Arguments.of("real/tcpdump/LINKTYPE_IPV6.pcap", counts(1, 0, 0)),
        Arguments.of("real/tcpdump/LINKTYPE_RAW_ipv4.pcap", counts(1, 0, 0)),
        Arguments.of("real/tcpdump/LINKTYPE_RAW_ipv6.pcap", counts(1, 0, 0)),
        Arguments.of("real/tcpdump/HDLC.pcap", counts(10, 28, 0)), // SLARP and CDP
        Arguments.of("real/tcpdump/802.1ad_QinQ.pcap", counts(0, 2, 0)), // ARP in QinQ
        Arguments.of("real/tcpdump/mpls-traceroute.pcap", counts(18, 0, 0)),
        Arguments.of("real/tcpdump/ipv6-routing-header.pcap", counts(4, 0, 0)),
        Arguments.of("real/tcpdump/mptcp-v1.pcap", counts(20, 0, 0)),
        Arguments.of("real/suricata-verify/decode-chdlc-01.pcap", counts(17, 0, 0)),
        Arguments.of("real/suricata-verify/decode-sll2-01.pcap", counts(5, 0, 0)),
        Arguments.of("real/suricata-verify/linktype-228.pcap", counts(7, 0, 0)),
        Arguments.of("real/suricata-verify/bug-6887-defrag-ppp-ipv6-tcp.pcap", counts(1, 0, 2)),
        // A SYN split over three fragments, even the first too short for the TCP header: two are
        // held, the third completes the datagram.
        Arguments.of(
            "real/suricata-verify/bug-6887-defrag-eth-vlan-ipv4-tcp-syn.pcap", counts(1, 0, 2)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void everyPacketIsAccountedForAndNoneIsMalformed(String file, Map<Kind, Long> expected)
      throws IOException {
    List<TinyPcap.Packet> packets = TinyPcap.read(SharedPcaps.file(file));
    DecodeStats stats = decodeAll(packets);
    assertEquals(0, stats.malformed(), () -> file + ": " + stats.nonZero());
    assertEquals(expected, stats.nonZero());
    assertEquals(packets.size(), expected.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void radiotapIsCountedAsAnUnsupportedLinkType() throws IOException {
    DecodeStats stats = decodeAll(TinyPcap.read(SharedPcaps.file("real/zeek/radiotap.pcap")));
    assertEquals(Map.of(Kind.UNSUPPORTED_LINK, 3L), stats.nonZero());
    assertEquals(Map.of(127, 3L), stats.unsupportedLinkTypes());
  }

  @Test
  void fabricPathFlowsMatchZeek() throws IOException {
    assertFlowsMatchZeek("real/zeek/cisco-fabric-path");
  }

  @Test
  void mplsInVlanFlowsMatchZeek() throws IOException {
    assertFlowsMatchZeek("real/zeek/mpls-in-vlan");
  }

  @Test
  void qinqFlowsMatchZeek() throws IOException {
    assertFlowsMatchZeek("real/zeek/q-in-q");
  }

  @Test
  void pppoeFlowsMatchZeek() throws IOException {
    assertFlowsMatchZeek("real/zeek/pppoe");
  }

  @Test
  void malformedCorpusNeverThrowsAndEveryPacketIsCounted() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(SharedPcaps.dir().resolve("malformed"))) {
      s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
          .sorted()
          .forEach(files::add);
    }
    assertTrue(files.size() > 100, "malformed corpus: " + files.size() + " files");
    long packets = 0;
    DecodeStats all = new DecodeStats();
    for (Path f : files) {
      List<TinyPcap.Packet> ps = TinyPcap.read(f);
      packets += ps.size();
      all.addAll(decodeAll(ps));
    }
    long counted = all.nonZero().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(packets, counted);
    assertTrue(all.malformed() > 0);
  }

  private static DecodeStats decodeAll(List<TinyPcap.Packet> packets) {
    DecodeStats stats = new DecodeStats();
    PacketDecoder decoder = new PacketDecoder(stats);
    DecodedPacket out = new DecodedPacket();
    for (TinyPcap.Packet p : packets) {
      decoder.decode(p.linkType(), p.data(), 0, p.data().length, p.origLen(), out);
    }
    return stats;
  }

  /**
   * The TCP, UDP and protocol-only conversations in the capture, as unordered endpoint pairs, equal
   * Zeek's conn.log rows outside tunnels (ICMP is left out: Zeek keys it by type).
   */
  private static void assertFlowsMatchZeek(String stem) throws IOException {
    Set<String> ours = new TreeSet<>();
    DecodeStats stats = new DecodeStats();
    PacketDecoder decoder = new PacketDecoder(stats);
    DecodedPacket out = new DecodedPacket();
    for (TinyPcap.Packet p : TinyPcap.read(SharedPcaps.file(stem + ".pcap"))) {
      if (decoder.decode(p.linkType(), p.data(), 0, p.data().length, p.origLen(), out)
          && !out.isIcmp()) {
        String proto = out.isTcp() ? "tcp" : out.isUdp() ? "udp" : "unknown_transport";
        ours.add(
            key(
                Ip.toString(out.srcHi, out.srcLo) + " " + out.srcPort,
                Ip.toString(out.dstHi, out.dstLo) + " " + out.dstPort,
                proto));
      }
    }
    Set<String> zeek = new TreeSet<>();
    List<String> lines = Files.readAllLines(SharedPcaps.file(stem + ".conn.log"));
    List<String> fields = null;
    for (String line : lines) {
      if (line.startsWith("#fields")) {
        fields = List.of(line.substring("#fields\t".length()).split("\t"));
      } else if (!line.startsWith("#") && fields != null) {
        String[] v = line.split("\t");
        String proto = v[fields.indexOf("proto")];
        if (proto.equals("icmp") || !v[fields.indexOf("tunnel_parents")].equals("-")) {
          continue;
        }
        zeek.add(
            key(
                v[fields.indexOf("id.orig_h")] + " " + v[fields.indexOf("id.orig_p")],
                v[fields.indexOf("id.resp_h")] + " " + v[fields.indexOf("id.resp_p")],
                proto));
      }
    }
    assertTrue(!zeek.isEmpty(), stem + ": no rows in the Zeek log");
    assertEquals(zeek, ours);
  }

  private static String key(String a, String b, String proto) {
    return (a.compareTo(b) < 0 ? a + " " + b : b + " " + a) + " " + proto;
  }
}
