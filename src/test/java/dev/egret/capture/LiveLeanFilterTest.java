package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The --lean filter compiled by libpcap and run on hand-built Ethernet frames. */
class LiveLeanFilterTest {
  private static final int ETHERNET = 1;
  private static Predicate<byte[]> lean;

  @BeforeAll
  static void compile() {
    lean = Pcap4jLiveSource.compileFilter(LeanFilter.expression(), ETHERNET, 65535);
  }

  /** Ethernet, optionally one 802.1Q tag, IPv4 (IHL 5), then the transport bytes. */
  private static byte[] v4(boolean vlan, int proto, byte[] l4) {
    int l2 = vlan ? 18 : 14;
    byte[] f = new byte[l2 + 20 + l4.length];
    if (vlan) {
      f[12] = (byte) 0x81; // 802.1Q TPID
      f[13] = 0x00;
      f[15] = 10; // VLAN 10
      f[16] = 0x08; // inner ethertype IPv4
    } else {
      f[12] = 0x08; // ethertype IPv4
    }
    f[l2] = 0x45; // IPv4, IHL 5
    int total = 20 + l4.length;
    f[l2 + 2] = (byte) (total >> 8);
    f[l2 + 3] = (byte) total;
    f[l2 + 8] = 64; // TTL
    f[l2 + 9] = (byte) proto;
    f[l2 + 12] = 10; // source 10.98.0.1
    f[l2 + 13] = 98;
    f[l2 + 15] = 1;
    f[l2 + 16] = (byte) 203; // destination 203.0.113.9
    f[l2 + 18] = 113;
    f[l2 + 19] = 9;
    System.arraycopy(l4, 0, f, l2 + 20, l4.length);
    return f;
  }

  /** TCP header (data offset 5) from port 40000 to {@code dport}, then the payload. */
  private static byte[] tcp(int dport, int flags, byte[] payload) {
    byte[] t = new byte[20 + payload.length];
    t[0] = (byte) (40000 >> 8);
    t[1] = (byte) 40000;
    t[2] = (byte) (dport >> 8);
    t[3] = (byte) dport;
    t[12] = 0x50; // data offset 5 words
    t[13] = (byte) flags;
    System.arraycopy(payload, 0, t, 20, payload.length);
    return t;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void aSynPasses() {
    assertTrue(lean.test(v4(false, 6, tcp(443, 0x02, new byte[0]))));
  }

  @Test
  void aFinAndARstPass() {
    assertTrue(lean.test(v4(false, 6, tcp(443, 0x11, new byte[0]))));
    assertTrue(lean.test(v4(false, 6, tcp(443, 0x04, new byte[0]))));
  }

  @Test
  void aBareAckIsDropped() {
    assertFalse(lean.test(v4(false, 6, tcp(443, 0x10, new byte[0]))));
  }

  @Test
  void aMidStreamDataSegmentIsDropped() {
    assertFalse(lean.test(v4(false, 6, tcp(443, 0x18, ascii("just some bytes of a body")))));
  }

  @Test
  void aTlsClientHelloPasses() {
    // RFC 8446 5.1: record type 22 (handshake), version 3.1, length; then handshake type 1.
    byte[] hello = {0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0x00, 0x3c, 0x03, 0x03};
    assertTrue(lean.test(v4(false, 6, tcp(443, 0x18, hello))));
  }

  @Test
  void aTlsRecordOtherThanAClientHelloIsDropped() {
    byte[] serverHello = {0x16, 0x03, 0x03, 0x00, 0x40, 0x02, 0x00, 0x00, 0x3c, 0x03, 0x03};
    byte[] appData = {0x17, 0x03, 0x03, 0x00, 0x40, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06};
    assertFalse(lean.test(v4(false, 6, tcp(443, 0x18, serverHello))));
    assertFalse(lean.test(v4(false, 6, tcp(443, 0x18, appData))));
  }

  @Test
  void httpRequestLinesPass() {
    for (String m : new String[] {"GET ", "POST", "HEAD", "PUT ", "DELETE", "CONNECT", "OPTIONS"}) {
      byte[] req = ascii(m + " / HTTP/1.1\r\nHost: example.com\r\n\r\n");
      assertTrue(lean.test(v4(false, 6, tcp(8080, 0x18, req))), m);
    }
  }

  @Test
  void anHttpResponseIsDropped() {
    assertFalse(lean.test(v4(false, 6, tcp(8080, 0x18, ascii("HTTP/1.1 200 OK\r\n\r\n")))));
  }

  @Test
  void dnsOverTcpPassesWhole() {
    assertTrue(lean.test(v4(false, 6, tcp(53, 0x18, new byte[] {0, 30, 1, 2}))));
  }

  @Test
  void udpAndIcmpPass() {
    assertTrue(lean.test(v4(false, 17, new byte[] {0, 53, 0, 53, 0, 8, 0, 0})));
    assertTrue(lean.test(v4(false, 1, new byte[] {8, 0, 0, 0, 0, 1, 0, 1})));
  }

  @Test
  void everyFragmentPassesSoThatItsDatagramCanBeReassembled() {
    byte[] middle = v4(false, 6, new byte[24]); // TCP bytes past the header: a later fragment
    middle[14 + 6] = 0x20; // MF
    middle[14 + 7] = 3; // offset 24 bytes
    assertTrue(lean.test(middle));
    byte[] v6 = new byte[14 + 40 + 8 + 16];
    v6[12] = (byte) 0x86; // ethertype IPv6
    v6[13] = (byte) 0xdd;
    v6[14] = 0x60;
    v6[14 + 5] = 24; // payload length
    v6[14 + 6] = 44; // next header: fragment
    v6[14 + 40] = 17; // the fragment's next header: UDP
    v6[14 + 40 + 3] = 0x10; // offset 16 bytes, the last
    assertTrue(lean.test(v6));
  }

  @Test
  void theSameRulesHoldBehindAVlanTag() {
    assertTrue(lean.test(v4(true, 6, tcp(443, 0x02, new byte[0]))));
    assertFalse(lean.test(v4(true, 6, tcp(443, 0x10, new byte[0]))));
    assertTrue(lean.test(v4(true, 17, new byte[] {0, 53, 0, 53, 0, 8, 0, 0})));
  }

  @Test
  void aUserFilterNarrowsTheLeanOne() {
    Predicate<byte[]> p =
        Pcap4jLiveSource.compileFilter(LeanFilter.and("not port 53"), ETHERNET, 65535);
    assertFalse(p.test(v4(false, 17, new byte[] {0, 53, 0, 53, 0, 8, 0, 0})));
    assertTrue(p.test(v4(false, 6, tcp(443, 0x02, new byte[0]))));
    assertFalse(p.test(v4(false, 6, tcp(443, 0x10, new byte[0]))));
  }

  @Test
  void aBadFilterIsReportedWithTheExpression() {
    CaptureException e =
        assertThrows(
            CaptureException.class,
            () -> Pcap4jLiveSource.compileFilter("tcp port eighty", ETHERNET, 65535));
    assertTrue(e.getMessage().contains("\"tcp port eighty\""), e.getMessage());
  }
}
