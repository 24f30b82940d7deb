package dev.egret.decode;

import static dev.egret.decode.Frames.bytes;
import static dev.egret.decode.Frames.cat;
import static dev.egret.decode.Frames.eth;
import static dev.egret.decode.Frames.icmp;
import static dev.egret.decode.Frames.ipv4;
import static dev.egret.decode.Frames.ipv6;
import static dev.egret.decode.Frames.tcpSyn;
import static dev.egret.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.decode.DecodeStats.Kind;
import dev.egret.net.Ip;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TransportDecodeTest extends DecoderTestBase {
  private static final int ETH = LinkTypes.ETHERNET;

  /** A router's IPv4 header (192.0.2.1 -> 10.0.0.1) carrying an ICMP message of {@code len}. */
  private static byte[] routerIpv4(int len) {
    byte[] ip = ipv4(1, len);
    System.arraycopy(bytes(192, 0, 2, 1, 10, 0, 0, 1), 0, ip, 12, 8);
    return ip;
  }

  @Test
  void udpPortsAndPayload() {
    assertDecoded(ETH, cat(eth(0x0800), ipv4(17, 12), udp(4), bytes(1, 2, 3, 4)));
    assertEquals(17, out.proto);
    assertEquals(53000, out.srcPort);
    assertEquals(53, out.dstPort);
    assertEquals(0, out.tcpFlags);
    assertEquals(14 + 28, out.payloadOff);
    assertEquals(4, out.payloadLen);
  }

  @Test
  void udpLengthBelow8() {
    byte[] u = udp(0);
    u[5] = 7; // UDP length 7
    assertSkipped(Kind.BAD_TRANSPORT_LENGTH, ETH, cat(eth(0x0800), ipv4(17, 8), u));
  }

  @Test
  void udpPayloadBoundedByTheUdpLength() {
    assertDecoded(ETH, cat(eth(0x0800), ipv4(17, 12), udp(2), bytes(1, 2, 3, 4)));
    assertEquals(2, out.payloadLen);
  }

  @Test
  void udpPayloadBoundedByTheIpLength() {
    assertDecoded(ETH, cat(eth(0x0800), ipv4(17, 12), udp(100), bytes(1, 2, 3, 4)));
    assertEquals(4, out.payloadLen);
  }

  @Test
  void udpPayloadBoundedByTheCapture() {
    byte[] f = cat(eth(0x0800), ipv4(17, 108), udp(100), new byte[100]);
    assertDecoded(ETH, Arrays.copyOf(f, 14 + 28 + 30));
    assertEquals(30, out.payloadLen);
  }

  @Test
  void udpHeaderCutByTheCapture() {
    byte[] f = cat(eth(0x0800), ipv4(17, 8), udp(0));
    assertSkipped(Kind.TRUNCATED_TRANSPORT, ETH, Arrays.copyOf(f, 14 + 20 + 4));
  }

  @Test
  void tcpDataOffsetBelow5() {
    byte[] f = Frames.ethIpv4Syn();
    f[46] = 0x40; // data offset 4
    assertSkipped(Kind.BAD_HEADER_LENGTH, ETH, f);
  }

  @Test
  void tcpDataOffsetBeyondTheCapture() {
    byte[] ip = ipv4(6, 32); // 32-byte TCP header on the wire
    byte[] tcp = tcpSyn();
    tcp[12] = (byte) 0x80; // data offset 8; only the 20 fixed bytes were captured
    assertSkipped(Kind.TRUNCATED_TRANSPORT, ETH, cat(eth(0x0800), ip, tcp));
  }

  @Test
  void tcpDataOffsetBeyondTheIpLength() {
    byte[] f = Frames.ethIpv4Syn();
    f[46] = (byte) 0xf0; // data offset 15: 60 bytes, but the IP packet holds 20
    assertSkipped(Kind.BAD_HEADER_LENGTH, ETH, cat(f, new byte[40]));
  }

  @Test
  void tcpOptionsAndPayload() {
    byte[] tcp = tcpSyn();
    tcp[12] = 0x60; // data offset 6
    tcp[13] = 0x18; // PSH ACK
    byte[] f =
        cat(eth(0x0800), ipv4(6, 29), tcp, bytes(1, 1, 1, 0), bytes('h', 'e', 'l', 'l', 'o'));
    assertDecoded(ETH, f);
    assertEquals(0x18, out.tcpFlags);
    assertEquals(14 + 20 + 24, out.payloadOff);
    assertEquals(5, out.payloadLen);
  }

  @Test
  void tcpAckNumber() {
    byte[] tcp = tcpSyn();
    tcp[8] = (byte) 0xff;
    tcp[11] = 0x01; // ack 0xff000001, above the int range
    tcp[13] = 0x12; // SYN ACK
    assertDecoded(ETH, cat(eth(0x0800), ipv4(6, 20), tcp));
    assertEquals(0xff000001L, out.tcpAck);
    assertEquals(0x12, out.tcpFlags);
  }

  @Test
  void tcpFixedHeaderCutByTheCapture() {
    assertSkipped(Kind.TRUNCATED_TRANSPORT, ETH, Arrays.copyOf(Frames.ethIpv4Syn(), 14 + 20 + 10));
  }

  @Test
  void icmpEcho() {
    assertDecoded(ETH, cat(eth(0x0800), ipv4(1, 12), icmp(8, 0), bytes(9, 9, 9, 9)));
    assertEquals(1, out.proto);
    assertEquals(8, out.icmpType);
    assertEquals(0, out.icmpCode);
    assertEquals(0, out.srcPort);
    assertEquals(4, out.payloadLen);
    assertFalse(out.innerValid);
  }

  @Test
  void icmpHeaderCutShort() {
    assertSkipped(Kind.TRUNCATED_TRANSPORT, ETH, cat(eth(0x0800), ipv4(1, 3), bytes(8, 0, 0)));
  }

  @Test
  void icmpPortUnreachableQuotingUdp() {
    byte[] quote = cat(ipv4(17, 8 + 20), udp(20)); // the datagram 10.0.0.1 sent, first 8 bytes
    byte[] f = cat(eth(0x0800), routerIpv4(8 + 28), icmp(3, 3), quote);
    assertDecoded(ETH, f);
    assertEquals("192.0.2.1", Ip.toString(out.srcHi, out.srcLo));
    assertEquals(3, out.icmpType);
    assertEquals(3, out.icmpCode);
    assertTrue(out.innerValid);
    assertEquals(Frames.SRC4_LO, out.innerSrcLo);
    assertEquals(Frames.DST4_LO, out.innerDstLo);
    assertEquals(0, out.innerSrcHi);
    assertEquals(17, out.innerProto);
    assertEquals(53000, out.innerSrcPort);
    assertEquals(53, out.innerDstPort);
  }

  @Test
  void icmpErrorWithAQuoteCutShortStillDecodes() {
    byte[] quote = Arrays.copyOf(ipv4(17, 28), 10); // only 10 bytes of the quoted header
    assertDecoded(ETH, cat(eth(0x0800), routerIpv4(18), icmp(11, 0), quote));
    assertEquals(11, out.icmpType);
    assertFalse(out.innerValid);
  }

  @Test
  void icmpErrorQuotingTcpWithoutItsPortsIsNotValid() {
    byte[] quote = cat(ipv4(6, 20), bytes(0xc0, 0x00)); // quoted TCP cut after the source port
    assertDecoded(ETH, cat(eth(0x0800), routerIpv4(8 + 22), icmp(3, 1), quote));
    assertFalse(out.innerValid);
  }

  @Test
  void icmpErrorQuotingANonFirstFragmentHasNoPorts() {
    byte[] inner = ipv4(17, 8);
    inner[7] = 0x10; // fragment offset 16
    byte[] f = cat(eth(0x0800), routerIpv4(8 + 28), icmp(3, 4), inner, new byte[8]);
    assertDecoded(ETH, f);
    assertFalse(out.innerValid);
  }

  @Test
  void icmpErrorQuotingGreIsValidWithoutPorts() {
    byte[] f = cat(eth(0x0800), routerIpv4(8 + 28), icmp(3, 2), ipv4(47, 8), new byte[8]);
    assertDecoded(ETH, f);
    assertTrue(out.innerValid);
    assertEquals(47, out.innerProto);
    assertEquals(0, out.innerSrcPort);
  }

  @Test
  void icmpv6EchoRequest() {
    assertDecoded(ETH, cat(eth(0x86dd), ipv6(58, 8 + 4), icmp(128, 0), bytes(1, 2, 3, 4)));
    assertEquals(58, out.proto);
    assertEquals(128, out.icmpType);
    assertEquals(4, out.payloadLen);
    assertFalse(out.innerValid);
  }

  @Test
  void icmpv6DestinationUnreachableQuotingTcp() {
    byte[] outer = ipv6(58, 8 + 60);
    outer[23] = 9; // source 2001:db8::9, the router
    byte[] f = cat(eth(0x86dd), outer, icmp(1, 4), ipv6(6, 20), tcpSyn());
    assertDecoded(ETH, f);
    assertEquals(1, out.icmpType);
    assertEquals(4, out.icmpCode);
    assertTrue(out.innerValid);
    assertEquals("2001:db8::1", Ip.toString(out.innerSrcHi, out.innerSrcLo));
    assertEquals("2001:db8::2", Ip.toString(out.innerDstHi, out.innerDstLo));
    assertEquals(6, out.innerProto);
    assertEquals(49152, out.innerSrcPort);
    assertEquals(443, out.innerDstPort);
  }

  @Test
  void icmpv6PacketTooBigQuotingUdpBehindAnExtensionHeader() {
    byte[] dest = bytes(17, 0, 0x01, 0x04, 0, 0, 0, 0); // destination options; next: UDP
    byte[] f = cat(eth(0x86dd), ipv6(58, 8 + 56), icmp(2, 0), ipv6(60, 16), dest, udp(0));
    assertDecoded(ETH, f);
    assertTrue(out.innerValid);
    assertEquals(17, out.innerProto);
    assertEquals(53, out.innerDstPort);
  }

  @Test
  void icmpv6NeighbourSolicitationQuotesNothing() {
    assertDecoded(ETH, cat(eth(0x86dd), ipv6(58, 24), icmp(135, 0), new byte[16]));
    assertEquals(135, out.icmpType);
    assertFalse(out.innerValid);
  }

  @Test
  void greIsAProtocolOnlyFlow() {
    assertDecoded(ETH, cat(eth(0x0800), ipv4(47, 4), bytes(0x00, 0x00, 0x08, 0x00)));
    assertEquals(47, out.proto);
    assertEquals(0, out.srcPort);
    assertEquals(0, out.dstPort);
    assertEquals(-1, out.icmpType);
    assertEquals(4, out.payloadLen);
  }

  @Test
  void sctpHasNoPortsHere() {
    assertDecoded(ETH, cat(eth(0x0800), ipv4(132, 12), bytes(0x13, 0x88, 0x13, 0x88), new byte[8]));
    assertEquals(132, out.proto);
    assertEquals(0, out.srcPort);
  }

  @Test
  void fieldsFromAPreviousPacketAreCleared() {
    assertTrue(decode(ETH, Frames.ethIpv4Syn()));
    assertTrue(decode(ETH, cat(eth(0x0800), ipv4(47, 4), new byte[4])));
    assertEquals(0, out.srcPort);
    assertEquals(0, out.tcpFlags);
    assertEquals(0, out.tcpSeq);
  }
}
