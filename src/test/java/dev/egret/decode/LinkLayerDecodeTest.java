package dev.egret.decode;

import static dev.egret.decode.Frames.bytes;
import static dev.egret.decode.Frames.cat;
import static dev.egret.decode.Frames.eth;
import static dev.egret.decode.Frames.ipv4;
import static dev.egret.decode.Frames.ipv6;
import static dev.egret.decode.Frames.label;
import static dev.egret.decode.Frames.tag;
import static dev.egret.decode.Frames.tcpSyn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.egret.decode.DecodeStats.Kind;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LinkLayerDecodeTest extends DecoderTestBase {
  private static final byte[] SYN4 = cat(ipv4(6, 20), tcpSyn());
  private static final byte[] SYN6 = cat(ipv6(6, 20), tcpSyn());

  @Test
  void ethernetIpv4TcpSyn() {
    byte[] f = Frames.ethIpv4Syn();
    assertDecoded(LinkTypes.ETHERNET, f);
    assertIpv4Syn();
    assertEquals(40, out.ipLength);
    assertEquals(54, out.payloadOff);
    assertEquals(f, out.buf);
  }

  @Test
  void decodesAtAnOffsetIntoTheBuffer() {
    byte[] f = cat(new byte[7], Frames.ethIpv4Syn(), new byte[5]);
    assertEquals(true, decoder.decode(LinkTypes.ETHERNET, f, 7, 54, out));
    assertIpv4Syn();
    assertEquals(7 + 54, out.payloadOff);
  }

  @Test
  void ethernetIpv6TcpSyn() {
    assertDecoded(LinkTypes.ETHERNET, Frames.ethIpv6Syn());
    assertIpv6Syn();
    assertEquals(60, out.ipLength);
  }

  @Test
  void vlanTag() {
    assertDecoded(LinkTypes.ETHERNET, cat(eth(0x8100), tag(100, 0x0800), SYN4));
    assertIpv4Syn();
  }

  @Test
  void qinqOuter88a8ThenInner8100() {
    assertDecoded(LinkTypes.ETHERNET, cat(eth(0x88a8), tag(200, 0x8100), tag(100, 0x0800), SYN4));
    assertIpv4Syn();
  }

  @Test
  void qinqOld9100() {
    assertDecoded(LinkTypes.ETHERNET, cat(eth(0x9100), tag(7, 0x86dd), SYN6));
    assertIpv6Syn();
  }

  @Test
  void tagsUpToTheBoundDecode() {
    byte[][] parts = new byte[LinkLayer.MAX_LAYERS + 2][];
    parts[0] = eth(0x8100);
    for (int i = 1; i < LinkLayer.MAX_LAYERS; i++) {
      parts[i] = tag(i, 0x8100);
    }
    parts[LinkLayer.MAX_LAYERS] = tag(99, 0x0800); // the 12th tag ends the stack
    parts[LinkLayer.MAX_LAYERS + 1] = SYN4;
    assertDecoded(LinkTypes.ETHERNET, cat(parts));
  }

  @Test
  void tagsBeyondTheBoundAreTooManyLayers() {
    byte[][] parts = new byte[LinkLayer.MAX_LAYERS + 3][];
    parts[0] = eth(0x8100);
    for (int i = 1; i <= LinkLayer.MAX_LAYERS; i++) {
      parts[i] = tag(i, 0x8100);
    }
    parts[LinkLayer.MAX_LAYERS + 1] = tag(99, 0x0800); // the 13th tag
    parts[LinkLayer.MAX_LAYERS + 2] = SYN4;
    assertSkipped(Kind.TOO_MANY_LAYERS, LinkTypes.ETHERNET, cat(parts));
  }

  @Test
  void mplsTwoLabelsBottomOfStackThenIpv4() {
    assertDecoded(LinkTypes.ETHERNET, cat(eth(0x8847), label(100, false), label(200, true), SYN4));
    assertIpv4Syn();
  }

  @Test
  void mplsMulticastThenIpv6ByFirstNibble() {
    assertDecoded(LinkTypes.ETHERNET, cat(eth(0x8848), label(16, true), SYN6));
    assertIpv6Syn();
  }

  @Test
  void mplsInVlan() {
    assertDecoded(LinkTypes.ETHERNET, cat(eth(0x8100), tag(10, 0x8847), label(16, true), SYN4));
    assertIpv4Syn();
  }

  @Test
  void mplsPseudowireControlWordIsNotIp() {
    byte[] f =
        cat(eth(0x8847), label(16, true), bytes(0x00, 0x00, 0x00, 0x00), Frames.ethIpv4Syn());
    assertSkipped(Kind.NON_IP, LinkTypes.ETHERNET, f);
  }

  @Test
  void mplsStackWithoutBottomBitRunsOutOfFrame() {
    assertSkipped(
        Kind.TRUNCATED_LINK,
        LinkTypes.ETHERNET,
        cat(eth(0x8847), label(16, false), label(17, false)));
  }

  @Test
  void pppoeSessionIpv4() {
    byte[] pppoe =
        bytes(
            0x11, 0x00, 0x00, 0x17, // version 1 type 1; code 0 (session data); session 0x0017
            0x00, 42, 0x00, 0x21); // length; PPP protocol IPv4
    assertDecoded(LinkTypes.ETHERNET, cat(eth(0x8864), pppoe, SYN4));
    assertIpv4Syn();
  }

  @Test
  void pppoeSessionIpv6() {
    byte[] pppoe = bytes(0x11, 0x00, 0x00, 0x17, 0x00, 62, 0x00, 0x57); // PPP protocol IPv6
    assertDecoded(LinkTypes.ETHERNET, cat(eth(0x8864), pppoe, SYN6));
    assertIpv6Syn();
  }

  @Test
  void pppoeLcpIsNotIp() {
    byte[] pppoe = bytes(0x11, 0x00, 0x00, 0x17, 0x00, 10, 0xc0, 0x21); // PPP protocol LCP
    assertSkipped(Kind.NON_IP, LinkTypes.ETHERNET, cat(eth(0x8864), pppoe, new byte[8]));
  }

  @Test
  void ciscoFabricPathWrapsAnInnerEthernetFrame() {
    byte[] f =
        cat(
            eth(0x8903), // outer MACs and the FabricPath EtherType
            bytes(0x00, 0x3f), // FTag and TTL
            eth(0x0800), // inner Ethernet header
            SYN4);
    assertDecoded(LinkTypes.ETHERNET, f);
    assertIpv4Syn();
    assertEquals(30 + 40, out.payloadOff);
  }

  @Test
  void ieee8021ahPbbWrapsACustomerFrame() {
    byte[] f =
        cat(
            eth(0x88a8), // backbone MACs and the B-TAG's EtherType
            bytes(0x00, 0x64, 0x88, 0xe7), // B-VID 100, then the I-TAG EtherType
            bytes(0x00, 0x01, 0x00, 0x2a), // I-TAG: priority 0, I-SID 0x01002a
            eth(0x0800), // customer MACs and EtherType
            SYN4);
    assertDecoded(LinkTypes.ETHERNET, f);
    assertIpv4Syn();
    assertEquals(14 + 4 + 4 + 14 + 40, out.payloadOff);
  }

  @Test
  void ieee8021ahPbbCustomerFrameWithAVlanTag() {
    byte[] f = cat(eth(0x88e7), bytes(0, 0, 0, 1), eth(0x8100), bytes(0x00, 0x0a, 0x86, 0xdd));
    assertSkipped(Kind.TRUNCATED_IP, LinkTypes.ETHERNET, f);
  }

  @Test
  void truncatedPbbIsCounted() {
    assertSkipped(Kind.TRUNCATED_LINK, LinkTypes.ETHERNET, cat(eth(0x88e7), bytes(0, 0, 0, 1)));
  }

  @Test
  void ciscoVnTagBeforeIp() {
    byte[] f =
        cat(
            eth(0x8926),
            bytes(0x80, 0x01, 0x00, 0x02), // direction 1, destination vif 1, source vif 2
            bytes(0x08, 0x00),
            SYN4);
    assertDecoded(LinkTypes.ETHERNET, f);
    assertIpv4Syn();
    assertEquals(14 + 6 + 40, out.payloadOff);
  }

  @Test
  void truncatedVnTagIsCounted() {
    assertSkipped(Kind.TRUNCATED_LINK, LinkTypes.ETHERNET, cat(eth(0x8926), bytes(0x80, 0x01)));
  }

  @Test
  void arpIsNotIp() {
    assertSkipped(Kind.NON_IP, LinkTypes.ETHERNET, cat(eth(0x0806), new byte[28]));
  }

  @Test
  void lldpIsNotIp() {
    assertSkipped(Kind.NON_IP, LinkTypes.ETHERNET, cat(eth(0x88cc), new byte[30]));
  }

  @Test
  void ieee8023LengthFieldWithLlcIsNotIp() {
    byte[] f = cat(eth(38), bytes(0x42, 0x42, 0x03), new byte[35]); // length 38; LLC STP
    assertSkipped(Kind.NON_IP, LinkTypes.ETHERNET, f);
  }

  @Test
  void ieee8023WithSnapCarryingIpv4() {
    byte[] snap = bytes(0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00); // RFC 1042 SNAP, IPv4
    assertDecoded(LinkTypes.ETHERNET, cat(eth(48), snap, SYN4));
    assertIpv4Syn();
  }

  @Test
  void linuxCookedSll() {
    byte[] sll =
        bytes(
            0x00, 0x04, 0x00, 0x01, // packet type: outgoing; ARPHRD_ETHER
            0x00, 0x06, 2, 0, 0, 0, 0, 1, 0, 0, // address length 6; address, padded to 8
            0x08, 0x00); // protocol IPv4
    assertDecoded(LinkTypes.LINUX_SLL, cat(sll, SYN4));
    assertIpv4Syn();
  }

  @Test
  void linuxCookedSll2() {
    byte[] sll2 =
        bytes(
            0x86, 0xdd, 0x00, 0x00, // protocol IPv6; reserved
            0x00, 0x00, 0x00, 0x02, // interface index
            0x00, 0x01, 0x04, 0x06, // ARPHRD_ETHER; packet type outgoing; address length
            2, 0, 0, 0, 0, 1, 0, 0); // address, padded to 8
    assertDecoded(LinkTypes.LINUX_SLL2, cat(sll2, SYN6));
    assertIpv6Syn();
  }

  @Test
  void linkBroadcastIsMarkedForEthernetAndCookedCaptures() {
    byte[] unicast = Frames.ethIpv4Syn();
    byte[] broadcast = unicast.clone();
    Arrays.fill(broadcast, 0, 6, (byte) 0xff); // destination ff:ff:ff:ff:ff:ff
    byte[] almost = broadcast.clone();
    almost[5] = (byte) 0xfe;
    assertFalse(linkBroadcast(LinkTypes.ETHERNET, unicast));
    assertEquals(true, linkBroadcast(LinkTypes.ETHERNET, broadcast));
    assertFalse(linkBroadcast(LinkTypes.ETHERNET, almost));
    // Linux cooked v1: packet type 1 (LINUX_SLL_BROADCAST) in the first two bytes
    byte[] sll = bytes(0x00, 0x01, 0x00, 0x01, 0x00, 0x06, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00);
    assertEquals(true, linkBroadcast(LinkTypes.LINUX_SLL, cat(sll, SYN4)));
    // Linux cooked v2: packet type at offset 10
    byte[] sll2 =
        bytes(0x08, 0x00, 0, 0, 0, 0, 0, 2, 0x00, 0x01, 0x01, 0x06, 2, 0, 0, 0, 0, 1, 0, 0);
    assertEquals(true, linkBroadcast(LinkTypes.LINUX_SLL2, cat(sll2, SYN4)));
    // the scratch packet starts clean: a raw IP packet after a broadcast frame is no broadcast
    DecodedPacket reused = new DecodedPacket();
    PacketDecoder d = new PacketDecoder(new DecodeStats());
    assertEquals(true, d.decode(LinkTypes.ETHERNET, broadcast, 0, broadcast.length, reused));
    assertEquals(true, reused.linkBroadcast);
    assertEquals(true, d.decode(LinkTypes.RAW, SYN4, 0, SYN4.length, reused));
    assertFalse(reused.linkBroadcast);
  }

  private static boolean linkBroadcast(int linkType, byte[] frame) {
    DecodedPacket p = new DecodedPacket();
    assertEquals(
        true, new PacketDecoder(new DecodeStats()).decode(linkType, frame, 0, frame.length, p));
    return p.linkBroadcast;
  }

  @ParameterizedTest
  @ValueSource(ints = {LinkTypes.RAW_DLT12, LinkTypes.RAW_DLT14, LinkTypes.RAW})
  void rawIpv4(int linkType) {
    assertDecoded(linkType, SYN4);
    assertIpv4Syn();
  }

  @ParameterizedTest
  @ValueSource(ints = {LinkTypes.RAW_DLT12, LinkTypes.RAW_DLT14, LinkTypes.RAW})
  void rawIpv6(int linkType) {
    assertDecoded(linkType, SYN6);
    assertIpv6Syn();
  }

  @Test
  void rawWithVersion5IsBadVersion() {
    byte[] f = SYN4.clone();
    f[0] = 0x55; // version 5
    assertSkipped(Kind.BAD_IP_VERSION, LinkTypes.RAW, f);
  }

  @Test
  void linktypeIpv4() {
    assertDecoded(LinkTypes.IPV4, SYN4);
    assertIpv4Syn();
  }

  @Test
  void linktypeIpv6() {
    assertDecoded(LinkTypes.IPV6, SYN6);
    assertIpv6Syn();
  }

  @Test
  void linktypeIpv4CarryingIpv6IsBadVersion() {
    assertSkipped(Kind.BAD_IP_VERSION, LinkTypes.IPV4, SYN6);
  }

  @Test
  void nullLittleEndianIpv4() {
    assertDecoded(LinkTypes.NULL, cat(bytes(2, 0, 0, 0), SYN4)); // AF_INET, little-endian host
    assertIpv4Syn();
  }

  @Test
  void nullBigEndianIpv4() {
    assertDecoded(LinkTypes.NULL, cat(bytes(0, 0, 0, 2), SYN4)); // AF_INET, big-endian host
    assertIpv4Syn();
  }

  @ParameterizedTest
  @ValueSource(ints = {24, 28, 30}) // AF_INET6 on NetBSD/OpenBSD, FreeBSD, macOS
  void nullIpv6FamiliesInBothByteOrders(int family) {
    assertEquals(true, decode(LinkTypes.NULL, cat(bytes(family, 0, 0, 0), SYN6)));
    assertIpv6Syn();
    assertEquals(true, decode(LinkTypes.NULL, cat(bytes(0, 0, 0, family), SYN6)));
    assertIpv6Syn();
    assertEquals(Map.of(Kind.DECODED, 2L), stats.nonZero());
  }

  @Test
  void nullUnknownFamilyIsNotIp() {
    assertSkipped(Kind.NON_IP, LinkTypes.NULL, cat(bytes(7, 0, 0, 0), SYN4)); // AF 7
  }

  @Test
  void loopIsNetworkOrder() {
    assertDecoded(LinkTypes.LOOP, cat(bytes(0, 0, 0, 24), SYN6)); // AF_INET6 (OpenBSD)
    assertIpv6Syn();
  }

  @Test
  void loopLittleEndianFamilyIsNotRead() {
    assertSkipped(Kind.NON_IP, LinkTypes.LOOP, cat(bytes(2, 0, 0, 0), SYN4));
  }

  @Test
  void pppWithHdlcAddressAndControl() {
    assertDecoded(LinkTypes.PPP, cat(bytes(0xff, 0x03, 0x00, 0x21), SYN4)); // ff 03; IPv4
    assertIpv4Syn();
  }

  @Test
  void pppWithoutHdlcAddressAndControl() {
    assertDecoded(LinkTypes.PPP, cat(bytes(0x00, 0x57), SYN6)); // protocol IPv6
    assertIpv6Syn();
  }

  @Test
  void pppCompressedOneByteProtocol() {
    assertDecoded(LinkTypes.PPP, cat(bytes(0x21), SYN4)); // PFC: 0x21 IPv4
    assertIpv4Syn();
  }

  @Test
  void pppHdlcPrefixThenCompressedProtocol() {
    assertDecoded(LinkTypes.PPP, cat(bytes(0xff, 0x03, 0x57), SYN6)); // ff 03; PFC 0x57 IPv6
    assertIpv6Syn();
  }

  @Test
  void pppLcpIsNotIp() {
    assertSkipped(Kind.NON_IP, LinkTypes.PPP, cat(bytes(0xff, 0x03, 0xc0, 0x21), new byte[10]));
  }

  @Test
  void pppMplsUnicast() {
    assertDecoded(LinkTypes.PPP, cat(bytes(0x02, 0x81), label(30, true), SYN4)); // PPP MPLS
    assertIpv4Syn();
  }

  @Test
  void pppHdlcLinkType() {
    assertDecoded(LinkTypes.PPP_HDLC, cat(bytes(0xff, 0x03, 0x00, 0x21), SYN4));
    assertIpv4Syn();
  }

  @Test
  void pppHdlcLinkTypeCarryingCiscoHdlc() {
    assertDecoded(LinkTypes.PPP_HDLC, cat(bytes(0x0f, 0x00, 0x08, 0x00), SYN4));
    assertIpv4Syn();
  }

  @Test
  void pppEtherIsPppoeWithoutEthernet() {
    assertDecoded(
        LinkTypes.PPP_ETHER, cat(bytes(0x11, 0x00, 0x12, 0x34, 0x00, 42, 0x00, 0x21), SYN4));
    assertIpv4Syn();
  }

  @Test
  void ciscoHdlcUnicastIpv4() {
    assertDecoded(LinkTypes.C_HDLC, cat(bytes(0x0f, 0x00, 0x08, 0x00), SYN4)); // unicast; IPv4
    assertIpv4Syn();
  }

  @Test
  void ciscoHdlcBroadcastIpv6() {
    assertDecoded(LinkTypes.C_HDLC, cat(bytes(0x8f, 0x00, 0x86, 0xdd), SYN6)); // broadcast; IPv6
    assertIpv6Syn();
  }

  @Test
  void ciscoHdlcSlarpIsNotIp() {
    assertSkipped(Kind.NON_IP, LinkTypes.C_HDLC, cat(bytes(0x8f, 0x00, 0x80, 0x35), new byte[18]));
  }

  @Test
  void unsupportedLinkTypeIsCountedByType() {
    assertFalse(decode(160, SYN4));
    assertFalse(decode(160, SYN4));
    assertFalse(decode(LinkTypes.PPP_ETHER + 1000, SYN4));
    assertEquals(3, stats.get(Kind.UNSUPPORTED_LINK));
    assertEquals(Map.of(160, 2L, 1051, 1L), stats.unsupportedLinkTypes());
    assertEquals(0, stats.malformed());
  }

  static Stream<Arguments> truncatedLinkHeaders() {
    return Stream.of(
        Arguments.of("ethernet", LinkTypes.ETHERNET, Arrays.copyOf(eth(0x0800), 13)),
        Arguments.of("vlan tag", LinkTypes.ETHERNET, cat(eth(0x8100), bytes(0, 10, 0x08))),
        Arguments.of("fabricpath", LinkTypes.ETHERNET, cat(eth(0x8903), bytes(0, 0), new byte[13])),
        Arguments.of("mpls label", LinkTypes.ETHERNET, cat(eth(0x8847), bytes(0, 1, 1))),
        Arguments.of("mpls payload", LinkTypes.ETHERNET, cat(eth(0x8847), label(1, true))),
        Arguments.of("pppoe", LinkTypes.ETHERNET, cat(eth(0x8864), bytes(0x11, 0, 0, 1, 0, 40, 0))),
        Arguments.of("sll", LinkTypes.LINUX_SLL, new byte[15]),
        Arguments.of("sll2", LinkTypes.LINUX_SLL2, new byte[19]),
        Arguments.of("null", LinkTypes.NULL, bytes(2, 0, 0)),
        Arguments.of("loop", LinkTypes.LOOP, bytes(0, 0, 0)),
        Arguments.of("ppp empty", LinkTypes.PPP, bytes()),
        Arguments.of("ppp after ff03", LinkTypes.PPP, bytes(0xff, 0x03)),
        Arguments.of("ppp protocol", LinkTypes.PPP, bytes(0x00)),
        Arguments.of("ppp_ether", LinkTypes.PPP_ETHER, bytes(0x11, 0, 0, 1, 0, 40, 0)),
        Arguments.of("c_hdlc", LinkTypes.C_HDLC, bytes(0x0f, 0x00, 0x08)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("truncatedLinkHeaders")
  void truncatedLinkHeader(String name, int linkType, byte[] frame) {
    assertSkipped(Kind.TRUNCATED_LINK, linkType, frame);
  }

  @Test
  void offsetAndLengthOutsideTheBufferAreCountedNotThrown() {
    byte[] f = Frames.ethIpv4Syn();
    assertFalse(decoder.decode(LinkTypes.ETHERNET, f, 10, f.length, out));
    assertFalse(decoder.decode(LinkTypes.ETHERNET, f, -1, 20, out));
    assertFalse(decoder.decode(LinkTypes.ETHERNET, f, 0, -5, out));
    assertFalse(decoder.decode(LinkTypes.ETHERNET, null, 0, 0, out));
    assertEquals(Map.of(Kind.TRUNCATED_LINK, 4L), stats.nonZero());
  }
}
