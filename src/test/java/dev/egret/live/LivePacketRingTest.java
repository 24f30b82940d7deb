package dev.egret.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LivePacketRingTest {
  private record Seen(int linkType, long ts, byte[] buf, int caplen, int origLen) {}

  private static List<Seen> drainAll(PacketRing r) {
    List<Seen> out = new ArrayList<>();
    r.drain((lt, ts, b, off, cap, orig) -> out.add(new Seen(lt, ts, b, cap, orig)), 1 << 20);
    return out;
  }

  @Test
  void packetsComeOutInOrderWithTheirMetadata() {
    PacketRing r = new PacketRing(8, false);
    for (int i = 0; i < 5; i++) {
      assertTrue(r.offer(1, 1000 + i, new byte[] {(byte) i}, 0, 1, 60 + i));
    }
    List<Seen> got = drainAll(r);
    assertEquals(5, got.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(1000 + i, got.get(i).ts());
      assertEquals(60 + i, got.get(i).origLen());
      assertEquals(i, got.get(i).buf()[0]);
      assertEquals(1, got.get(i).linkType());
    }
    assertEquals(0, r.size());
  }

  @Test
  void capacityRoundsUpToAPowerOfTwo() {
    assertEquals(8, new PacketRing(5, false).capacity());
    assertEquals(1024, new PacketRing(1024, false).capacity());
  }

  @Test
  void aFullRingRefusesUntilDrainedAndCountsOnlyWhatTheProducerGivesUp() {
    PacketRing r = new PacketRing(4, false);
    for (int i = 0; i < 4; i++) {
      assertTrue(r.offer(1, i, new byte[1], 0, 1, 1));
    }
    assertFalse(r.offer(1, 4, new byte[1], 0, 1, 1));
    assertEquals(0, r.drops(), "a refusal is not a drop: the producer may wait");
    r.drop();
    assertEquals(1, r.drops());
    assertEquals(4, drainAll(r).size());
    assertTrue(r.offer(1, 6, new byte[1], 0, 1, 1), "room again after draining");
  }

  @Test
  void freshBuffersArePassedOnAsTheyAre() {
    PacketRing r = new PacketRing(4, false);
    byte[] b = {1, 2, 3};
    r.offer(1, 0, b, 0, 3, 3);
    assertSame(b, drainAll(r).get(0).buf());
  }

  @Test
  void aFreshBufferMustStartAtOffsetZero() {
    PacketRing r = new PacketRing(4, false);
    assertThrows(IllegalArgumentException.class, () -> r.offer(1, 0, new byte[4], 1, 3, 3));
  }

  @Test
  void reusedBuffersAreCopied() {
    PacketRing r = new PacketRing(4, true);
    byte[] reused = {9, 8, 7, 6};
    r.offer(1, 0, reused, 1, 2, 2);
    reused[1] = 0; // the source overwrites its buffer for the next packet
    Seen s = drainAll(r).get(0);
    assertNotSame(reused, s.buf());
    assertEquals(2, s.caplen());
    assertArrayEquals(new byte[] {8, 7}, java.util.Arrays.copyOf(s.buf(), 2));
  }

  @Test
  void drainStopsAtItsBatchSize() {
    PacketRing r = new PacketRing(16, false);
    for (int i = 0; i < 10; i++) {
      r.offer(1, i, new byte[1], 0, 1, 1);
    }
    int[] n = {0};
    assertEquals(3, r.drain((lt, ts, b, off, cap, orig) -> n[0]++, 3));
    assertEquals(7, r.size());
  }

  @Test
  void aProducerThreadAndAConsumerLoseNothingAndKeepOrder() throws Exception {
    PacketRing r = new PacketRing(1024, false);
    int total = 2_000_000;
    long[] offered = {0};
    Thread producer =
        new Thread(
            () -> {
              for (int i = 0; i < total; ) {
                if (r.offer(1, i, new byte[] {(byte) i}, 0, 1, 1)) {
                  i++;
                } else {
                  Thread.onSpinWait();
                }
              }
              offered[0] = total;
            });
    long[] next = {0};
    boolean[] inOrder = {true};
    producer.start();
    while (next[0] < total) {
      r.drain(
          (lt, ts, b, off, cap, orig) -> {
            if (ts != next[0] || b[0] != (byte) ts) {
              inOrder[0] = false;
            }
            next[0]++;
          },
          256);
    }
    producer.join();
    assertTrue(inOrder[0], "packets out of order or with the wrong bytes");
    assertEquals(total, next[0]);
    assertEquals(0, r.size());
  }
}
