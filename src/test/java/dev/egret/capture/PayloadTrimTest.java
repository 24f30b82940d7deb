package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * What {@link PayloadTrim} cuts and, above all, what it leaves whole: hand-built frames of one
 * client (10.0.0.1:40000) and server (93.184.216.34:443 unless said otherwise).
 */
class PayloadTrimTest {
  private static final long SECOND = 1_000_000_000L;
  private static final int FIN = 0x01;
  private static final int SYN = 0x02;
  private static final int RST = 0x04;
  private static final int PSH_ACK = 0x18;
  private static final int ACK = 0x10;

  /** Default flow table: TCP idle 300 s, longest timeout 300 s, 943,718 flows after eviction. */
  private static PayloadTrim rules() {
    return PayloadTrim.forFlowTable(300 * SECOND, 300 * SECOND, 943_718, false);
  }

  /** Frame builder: Ethernet (optionally VLAN-tagged), IPv4 or IPv6, TCP. */
  private static final class Frame {
    int vlanTags;
    boolean v6;
    int srcPort = 40000;
    int dstPort = 443;
    boolean fromServer;
    int flags = PSH_ACK;
    int payload = 1000;
    int fragment; // IPv4 flags and fragment offset field
    int nextHeader = 6; // IPv6 next header

    byte[] build() {
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      o.writeBytes(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2});
      for (int i = 0; i < vlanTags; i++) {
        u16(o, 0x8100);
        u16(o, 100 + i);
      }
      int tcpLen = 20 + payload;
      int sp = fromServer ? dstPort : srcPort;
      int dp = fromServer ? srcPort : dstPort;
      if (v6) {
        u16(o, 0x86dd);
        o.writeBytes(new byte[] {0x60, 0, 0, 0});
        u16(o, tcpLen);
        o.write(nextHeader);
        o.write(64);
        byte[] client = new byte[16];
        client[0] = (byte) 0xfd;
        client[15] = 1;
        byte[] server = new byte[16];
        server[0] = 0x26;
        server[15] = 2;
        o.writeBytes(fromServer ? server : client);
        o.writeBytes(fromServer ? client : server);
      } else {
        u16(o, 0x0800);
        o.write(0x45);
        o.write(0);
        u16(o, 20 + tcpLen);
        u16(o, 1);
        u16(o, fragment);
        o.write(64);
        o.write(6);
        u16(o, 0);
        byte[] client = {10, 0, 0, 1};
        byte[] server = {93, (byte) 184, (byte) 216, 34};
        o.writeBytes(fromServer ? server : client);
        o.writeBytes(fromServer ? client : server);
      }
      u16(o, sp);
      u16(o, dp);
      o.writeBytes(new byte[8]); // sequence and acknowledgment numbers
      o.write(0x50);
      o.write(flags);
      o.writeBytes(new byte[6]);
      o.writeBytes(new byte[payload]);
      return o.toByteArray();
    }

    private static void u16(ByteArrayOutputStream o, int v) {
      o.write(v >>> 8);
      o.write(v);
    }
  }

  /** Bytes kept of this frame at time {@code ts} seconds. */
  private static int keep(PayloadTrim t, Frame f, long ts) {
    byte[] b = f.build();
    return t.keep(1, ts * SECOND, b, 0, b.length, b.length);
  }

  private static int whole(Frame f) {
    return f.build().length;
  }

  private static Frame syn() {
    Frame f = new Frame();
    f.flags = SYN;
    f.payload = 0;
    return f;
  }

  private static Frame data(boolean fromServer) {
    Frame f = new Frame();
    f.fromServer = fromServer;
    return f;
  }

  /** Headers and one payload byte: Ethernet 14 + IPv4 20 + TCP 20 + 1. */
  private static final int CUT = 55;

  @Test
  void afterEightPayloadSegmentsEachWayTheRestAreCut() {
    PayloadTrim t = rules();
    keep(t, syn(), 1);
    for (int i = 1; i <= 8; i++) {
      // the ClientHello, split over two segments, and what follows: all read whole
      assertEquals(whole(data(false)), keep(t, data(false), 1), "client segment " + i);
      assertEquals(whole(data(true)), keep(t, data(true), 1), "server segment " + i);
    }
    assertEquals(CUT, keep(t, data(false), 2));
    assertEquals(CUT, keep(t, data(true), 2));
    Frame ack = data(false);
    ack.payload = 0;
    assertEquals(54, keep(t, ack, 2), "a bare ACK is all headers");
    assertEquals(2, t.cut());
  }

  @Test
  void aConnectionWhoseSynWasNotSeenIsNeverCut() {
    PayloadTrim t = rules();
    for (int i = 0; i < 50; i++) {
      assertEquals(whole(data(i % 2 == 0)), keep(t, data(i % 2 == 0), 1));
    }
    assertEquals(0, t.cut());
  }

  @Test
  void dnsOverTcpIsNeverCut() {
    PayloadTrim t = rules();
    Frame s = syn();
    s.dstPort = 53;
    keep(t, s, 1);
    for (int i = 0; i < 20; i++) {
      Frame d = data(true);
      d.dstPort = 53;
      assertEquals(whole(d), keep(t, d, 1), "segment " + i);
    }
  }

  @Test
  void finOrResetForgetsTheConnection() {
    for (int close : new int[] {FIN | ACK, RST}) {
      PayloadTrim t = rules();
      keep(t, syn(), 1);
      for (int i = 0; i < 10; i++) {
        keep(t, data(true), 1);
      }
      assertEquals(CUT, keep(t, data(true), 1));
      Frame c = data(false);
      c.flags = close;
      c.payload = 0;
      keep(t, c, 1);
      assertEquals(whole(data(true)), keep(t, data(true), 1), "after flags " + close);
    }
  }

  @Test
  void aConnectionQuietForHalfTheIdleTimeoutIsForgotten() {
    PayloadTrim t = rules();
    keep(t, syn(), 1);
    for (int i = 0; i < 10; i++) {
      keep(t, data(true), 1);
    }
    assertEquals(CUT, keep(t, data(true), 100));
    assertEquals(whole(data(true)), keep(t, data(true), 251), "150 s after its last packet");
    assertEquals(whole(data(true)), keep(t, data(true), 252));
  }

  @Test
  void anotherConnectionsClockCountsToo() {
    PayloadTrim t = rules();
    keep(t, syn(), 1);
    for (int i = 0; i < 10; i++) {
      keep(t, data(true), 1);
    }
    Frame other = data(true);
    other.srcPort = 50000; // no SYN seen: whole, but its time moves the clock
    keep(t, other, 200);
    assertEquals(whole(data(true)), keep(t, data(true), 2), "the table's clock is at 200 s");
  }

  @Test
  void aNewSynCountsAgain() {
    PayloadTrim t = rules();
    keep(t, syn(), 1);
    for (int i = 0; i < 10; i++) {
      keep(t, data(false), 1);
    }
    keep(t, syn(), 2);
    assertEquals(whole(data(false)), keep(t, data(false), 2));
  }

  @Test
  void vlanTagsAndIpv6AreParsed() {
    PayloadTrim t = rules();
    Frame s = syn();
    s.vlanTags = 2;
    s.v6 = true;
    keep(t, s, 1);
    for (int i = 0; i < 8; i++) {
      Frame d = data(true);
      d.vlanTags = 2;
      d.v6 = true;
      assertEquals(whole(d), keep(t, d, 1));
    }
    Frame d = data(true);
    d.vlanTags = 2;
    d.v6 = true;
    assertEquals(14 + 8 + 40 + 20 + 1, keep(t, d, 1));
  }

  @Test
  void anythingNotParsedHereMakesEveryConnectionUnknown() {
    Frame fragment = data(false);
    fragment.fragment = 0x2000; // IPv4 more fragments: a TCP segment the decoder may reassemble
    Frame extension = data(false);
    extension.v6 = true;
    extension.nextHeader = 0; // IPv6 hop-by-hop options, which the decoder walks to TCP
    Frame deepVlan = data(false);
    deepVlan.vlanTags = 5;
    for (Frame odd : new Frame[] {fragment, extension, deepVlan}) {
      PayloadTrim t = rules();
      keep(t, syn(), 1);
      for (int i = 0; i < 10; i++) {
        keep(t, data(true), 1);
      }
      assertEquals(CUT, keep(t, data(true), 1));
      assertEquals(whole(odd), keep(t, odd, 1));
      assertEquals(whole(data(true)), keep(t, data(true), 1));
    }
    PayloadTrim t = rules();
    keep(t, syn(), 1);
    for (int i = 0; i < 10; i++) {
      keep(t, data(true), 1);
    }
    byte[] ppp = data(true).build();
    assertEquals(ppp.length, t.keep(9, SECOND, ppp, 0, ppp.length, ppp.length), "PPP link");
    assertEquals(whole(data(true)), keep(t, data(true), 1));
  }

  @Test
  void nothingIsCutWhileTheFlowTableMayBeEndingFlowsToMakeRoom() {
    // a table keeping 100 flows after eviction: 101 packets within the longest timeout may fill it
    PayloadTrim t = PayloadTrim.forFlowTable(300 * SECOND, 300 * SECOND, 100, false);
    keep(t, syn(), 1);
    for (int i = 0; i < 10; i++) {
      keep(t, data(true), 1);
    }
    assertEquals(CUT, keep(t, data(true), 1));
    for (int i = 0; i < 100; i++) {
      keep(t, data(true), 2);
    }
    keep(t, syn(), 3);
    for (int i = 0; i < 10; i++) {
      keep(t, data(true), 3);
    }
    assertEquals(whole(data(true)), keep(t, data(true), 3), "113 packets in 300 s");
    // 600 s later the old packets are out of the window: the connection is cut again after a SYN
    keep(t, syn(), 700);
    for (int i = 0; i < 8; i++) {
      keep(t, data(true), 700);
    }
    assertEquals(CUT, keep(t, data(true), 700));
  }

  @Test
  void decapsulatingCutsNothing() {
    assertEquals(null, PayloadTrim.forFlowTable(300 * SECOND, 300 * SECOND, 1000, true));
  }

  @Test
  void udpIsNeverCut() {
    PayloadTrim t = rules();
    byte[] b = data(false).build();
    b[14 + 9] = 17; // UDP
    for (int i = 0; i < 20; i++) {
      assertEquals(b.length, t.keep(1, SECOND, b, 0, b.length, b.length));
    }
  }
}
