package dev.egret.decode;

import static dev.egret.decode.Frames.bytes;
import static dev.egret.decode.Frames.cat;
import static dev.egret.decode.Frames.eth;
import static dev.egret.decode.Frames.ethIpv4Syn;
import static dev.egret.decode.Frames.ipv4;
import static dev.egret.decode.Frames.ipv6;
import static dev.egret.decode.Frames.tcpSyn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.net.Ip;
import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code --decapsulate}: each tunnel from hand-annotated bytes around the same inner TCP SYN
 * (10.0.0.1 -> 93.184.216.34:443), the headers that must not be taken for a tunnel, and the tunnels
 * of Zeek's public traces.
 */
class TunnelsTest {
  private static final int ETH = LinkTypes.ETHERNET;
  private final DecodeStats stats = new DecodeStats();
  private final PacketDecoder decoder = new PacketDecoder(stats, true);
  private final DecodedPacket out = new DecodedPacket();

  /** The inner frame: Ethernet, IPv4, TCP SYN. */
  private static byte[] innerFrame() {
    return ethIpv4Syn();
  }

  /** The inner IP packet: IPv4, TCP SYN. */
  private static byte[] innerIp() {
    return Arrays.copyOfRange(ethIpv4Syn(), 14, 54);
  }

  /** Outer Ethernet + IPv4 (10.0.0.1 -> 93.184.216.34) with protocol {@code proto}. */
  private static byte[] outerIp(int proto, byte[]... payload) {
    byte[] p = cat(payload);
    return cat(eth(0x0800), ipv4(proto, p.length), p);
  }

  /** Outer Ethernet + IPv4 + UDP 40000 -> {@code port}. */
  private static byte[] outerUdp(int port, byte[]... payload) {
    byte[] p = cat(payload);
    int len = 8 + p.length;
    return outerIp(17, bytes(0x9c, 0x40, port >> 8, port, len >> 8, len, 0, 0), p);
  }

  /** The inner packets found, as "proto src:port > dst:port". */
  private List<String> inner(byte[] frame) {
    assertTrue(decoder.decode(ETH, frame, 0, frame.length, out), () -> stats.nonZero().toString());
    List<String> l = new ArrayList<>();
    for (int i = 0; i < decoder.innerCount(); i++) {
      l.add(describe(decoder.inner(i)));
    }
    return l;
  }

  private static String describe(DecodedPacket p) {
    return p.proto
        + " "
        + Ip.toString(p.srcHi, p.srcLo)
        + ":"
        + p.srcPort
        + " > "
        + Ip.toString(p.dstHi, p.dstLo)
        + ":"
        + p.dstPort;
  }

  private static final List<String> SYN = List.of("6 10.0.0.1:49152 > 93.184.216.34:443");

  @Test
  void ipInIp() {
    assertEquals(SYN, inner(outerIp(4, innerIp())));
    byte[] v6Syn = cat(ipv6(6, 20), tcpSyn());
    assertEquals(List.of("6 2001:db8::1:49152 > 2001:db8::2:443"), inner(outerIp(41, v6Syn)));
  }

  @Test
  void greWithIpEthernetKeyAndSequence() {
    assertEquals(SYN, inner(outerIp(47, bytes(0x00, 0x00, 0x08, 0x00), innerIp())));
    // K and S set: 4 bytes each before the payload.
    byte[] keyed = bytes(0x30, 0x00, 0x65, 0x58, 0, 0, 0, 7, 0, 0, 0, 1);
    assertEquals(SYN, inner(outerIp(47, keyed, innerFrame())));
    // C set: checksum and reserved.
    assertEquals(SYN, inner(outerIp(47, bytes(0x80, 0x00, 0x08, 0x00, 0, 0, 0, 0), innerIp())));
  }

  @Test
  void erspanTypesOneTwoAndThree() {
    assertEquals(SYN, inner(outerIp(47, bytes(0x00, 0x00, 0x88, 0xbe), innerFrame())));
    byte[] type2 =
        bytes(
            0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 9, // GRE, S set; ERSPAN; sequence 9
            0x10, 0x01, 0x00, 0x64, 0, 0, 0, 0); // ERSPAN II: version 1, VLAN 1, session 100
    assertEquals(SYN, inner(outerIp(47, type2, innerFrame())));
    byte[] type3 =
        bytes(
            0x10, 0x00, 0x22, 0xeb, 0, 0, 0, 9, // GRE, S set; ERSPAN III
            0x20, 0x01, 0x00, 0x64, 0, 0, 0, 0, 0, 0, 0, 1, // version 2; timestamp; O set
            0, 0, 0, 0, 0, 0, 0, 0); // the platform-specific subheader O announced
    assertEquals(SYN, inner(outerIp(47, type3, innerFrame())));
  }

  @Test
  void vxlanGeneveGreInUdp() {
    assertEquals(SYN, inner(outerUdp(4789, bytes(0x08, 0, 0, 0, 0, 0, 123, 0), innerFrame())));
    byte[] geneve = bytes(0x02, 0, 0x65, 0x58, 0, 0, 1, 0, 0x01, 0x02, 0x01, 0x00, 0, 0, 0, 0);
    assertEquals(SYN, inner(outerUdp(6081, geneve, innerFrame()))); // 2 words of options
    assertEquals(SYN, inner(outerUdp(4754, bytes(0x00, 0x00, 0x08, 0x00), innerIp())));
  }

  @Test
  void gtpUWithAndWithoutExtensionHeaders() {
    byte[] plain = bytes(0x30, 0xff, 0, 40, 0, 0, 0, 1); // version 1, PT; G-PDU; length; TEID
    assertEquals(SYN, inner(outerUdp(2152, plain, innerIp())));
    byte[] ext =
        bytes(
            0x34, 0xff, 0, 48, 0, 0, 0, 1, // E set
            0, 0, 0, 0x85, // sequence, N-PDU, next: PDU session container
            1, 0x10, 0x01, 0x00); // 4 bytes, next type 0
    assertEquals(SYN, inner(outerUdp(2152, ext, innerIp())));
  }

  @Test
  void teredoOnPort3544ButNotItsBubbles() {
    byte[] v6Syn = cat(ipv6(6, 20), tcpSyn());
    assertEquals(List.of("6 2001:db8::1:49152 > 2001:db8::2:443"), inner(outerUdp(3544, v6Syn)));
    byte[] origin = bytes(0, 0, 0x12, 0x34, 1, 2, 3, 4);
    assertEquals(1, inner(outerUdp(3544, origin, v6Syn)).size());
    assertEquals(List.of(), inner(outerUdp(3544, ipv6(59, 0)))); // a bubble
  }

  @Test
  void notTunnels() {
    // A wrong version, flag or message type, a length that does not fill the datagram, the right
    // header on another port, GRE version 1 (PPTP) and GRE routing: the outer packet only.
    List<byte[]> frames =
        List.of(
            outerUdp(4789, bytes(0x00, 0, 0, 0, 0, 0, 123, 0), innerFrame()), // VXLAN without I
            outerUdp(6081, bytes(0x40, 0, 0x65, 0x58, 0, 0, 1, 0), innerFrame()), // Geneve v1
            outerUdp(2152, bytes(0x30, 0x01, 0, 40, 0, 0, 0, 1), innerIp()), // GTP echo request
            outerUdp(3544, cat(ipv6(6, 20), tcpSyn(), new byte[1])), // one byte too many
            outerUdp(5555, bytes(0x08, 0, 0, 0, 0, 0, 123, 0), innerFrame()), // not 4789
            outerIp(47, bytes(0x00, 0x01, 0x88, 0x0b), innerIp()), // GRE version 1
            outerIp(47, bytes(0x40, 0x00, 0x08, 0x00), innerIp())); // routing present
    for (byte[] f : frames) {
      assertEquals(List.of(), inner(f));
    }
    assertEquals(0, stats.decapsulated());
  }

  @Test
  void aTunnelWhoseInnerPacketIsBrokenCountsAndStops() {
    byte[] broken = innerIp();
    broken[0] = 0x43; // IHL 3
    assertEquals(List.of(), inner(outerIp(4, broken)));
    assertEquals(1, stats.innerMalformed());
  }

  @Test
  void tunnelsInsideTunnelsStopAtThree() {
    byte[] p = innerIp();
    for (int i = 0; i < 5; i++) {
      p = Arrays.copyOfRange(outerIp(4, p), 14, 14 + 20 + p.length);
    }
    assertEquals(PacketDecoder.MAX_TUNNELS, inner(cat(eth(0x0800), p)).size());
  }

  @Test
  void withoutDecapsulationNothingIsOpened() {
    PacketDecoder plain = new PacketDecoder(new DecodeStats());
    byte[] f = outerUdp(4789, bytes(0x08, 0, 0, 0, 0, 0, 123, 0), innerFrame());
    assertTrue(plain.decode(ETH, f, 0, f.length, out));
    assertEquals(0, plain.innerCount());
  }

  @Test
  void zeeksTunnelTracesGiveTheirInnerConnections() throws IOException {
    record Trace(String file, String expected) {}
    List<Trace> traces =
        List.of(
            new Trace("real/zeek/tunnels/vxlan.pcap", "1 10.0.0.1:0 > 10.0.0.2:0"),
            new Trace("real/zeek/tunnels/geneve.pcap", "1 30.0.0.1:0 > 30.0.0.2:0"),
            new Trace("real/zeek/erspanII.pcap", "1 23.0.0.2:0 > 23.0.0.3:0"),
            // GTP-U whose outer IPv4 datagrams were fragmented: reassembled, then opened.
            new Trace(
                "real/zeek/tunnels/gtp/gtp1_gn_normal_incl_fragmentation.pcap",
                "6 10.131.47.185:1923 > 79.101.110.141:80"),
            new Trace("real/zeek/tunnels/gre-sample.pcap", "1 66.59.111.190:0 > 172.28.2.3:0"),
            new Trace(
                "real/zeek/tunnels/Teredo.pcap",
                "58 2001:0:4137:9e50:8000:f12a:b9c8:2815:0 > 2001:4860:0:2001::68:0"));
    for (Trace t : traces) {
      Set<String> found = new TreeSet<>();
      for (TinyPcap.Packet p : TinyPcap.read(SharedPcaps.file(t.file()))) {
        if (decoder.decode(p.linkType(), p.data(), 0, p.data().length, p.origLen(), out)) {
          for (int i = 0; i < decoder.innerCount(); i++) {
            found.add(describe(decoder.inner(i)));
          }
        }
      }
      assertTrue(found.contains(t.expected()), t.file() + ": " + found);
    }
    assertEquals(0, stats.innerMalformed());
  }
}
