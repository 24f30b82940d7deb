package dev.egret.drops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** NFLOG records as libpcap delivers them, byte by byte, and every way one can be cut or forged. */
class NflogRecordTest {
  static final long T = 1_790_000_000_000_000_000L;

  /** A record as captured by tcpdump -i nflog:7 on x86: TLV length and type little-endian. */
  static final String TCP_SYN_UID_1001 =
      "02 00 0007" // AF_INET, version 0, group 7
          + "0800 0100 0800 0300" // NFULA_PACKET_HDR: hw protocol 0x0800, hook 3 (output)
          + "1000 0a00 65677265742d64726f702000" // NFULA_PREFIX "egret-drop \0"
          + "0800 0500 00000003" // NFULA_IFINDEX_OUTDEV 3
          + "0800 0b00 000003e9" // NFULA_UID 1001 (big-endian value)
          + "0800 0e00 000003e9" // NFULA_GID 1001
          + "1c00 0900" // NFULA_PAYLOAD, 24 bytes
          + "45000014 92734000 4006 93a5 0a4d0001 0a4d0009" // IPv4 10.77.0.1 > 10.77.0.9, TCP
          + "b86e 0019"; // TCP source port 47214, destination port 25 (cut after the ports)

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void aCapturedTcpSynWithItsUser() {
    byte[] b = hex(TCP_SYN_UID_1001);
    DropEvent e = NflogRecord.parse(b, 0, b.length, T, "egret-drop ");
    assertEquals(new DropEvent(T, false, "10.77.0.1", "10.77.0.9", "tcp", 25, 1001, 47214, 20), e);
    assertTrue(NflogRecord.hasPrefix(b, 0, b.length, "egret-drop"));
  }

  @Test
  void readAtAnOffsetInALargerBuffer() {
    byte[] r = hex(TCP_SYN_UID_1001);
    byte[] b = new byte[r.length + 10];
    System.arraycopy(r, 0, b, 7, r.length);
    assertEquals(25, NflogRecord.parse(b, 7, r.length, T, "egret-drop ").port());
  }

  /** Builds a record with the TLV headers in either byte order. */
  static byte[] record(boolean little, String prefix, Integer uid, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(hex("0a 00 0005"));
    tlv(out, little, 1, hex("86dd 0300"));
    if (prefix != null) {
      byte[] p = (prefix + "\0").getBytes(StandardCharsets.ISO_8859_1);
      tlv(out, little, 10, p);
    }
    if (uid != null) {
      tlv(out, little, 11, new byte[] {0, 0, (byte) (uid >> 8), (byte) (int) uid});
    }
    if (payload != null) {
      tlv(out, little, 9, payload);
    }
    return out.toByteArray();
  }

  static void tlv(ByteArrayOutputStream out, boolean little, int type, byte[] v) {
    int l = 4 + v.length;
    if (little) {
      out.write(l & 0xff);
      out.write(l >> 8);
      out.write(type & 0xff);
      out.write(type >> 8);
    } else {
      out.write(l >> 8);
      out.write(l & 0xff);
      out.write(type >> 8);
      out.write(type & 0xff);
    }
    out.writeBytes(v);
    for (int i = l; i % 4 != 0; i++) {
      out.write(0);
    }
  }

  /** IPv6 fd20::10 > 2001:db8::25, a hop-by-hop header, then UDP to port 5353. */
  static final byte[] V6_HOP_BY_HOP_UDP =
      hex(
          "60000000 0010 00 40" // version 6, payload 16, next header 0 (hop-by-hop), hop limit
              + "fd200000000000000000000000000010"
              + "20010db8000000000000000000000025"
              + "11 00 0000 00000000" // hop-by-hop: next 17 (UDP), length 0 (8 bytes), padding
              + "9c40 14e9 0008 0000"); // UDP 40000 -> 5353

  @Test
  void ipv6PastItsExtensionHeadersInEitherByteOrder() {
    for (boolean little : new boolean[] {true, false}) {
      byte[] b = record(little, "egret-drop ", 33, V6_HOP_BY_HOP_UDP);
      assertEquals(
          new DropEvent(T, false, "fd20::10", "2001:db8::25", "udp", 5353, 33, 40000, 56),
          NflogRecord.parse(b, 0, b.length, T, "egret-drop "),
          little ? "little-endian" : "big-endian");
    }
  }

  @Test
  void noUidIsMinusOneAndIcmpGivesItsType() {
    byte[] echo = hex("45000054 00004000 4001 0000 0a000005 08080808 0800 0000");
    byte[] b = record(true, "egret-drop ", null, echo);
    assertEquals(
        new DropEvent(T, false, "10.0.0.5", "8.8.8.8", "icmp", 8, -1, 0, 84),
        NflogRecord.parse(b, 0, b.length, T, "egret-drop "));
  }

  @Test
  void aLaterFragmentHasNoPort() {
    byte[] frag = hex("45000014 0000 0010 4011 0000 0a000005 0a000009");
    byte[] b = record(true, "egret-drop ", null, frag);
    assertEquals(0, NflogRecord.parse(b, 0, b.length, T, "egret-drop ").port());
  }

  @Test
  void otherRulesRecordsAreNotEvents() {
    byte[] b = record(true, "other-rule", null, V6_HOP_BY_HOP_UDP);
    assertNull(NflogRecord.parse(b, 0, b.length, T, "egret-drop "));
    assertFalse(NflogRecord.hasPrefix(b, 0, b.length, "egret-drop "));
    byte[] none = record(true, null, null, V6_HOP_BY_HOP_UDP);
    assertNull(NflogRecord.parse(none, 0, none.length, T, "egret-drop "));
    assertFalse(NflogRecord.hasPrefix(none, 0, none.length, "egret-drop "));
  }

  @Test
  void cutOrForgedRecordsAreNullNeverAnException() {
    byte[] good = hex(TCP_SYN_UID_1001);
    for (int len = 0; len < good.length; len++) {
      DropEvent e = NflogRecord.parse(good, 0, len, T, "egret-drop ");
      // Cut inside the TLVs: the walk fails; cut only the TCP ports: the event has no port.
      if (e != null) {
        assertEquals("10.77.0.9", e.destination(), "cut at " + len);
      }
    }
    byte[] noPayload = record(true, "egret-drop ", 1, null);
    assertNull(NflogRecord.parse(noPayload, 0, noPayload.length, T, "egret-drop "));
    byte[] shortIp = record(true, "egret-drop ", 1, hex("4500 0014 0000"));
    assertNull(NflogRecord.parse(shortIp, 0, shortIp.length, T, "egret-drop "));
    byte[] badIhl =
        record(true, "egret-drop ", 1, hex("4f000014 00000000 4006 0000 0a000001 0a000009"));
    assertNull(NflogRecord.parse(badIhl, 0, badIhl.length, T, "egret-drop "));
    byte[] notIp = record(true, "egret-drop ", 1, hex("00112233 44556677"));
    assertNull(NflogRecord.parse(notIp, 0, notIp.length, T, "egret-drop "));
    byte[] zeroLength = hex("02000007 0000 0a00 41414141");
    assertNull(NflogRecord.parse(zeroLength, 0, zeroLength.length, T, "egret-drop "));
    byte[] loop =
        record(
            true,
            "egret-drop ",
            1,
            hex("60000000 0008 2c 40" + "00".repeat(32) + "2c000001 00000000"));
    DropEvent frag = NflogRecord.parse(loop, 0, loop.length, T, "egret-drop ");
    assertEquals(0, frag.port(), "a fragment header chain ends without a port");
  }
}
