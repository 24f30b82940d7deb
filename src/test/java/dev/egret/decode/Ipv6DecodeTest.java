package dev.egret.decode;

import static dev.egret.decode.Frames.bytes;
import static dev.egret.decode.Frames.cat;
import static dev.egret.decode.Frames.eth;
import static dev.egret.decode.Frames.ipv6;
import static dev.egret.decode.Frames.tcpSyn;
import static dev.egret.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.decode.DecodeStats.Kind;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Ipv6DecodeTest extends DecoderTestBase {
  private static final int ETH = LinkTypes.ETHERNET;

  /** Hop-by-hop options header: next header, length 0 (8 bytes), PadN of 4. */
  private static byte[] hopByHop(int next) {
    return bytes(next, 0, 0x01, 0x04, 0, 0, 0, 0);
  }

  /** Destination options header of 8 bytes. */
  private static byte[] destOptions(int next) {
    return bytes(next, 0, 0x01, 0x04, 0, 0, 0, 0);
  }

  /** Fragment header: next header, reserved, offset in 8-byte units and M flag, identification. */
  private static byte[] fragment(int next, int offset, boolean more) {
    int v = offset << 3 | (more ? 1 : 0);
    return bytes(next, 0, v >> 8, v, 0x00, 0x00, 0xbe, 0xef);
  }

  @Test
  void hopByHopThenFragmentsOfTcp() {
    byte[] syn = tcpSyn();
    byte[] first =
        cat(
            eth(0x86dd),
            ipv6(0, 8 + 8 + 16), // next: hop-by-hop
            hopByHop(44), // next: fragment
            fragment(6, 0, true), // offset 0, more fragments; next: TCP
            Arrays.copyOf(syn, 16));
    byte[] last =
        cat(
            eth(0x86dd),
            ipv6(0, 8 + 8 + 4),
            hopByHop(44),
            fragment(6, 2, false), // offset 2 (16 bytes), the last
            Arrays.copyOfRange(syn, 16, 20));
    assertFalse(decode(ETH, first));
    assertTrue(decode(ETH, last));
    assertIpv6Syn();
    assertEquals(40 + 8 + 20, out.ipLength); // without the fragment header
    assertEquals(20, out.payloadOff); // in the reassembled datagram
    assertEquals(Map.of(Kind.FRAGMENT, 1L, Kind.DECODED, 1L), stats.nonZero());
  }

  @Test
  void nonFirstFragment() {
    byte[] f = cat(eth(0x86dd), ipv6(44, 8 + 20), fragment(6, 185, false), new byte[20]);
    assertSkipped(Kind.FRAGMENT, ETH, f);
  }

  @Test
  void routingThenDestinationOptionsThenAhChain() {
    byte[] routing =
        bytes(
            60, 2, 0, 0, // next: destination options; length 2 (24 bytes); type 0; segments left 0
            0, 0, 0, 0, // reserved
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0); // one address
    byte[] ah =
        bytes(
            6, 4, 0, 0, // next: TCP; payload length 4 ((4 + 2) * 4 = 24 bytes); reserved
            0, 0, 0x10, 0x01, // SPI
            0, 0, 0, 7, // sequence number
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12); // ICV
    byte[] f = cat(eth(0x86dd), ipv6(43, 24 + 8 + 24 + 20), routing, destOptions(51), ah, tcpSyn());
    assertDecoded(ETH, f);
    assertIpv6Syn();
    assertEquals(14 + 40 + 24 + 8 + 24 + 20, out.payloadOff);
  }

  @Test
  void espEndsTheChain() {
    byte[] f = cat(eth(0x86dd), ipv6(60, 8 + 16), destOptions(50), new byte[16]);
    assertDecoded(ETH, f);
    assertEquals(50, out.proto);
    assertEquals(0, out.srcPort);
    assertEquals(16, out.payloadLen);
  }

  @Test
  void noNextHeaderEndsTheChain() {
    assertDecoded(ETH, cat(eth(0x86dd), ipv6(59, 0)));
    assertEquals(59, out.proto);
    assertEquals(0, out.payloadLen);
  }

  @Test
  void extensionHeaderLongerThanThePayloadLength() {
    byte[] opts = destOptions(6);
    opts[1] = 1; // length 1: 16 bytes, but the payload length says 8
    assertSkipped(Kind.BAD_EXTENSION_HEADER, ETH, cat(eth(0x86dd), ipv6(60, 8), opts, new byte[8]));
  }

  @Test
  void extensionHeaderCutByTheCapture() {
    byte[] f = cat(eth(0x86dd), ipv6(60, 8 + 20), destOptions(6), tcpSyn());
    assertSkipped(Kind.TRUNCATED_IP, ETH, Arrays.copyOf(f, 14 + 40 + 5));
  }

  @Test
  void chainLongerThanTheBound() {
    int n = Ipv6.MAX_EXTENSION_HEADERS + 1;
    byte[][] parts = new byte[n + 3][];
    parts[0] = eth(0x86dd);
    parts[1] = ipv6(60, n * 8 + 20);
    for (int i = 0; i < n; i++) {
      parts[2 + i] = destOptions(i == n - 1 ? 6 : 60);
    }
    parts[n + 2] = tcpSyn();
    assertSkipped(Kind.BAD_EXTENSION_HEADER, ETH, cat(parts));
  }

  @Test
  void jumbogramTakesTheCapturedLength() {
    byte[] jumbo =
        bytes(
            6, 0, 0xc2, 0x04, // next: TCP; length 0; Jumbo Payload option, 4 bytes
            0x00, 0x01, 0x00, 0x1c); // jumbo payload length 65564
    assertDecoded(ETH, cat(eth(0x86dd), ipv6(0, 0), jumbo, tcpSyn()));
    assertIpv6Syn();
    assertEquals(40 + 8 + 20, out.ipLength);
  }

  @Test
  void truncatedHeader() {
    assertSkipped(Kind.TRUNCATED_IP, ETH, Arrays.copyOf(Frames.ethIpv6Syn(), 14 + 39));
  }

  @Test
  void versionNot6BehindIpv6EtherType() {
    byte[] f = Frames.ethIpv6Syn();
    f[14] = 0x45; // version 4
    assertSkipped(Kind.BAD_IP_VERSION, ETH, f);
  }

  @Test
  void payloadLengthBeyondAWholeFrameIsBad() {
    byte[] f = Frames.ethIpv6Syn();
    f[18] = 0x05; // payload length 0x0514
    assertFalse(decodeWhole(ETH, f));
    assertEquals(1, stats.get(Kind.BAD_TOTAL_LENGTH));
  }

  @Test
  void paddingIsTrimmedToThePayloadLength() {
    byte[] f = cat(eth(0x86dd), ipv6(17, 9), udp(1), bytes(0x42), new byte[11]);
    assertDecoded(ETH, f);
    assertEquals(17, out.proto);
    assertEquals(1, out.payloadLen);
    assertEquals(49, out.ipLength);
  }
}
