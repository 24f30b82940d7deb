package dev.egret.decode;

import static dev.egret.decode.Frames.bytes;
import static dev.egret.decode.Frames.cat;
import static dev.egret.decode.Frames.eth;
import static dev.egret.decode.Frames.ipv4;
import static dev.egret.decode.Frames.tcpSyn;
import static dev.egret.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.decode.DecodeStats.Kind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ipv4DecodeTest extends DecoderTestBase {
  private static final int ETH = LinkTypes.ETHERNET;

  @Test
  void ethernetPaddingIsTrimmedToTheTotalLength() {
    byte[] f = cat(eth(0x0800), ipv4(17, 10), udp(2), bytes(0xab, 0xcd), new byte[16]);
    f[f.length - 1] = 0x55; // padding up to 60 bytes, not zero
    assertDecoded(ETH, f);
    assertEquals(30, out.ipLength);
    assertEquals(14 + 28, out.payloadOff);
    assertEquals(2, out.payloadLen);
  }

  @Test
  void ethernetPaddingAfterATcpSynIsNotPayload() {
    assertDecoded(ETH, cat(Frames.ethIpv4Syn(), new byte[6]));
    assertIpv4Syn();
  }

  @Test
  void ihl6WithOptions() {
    byte[] ip = ipv4(6, 24); // total 44: 24-byte header, 20-byte TCP
    ip[0] = 0x46; // version 4, IHL 6
    byte[] options = bytes(0x01, 0x01, 0x01, 0x00); // NOP NOP NOP EOL
    assertDecoded(ETH, cat(eth(0x0800), ip, options, tcpSyn()));
    assertIpv4Syn();
    assertEquals(44, out.ipLength);
    assertEquals(14 + 24 + 20, out.payloadOff);
  }

  @Test
  void ihlBelow5() {
    byte[] f = Frames.ethIpv4Syn();
    f[14] = 0x44; // version 4, IHL 4
    assertSkipped(Kind.BAD_HEADER_LENGTH, ETH, f);
  }

  @Test
  void totalLengthBelowHeaderLength() {
    byte[] f = Frames.ethIpv4Syn();
    f[16] = 0x00;
    f[17] = 16; // total length 16 < 20
    assertSkipped(Kind.BAD_TOTAL_LENGTH, ETH, f);
  }

  @Test
  void truncatedHeader() {
    byte[] f = Arrays.copyOf(Frames.ethIpv4Syn(), 14 + 19); // 19 of 20 header bytes
    assertSkipped(Kind.TRUNCATED_IP, ETH, f);
  }

  @Test
  void optionsCutByTheCapture() {
    byte[] f = Frames.ethIpv4Syn();
    f[14] = 0x4f; // IHL 15: 60-byte header, but the frame holds 40 bytes of IP
    f[17] = 80; // total length 80
    assertSkipped(Kind.TRUNCATED_IP, ETH, f);
  }

  @Test
  void versionNot4BehindIpv4EtherType() {
    byte[] f = Frames.ethIpv4Syn();
    f[14] = 0x65; // version 6
    assertSkipped(Kind.BAD_IP_VERSION, ETH, f);
  }

  @Test
  void nonFirstFragmentIsCountedAsFragment() {
    byte[] f = Frames.ethIpv4Syn();
    f[21] = (byte) 0xb9; // fragment offset 185 (1480 bytes), the last: held for its datagram
    assertSkipped(Kind.FRAGMENT, ETH, f);
    assertEquals(0, stats.malformed());
  }

  @Test
  void firstFragmentIsHeldForReassembly() {
    byte[] ip = ipv4(17, 16); // 16 bytes: UDP header and 8 bytes of data
    ip[6] = 0x20; // MF, offset 0
    assertSkipped(Kind.FRAGMENT, ETH, cat(eth(0x0800), ip, udp(100), new byte[8]));
    assertEquals(0, stats.malformed());
  }

  @Test
  void aMiddleFragmentWhoseLengthIsNotAMultipleOf8IsMalformed() {
    byte[] f = Frames.ethIpv4Syn(); // 20 bytes of data
    f[20] = 0x20; // MF, offset 0
    assertSkipped(Kind.BAD_FRAGMENT, ETH, f);
  }

  @Test
  void firstFragmentCutByTheSnapshotStillCarriesThePorts() {
    byte[] f = Frames.ethIpv4Syn();
    f[20] = 0x20; // MF, offset 0
    f[16] = 0x05;
    f[17] = (byte) 0xdc; // total length 1500, only 40 captured: it cannot be reassembled
    assertDecoded(ETH, f);
    assertIpv4Syn();
  }

  @Test
  void firstFragmentTooShortForTcpIsAFragmentNotMalformed() {
    byte[] ip = ipv4(6, 8); // total 28: 8 bytes of the TCP header
    ip[6] = 0x20; // MF, offset 0
    assertSkipped(Kind.FRAGMENT, ETH, cat(eth(0x0800), ip, Arrays.copyOf(tcpSyn(), 8)));
  }

  @Test
  void firstFragmentCutByTheSnapshotBeforeTheDataOffsetIsTruncated() {
    byte[] f = Frames.ethIpv4Syn();
    f[20] = 0x20; // MF, offset 0
    assertSkipped(Kind.TRUNCATED_TRANSPORT, ETH, Arrays.copyOf(f, 14 + 20 + 12)); // 12 TCP bytes
  }

  @Test
  void unfragmentedPacketTooShortForTcpIsTruncated() {
    byte[] ip = ipv4(6, 8); // total 28, no MF
    assertSkipped(Kind.TRUNCATED_TRANSPORT, ETH, cat(eth(0x0800), ip, Arrays.copyOf(tcpSyn(), 8)));
  }

  @Test
  void snapshotShorterThanTotalLengthIsFine() {
    byte[] f = Frames.ethIpv4Syn();
    f[16] = 0x05;
    f[17] = (byte) 0xdc; // total length 1500, only 40 captured
    assertTrue(decoder.decode(ETH, f, 0, f.length, 1514, out)); // wire length 1514
    assertIpv4Syn();
    assertEquals(1500, out.ipLength);
    assertTrue(decode(ETH, f)); // wire length unknown
    assertEquals(2, stats.get(Kind.DECODED));
  }

  @Test
  void totalLengthBeyondAWholeFrameIsBad() {
    byte[] f = Frames.ethIpv4Syn();
    f[16] = 0x05;
    f[17] = (byte) 0xdc; // total length 1500 in a 54-byte frame captured whole
    assertFalse(decodeWhole(ETH, f));
    assertEquals(1, stats.get(Kind.BAD_TOTAL_LENGTH));
  }

  @Test
  void zeroTotalLengthFromSegmentationOffloadTakesTheFrameLength() {
    byte[] f = cat(eth(0x0800), ipv4(6, 20), tcpSyn(), bytes(1, 2, 3));
    f[16] = 0;
    f[17] = 0; // total length 0 (TSO)
    assertDecoded(ETH, f);
    assertEquals(43, out.ipLength);
    assertEquals(3, out.payloadLen);
  }

  @Test
  void authenticationHeaderStaysTheProtocolInIpv4() {
    byte[] ah = new byte[24]; // RFC 4302 AH, payload length 4
    ah[0] = 6;
    ah[1] = 4;
    assertDecoded(ETH, cat(eth(0x0800), ipv4(51, 44), ah, tcpSyn()));
    assertEquals(51, out.proto);
    assertEquals(0, out.srcPort);
  }
}
