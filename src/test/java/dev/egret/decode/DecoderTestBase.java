package dev.egret.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.decode.DecodeStats.Kind;
import dev.egret.net.Ip;
import java.util.Map;

/** A fresh decoder, stats and scratch packet per test, with the assertions the tests share. */
abstract class DecoderTestBase {
  final DecodeStats stats = new DecodeStats();
  final PacketDecoder decoder = new PacketDecoder(stats);
  final DecodedPacket out = new DecodedPacket();

  boolean decode(int linkType, byte[] frame) {
    return decoder.decode(linkType, frame, 0, frame.length, out);
  }

  /** Decodes a frame that was captured whole: its wire length is its captured length. */
  boolean decodeWhole(int linkType, byte[] frame) {
    return decoder.decode(linkType, frame, 0, frame.length, frame.length, out);
  }

  void assertDecoded(int linkType, byte[] frame) {
    assertTrue(decode(linkType, frame), () -> "not decoded: " + stats.nonZero());
    assertEquals(Map.of(Kind.DECODED, 1L), stats.nonZero());
  }

  void assertSkipped(Kind kind, int linkType, byte[] frame) {
    assertFalse(decode(linkType, frame), "decoded, expected " + kind);
    assertEquals(Map.of(kind, 1L), stats.nonZero());
  }

  /** The fields of {@link Frames#tcpSyn()} over {@link Frames#ipv4}. */
  void assertIpv4Syn() {
    assertEquals(4, out.ipVersion);
    assertEquals(0, out.srcHi);
    assertEquals(Frames.SRC4_LO, out.srcLo);
    assertEquals("10.0.0.1", Ip.toString(out.srcHi, out.srcLo));
    assertEquals("93.184.216.34", Ip.toString(out.dstHi, out.dstLo));
    assertSyn();
  }

  void assertIpv6Syn() {
    assertEquals(6, out.ipVersion);
    assertEquals("2001:db8::1", Ip.toString(out.srcHi, out.srcLo));
    assertEquals("2001:db8::2", Ip.toString(out.dstHi, out.dstLo));
    assertSyn();
  }

  private void assertSyn() {
    assertEquals(6, out.proto);
    assertEquals(49152, out.srcPort);
    assertEquals(443, out.dstPort);
    assertEquals(0x02, out.tcpFlags);
    assertEquals(0x01020304L, out.tcpSeq);
    assertEquals(-1, out.icmpType);
    assertEquals(0, out.payloadLen);
  }
}
