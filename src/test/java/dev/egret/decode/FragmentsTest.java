package dev.egret.decode;

import static dev.egret.decode.Frames.bytes;
import static dev.egret.decode.Frames.cat;
import static dev.egret.decode.Frames.eth;
import static dev.egret.decode.Frames.ipv4;
import static dev.egret.decode.Frames.ipv6;
import static dev.egret.decode.Frames.tcpSyn;
import static dev.egret.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.decode.DecodeStats.Kind;
import dev.egret.net.Ip;
import dev.egret.testutil.SharedPcaps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IPv4 and IPv6 fragment reassembly: hand-annotated fragments (in order, reversed, repeated,
 * overlapping, oversized, timed out, too many at once) and the fragmented datagrams of public
 * captures (Zeek's IPv6 DNS answer, Suricata's fragmented SYNs, Zeek's overlap flood).
 */
class FragmentsTest extends DecoderTestBase {
  private static final int ETH = LinkTypes.ETHERNET;
  private static final long SECOND = 1_000_000_000L;

  /** A UDP 53000 -> 53 datagram with {@code n} bytes of data, byte i being i. */
  private static byte[] udpDatagram(int n) {
    byte[] data = new byte[n];
    for (int i = 0; i < n; i++) {
      data[i] = (byte) i;
    }
    return cat(udp(n), data);
  }

  /**
   * An Ethernet IPv4 fragment of {@code datagram} (the IP payload): bytes [from, to) with the
   * identification {@code id} and MF unless it is the last.
   */
  private static byte[] v4(byte[] datagram, int from, int to, int id, int proto) {
    byte[] ip = ipv4(proto, to - from);
    ip[4] = (byte) (id >> 8);
    ip[5] = (byte) id;
    boolean more = to < datagram.length;
    int flagsOffset = (more ? 0x2000 : 0) | from / 8; // DF cleared
    ip[6] = (byte) (flagsOffset >> 8);
    ip[7] = (byte) flagsOffset;
    return cat(eth(0x0800), ip, Arrays.copyOfRange(datagram, from, to));
  }

  /** An Ethernet IPv6 fragment: a fragment header (next header UDP) before bytes [from, to). */
  private static byte[] v6(byte[] datagram, int from, int to, long id) {
    boolean more = to < datagram.length;
    int offsetFlags = from | (more ? 1 : 0); // offset in 8-byte units, shifted left by 3
    byte[] fragmentHeader =
        bytes(
            17,
            0, // next header UDP; reserved
            offsetFlags >> 8,
            offsetFlags, // fragment offset, M flag
            (int) (id >> 24),
            (int) (id >> 16),
            (int) (id >> 8),
            (int) id); // identification
    return cat(
        eth(0x86dd),
        ipv6(44, 8 + to - from),
        fragmentHeader,
        Arrays.copyOfRange(datagram, from, to));
  }

  private boolean feed(byte[] frame, long ts) {
    return decoder.decode(ETH, ts, frame, 0, frame.length, frame.length, out);
  }

  private void assertWholeDatagram(byte[] datagram) {
    assertEquals(17, out.proto);
    assertEquals(53000, out.srcPort);
    assertEquals(53, out.dstPort);
    assertEquals(datagram.length - 8, out.payloadLen);
    assertArrayEquals(
        Arrays.copyOfRange(datagram, 8, datagram.length),
        Arrays.copyOfRange(out.buf, out.payloadOff, out.payloadOff + out.payloadLen));
  }

  @Test
  void ipv4FragmentsInOrderGiveTheWholeDatagramOnceTheLastCame() {
    byte[] d = udpDatagram(2992); // 3000 bytes: 1480 + 1480 + 40
    assertFalse(feed(v4(d, 0, 1480, 7, 17), 0));
    assertFalse(feed(v4(d, 1480, 2960, 7, 17), 1));
    assertTrue(feed(v4(d, 2960, 3000, 7, 17), 2));
    assertWholeDatagram(d);
    assertEquals("10.0.0.1", Ip.toString(out.srcHi, out.srcLo));
    assertEquals(20 + 3000, out.ipLength);
    assertEquals(Map.of(Kind.FRAGMENT, 2L, Kind.DECODED, 1L), stats.nonZero());
    assertEquals(1, stats.reassembled());
    assertEquals(0, stats.incomplete());
  }

  @Test
  void ipv4FragmentsInReverseOrderToo() {
    byte[] d = udpDatagram(1592);
    assertFalse(feed(v4(d, 800, 1600, 9, 17), 0));
    assertTrue(feed(v4(d, 0, 800, 9, 17), 0));
    assertWholeDatagram(d);
  }

  @Test
  void aTinyFirstFragmentStillGivesThePortsOfTheSyn() {
    // RFC 1858: 8 bytes of TCP header in the first fragment, the rest (flags included) after.
    byte[] syn = tcpSyn();
    assertFalse(feed(v4(syn, 0, 8, 1, 6), 0));
    assertTrue(feed(v4(syn, 8, 20, 1, 6), 0));
    assertIpv4Syn();
  }

  @Test
  void anExactRepeatIsIgnoredButAnOverlapWithOtherBytesDropsTheDatagram() {
    byte[] d = udpDatagram(2392); // 2400 bytes
    assertFalse(feed(v4(d, 0, 1200, 3, 17), 0));
    assertFalse(feed(v4(d, 0, 1200, 3, 17), 0)); // the capture saw it twice
    assertTrue(feed(v4(d, 1200, 2400, 3, 17), 0));
    assertEquals(0, stats.get(Kind.FRAGMENT_OVERLAP));

    byte[] other = d.clone();
    other[1000] ^= 0x55; // same place, other bytes: what a reassembler would have to choose
    assertFalse(feed(v4(d, 0, 1200, 4, 17), 0));
    assertFalse(feed(v4(other, 800, 1600, 4, 17), 0));
    assertFalse(feed(v4(d, 1600, 2400, 4, 17), 0));
    assertEquals(1, stats.get(Kind.FRAGMENT_OVERLAP));
    assertEquals(1, stats.reassembled());
    assertEquals(1, stats.malformed());
  }

  @Test
  void aFragmentEndingPast65535BytesIsMalformed() {
    byte[] ip = ipv4(17, 100);
    ip[6] = (byte) 0x1f; // offset 8185 units: 65480 bytes, + 100 > 65535 (the ping of death)
    ip[7] = (byte) 0xf9;
    assertSkipped(Kind.BAD_FRAGMENT, ETH, cat(eth(0x0800), ip, new byte[100]));
  }

  @Test
  void aMiddleFragmentNotAMultipleOf8IsMalformed() {
    byte[] d = udpDatagram(100);
    assertSkipped(Kind.BAD_FRAGMENT, ETH, v4(d, 0, 50, 1, 17));
  }

  @Test
  void aDatagramNotCompleteWithin30SecondsIsDropped() {
    byte[] d = udpDatagram(1592);
    assertFalse(feed(v4(d, 0, 800, 5, 17), 0));
    assertFalse(feed(v4(d, 800, 1600, 5, 17), 31 * SECOND));
    assertEquals(1, stats.incomplete());
    decoder.finish();
    assertEquals(2, stats.incomplete()); // the last fragment, held alone, at the end of input
    assertEquals(0, stats.reassembled());
  }

  @Test
  void atMost64DatagramsAreHeldTheOldestGoesFirst() {
    byte[] d = udpDatagram(1592);
    for (int id = 0; id < 100; id++) {
      assertFalse(feed(v4(d, 0, 800, id, 17), id));
    }
    assertEquals(100 - Fragments.SLOTS, stats.incomplete());
    assertFalse(feed(v4(d, 800, 1600, 0, 17), 100)); // datagram 0 was pushed out
    assertTrue(feed(v4(d, 800, 1600, 99, 17), 100));
    assertWholeDatagram(d);
  }

  @Test
  void fragmentsOfAnotherDatagramOrProtocolDoNotMix() {
    byte[] d = udpDatagram(1592);
    assertFalse(feed(v4(d, 0, 800, 1, 17), 0));
    assertFalse(feed(v4(d, 800, 1600, 2, 17), 0)); // another identification
    assertFalse(feed(v4(d, 800, 1600, 1, 6), 0)); // another protocol (RFC 791 3.2)
    assertTrue(feed(v4(d, 800, 1600, 1, 17), 0));
  }

  @Test
  void ipv6FragmentsGiveTheWholeDatagram() {
    byte[] d = udpDatagram(3000);
    assertFalse(feed(v6(d, 1432, 2864, 0x01020304L), 0));
    assertFalse(feed(v6(d, 0, 1432, 0x01020304L), 0));
    assertTrue(feed(v6(d, 2864, 3008, 0x01020304L), 0));
    assertWholeDatagram(d);
    assertEquals(6, out.ipVersion);
    assertEquals("2001:db8::1", Ip.toString(out.srcHi, out.srcLo));
    assertEquals(40 + 3008, out.ipLength);
  }

  @Test
  void anIpv6AtomicFragmentIsNoFragment() {
    byte[] d = udpDatagram(8);
    byte[] f = v6(d, 0, 16, 5); // offset 0, no M: RFC 6946
    assertTrue(feed(f, 0));
    assertWholeDatagram(d);
    assertEquals(0, stats.get(Kind.FRAGMENT));
  }

  @Test
  void zeeksFragmentedIpv6DnsAnswerIsReadWhole() throws IOException {
    // Three fragments (0|1432, 1432|1432, 2864|374) of a 3238-byte UDP datagram: the TXT answer
    // for txtpadding_3230; an earlier answer of which only the last fragment was captured.
    List<TinyPcap.Packet> packets =
        TinyPcap.read(SharedPcaps.file("real/zeek/ipv6-fragmented-dns.pcap"));
    List<String> names = new ArrayList<>();
    for (TinyPcap.Packet p : packets) {
      if (decoder.decode(p.linkType(), p.data(), 0, p.data().length, p.origLen(), out)
          && out.srcPort == 53
          && out.payloadLen > 1500) {
        assertEquals(3230, out.payloadLen);
        assertEquals(51851, out.dstPort);
        DnsMessage.parseResponse(
            out.buf,
            out.payloadOff,
            out.payloadLen,
            new DnsMessage.DnsSink() {
              @Override
              public void question(String qname, int qtype, int rcode) {
                names.add(qname);
              }

              @Override
              public void answer(String qname, long addrHi, long addrLo, long ttl) {}
            });
      }
    }
    assertEquals(List.of("txtpadding_3230.n1.netalyzr.icsi.berkeley.edu"), names);
    decoder.finish();
    assertEquals(1, stats.reassembled());
    assertEquals(1, stats.incomplete());
  }

  @Test
  void suricatasSynSplitIntoThree8ByteFragmentsHasItsPorts() throws IOException {
    for (String f :
        List.of(
            "real/suricata-verify/bug-6887-defrag-ipv4-tcp-syn.pcap",
            "real/suricata-verify/bug-6887-defrag-eth-vlan-ipv4-tcp-syn.pcap",
            "real/suricata-verify/bug-6887-defrag-ppp-ipv4-tcp-syn.pcap")) {
      List<String> got = new ArrayList<>();
      for (TinyPcap.Packet p : TinyPcap.read(SharedPcaps.file(f))) {
        if (decoder.decode(p.linkType(), p.data(), 0, p.data().length, p.origLen(), out)) {
          got.add(
              Ip.toString(out.srcHi, out.srcLo)
                  + ":"
                  + out.srcPort
                  + " > "
                  + Ip.toString(out.dstHi, out.dstLo)
                  + ":"
                  + out.dstPort
                  + " flags "
                  + out.tcpFlags);
        }
      }
      assertEquals(List.of("1.1.1.1:12345 > 2.2.2.2:8080 flags 2"), got, f);
    }
  }

  @Test
  void zeeksTwoLargestDatagramsAreReassembledWithin64KiB() throws IOException {
    // Two datagrams of 46 fragments each, 65,528 bytes: the largest an IPv6 fragment chain holds.
    List<TinyPcap.Packet> packets =
        TinyPcap.read(SharedPcaps.file("malformed/zeek/ipv6-reassembly-state-leak.pcap"));
    for (TinyPcap.Packet p : packets) {
      decoder.decode(p.linkType(), p.data(), 0, p.data().length, p.origLen(), out);
    }
    decoder.finish();
    long counted = stats.nonZero().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(packets.size(), counted);
    assertEquals(2, stats.reassembled());
    assertEquals(0, stats.incomplete());
    assertEquals(90, stats.get(Kind.FRAGMENT));
  }
}
