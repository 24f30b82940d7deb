package dev.egret.decode;

import static dev.egret.decode.Frames.bytes;
import static dev.egret.decode.Frames.cat;
import static dev.egret.decode.Frames.eth;
import static dev.egret.decode.Frames.icmp;
import static dev.egret.decode.Frames.ipv4;
import static dev.egret.decode.Frames.ipv6;
import static dev.egret.decode.Frames.tag;
import static dev.egret.decode.Frames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The hot path allocates nothing per packet, decoded, skipped or reassembled. */
class DecoderAllocationTest {
  @Test
  void decodingAllocatesNothingPerPacket() {
    Assumptions.assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "needs the HotSpot thread allocation counter");
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    byte[][] frames = {
      Frames.ethIpv4Syn(),
      cat(
          eth(0x8100),
          tag(5, 0x86dd),
          ipv6(44, 28),
          bytes(17, 0, 0, 0, 0, 0, 0, 1), // an atomic fragment (RFC 6946): no reassembly
          udp(12),
          new byte[12]),
      cat(eth(0x0800), ipv4(1, 36), icmp(3, 3), ipv4(17, 8), udp(0)),
      Arrays.copyOf(Frames.ethIpv4Syn(), 40), // truncated: counted, not decoded
      cat(eth(0x0806), new byte[28]), // ARP
      // A datagram in two fragments: the first held, the second completes it.
      cat(eth(0x86dd), ipv6(44, 24), bytes(17, 0, 0, 1, 0, 0, 0, 2), udp(12), new byte[8]),
      cat(eth(0x86dd), ipv6(44, 12), bytes(17, 0, 0, 16, 0, 0, 0, 2), new byte[4]),
    };
    DecodeStats stats = new DecodeStats();
    PacketDecoder decoder = new PacketDecoder(stats);
    DecodedPacket out = new DecodedPacket();
    int n = 1_050_000;
    for (int i = 0; i < n; i++) { // warm up, so that the JIT has compiled the path
      byte[] f = frames[i % frames.length];
      decoder.decode(LinkTypes.ETHERNET, f, 0, f.length, out);
    }
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < n; i++) {
      byte[] f = frames[i % frames.length];
      decoder.decode(LinkTypes.ETHERNET, f, 0, f.length, out);
    }
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    assertEquals(2L * n / frames.length * 4, stats.get(DecodeStats.Kind.DECODED));
    assertEquals(2L * n / frames.length, stats.reassembled());
    // A single object per packet would be 16+ MB; allow a little for the counter itself.
    assertTrue(allocated < 64 * 1024, allocated + " bytes allocated for " + n + " packets");
  }

  @Test
  void decapsulatingAllocatesNothingPerPacket() {
    Assumptions.assumeTrue(
        ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "needs the HotSpot thread allocation counter");
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    byte[] syn = Arrays.copyOfRange(Frames.ethIpv4Syn(), 14, 54);
    byte[] vxlanHeader = bytes(0x08, 0, 0, 0, 0, 0, 123, 0);
    byte[] udpToVxlan = bytes(0x9c, 0x40, 0x12, 0xb5, 0, 8 + 8 + 54, 0, 0);
    byte[][] frames = {
      cat(eth(0x0800), ipv4(17, 8 + 8 + 54), udpToVxlan, vxlanHeader, Frames.ethIpv4Syn()),
      cat(eth(0x0800), ipv4(47, 4 + 40), bytes(0, 0, 0x08, 0x00), syn), // GRE
    };
    DecodeStats stats = new DecodeStats();
    PacketDecoder decoder = new PacketDecoder(stats, true);
    DecodedPacket out = new DecodedPacket();
    int n = 1_000_000;
    for (int i = 0; i < n; i++) {
      byte[] f = frames[i % frames.length];
      decoder.decode(LinkTypes.ETHERNET, f, 0, f.length, out);
    }
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < n; i++) {
      byte[] f = frames[i % frames.length];
      decoder.decode(LinkTypes.ETHERNET, f, 0, f.length, out);
    }
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    assertEquals(2L * n, stats.decapsulated());
    assertTrue(allocated < 64 * 1024, allocated + " bytes allocated for " + n + " packets");
  }
}
