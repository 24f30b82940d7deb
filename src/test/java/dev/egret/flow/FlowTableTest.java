package dev.egret.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlowTableTest {
  /** A flow's key as the model holds it. */
  private record Key(long aHi, long aLo, int aPort, long bHi, long bLo, int bPort, int proto) {}

  private static Key randomKey(Random rnd) {
    // Few distinct values, so that keys collide in all but one field and probe chains grow long.
    long hi = rnd.nextInt(4) == 0 ? rnd.nextLong() : 0;
    return new Key(
        hi,
        0x0000_ffff_0000_0000L | rnd.nextInt(8),
        rnd.nextInt(4),
        hi == 0 ? 0 : rnd.nextLong(),
        0x0000_ffff_0000_0000L | rnd.nextInt(8),
        rnd.nextInt(65536),
        rnd.nextBoolean() ? 6 : 17);
  }

  /**
   * Random inserts, lookups in both directions, counter updates and removals against a map, over
   * growth and tombstone rebuilds: every field of every row must survive.
   */
  @Test
  void agreesWithAMapThroughGrowthAndRebuilds() {
    Random rnd = new Random(7);
    FlowTable t = new FlowTable(16, 5000);
    Map<Key, long[]> model = new HashMap<>(); // id, packets a, bytes a, packets b, flags, spare
    List<Key> keys = new ArrayList<>();
    long nextId = 0;
    for (int step = 0; step < 200_000; step++) {
      Key k = randomKey(rnd);
      boolean reverse = rnd.nextBoolean();
      int slot =
          reverse
              ? t.find(k.bHi, k.bLo, k.bPort, k.aHi, k.aLo, k.aPort, k.proto)
              : t.find(k.aHi, k.aLo, k.aPort, k.bHi, k.bLo, k.bPort, k.proto);
      long[] m = model.get(k);
      assertEquals(m != null, slot >= 0, "present at step " + step);
      if (slot < 0) {
        if (t.full(4000)) {
          continue;
        }
        slot = t.insert(k.aHi, k.aLo, k.aPort, k.bHi, k.bLo, k.bPort, k.proto, nextId);
        t.setRule(slot, (int) (nextId % 5));
        t.setTimes(slot, step, step);
        model.put(k, new long[] {nextId++, 0, 0, 0, 0, 0});
        keys.add(k);
        continue;
      }
      assertEquals(reverse, t.foundReverse);
      assertEquals(m[0], t.id(slot));
      assertEquals(k.aPort, t.initPort(slot));
      assertEquals(k.bPort, t.respPort(slot));
      assertEquals(k.proto, t.protoOf(slot));
      assertEquals(k.aLo, t.aLo(slot));
      assertEquals(k.bHi, t.bHi(slot));
      assertEquals(m[0] % 5, t.rule(slot));
      assertEquals(m[1], t.aPackets(slot));
      assertEquals(m[2], t.aBytes(slot));
      assertEquals(m[3], t.bPackets(slot));
      assertEquals((int) m[4], t.flags(slot));
      assertEquals((byte) m[5], t.spare(slot));
      switch (rnd.nextInt(4)) {
        case 0 -> {
          t.remove(slot);
          model.remove(k);
        }
        case 1 -> {
          int flags = rnd.nextInt();
          t.account(slot, step, !reverse, 100, true, flags);
          m[4] = flags;
          if (reverse) {
            m[3]++;
          } else {
            m[1]++;
            m[2] += 100;
          }
          assertEquals(step, t.last(slot));
        }
        case 2 -> {
          byte spare = (byte) rnd.nextInt();
          t.setSpare(slot, spare);
          m[5] = spare;
        }
        default -> {
          // only looked up
        }
      }
    }
    assertEquals(model.size(), t.size);
    assertTrue(keys.size() > 4000, "enough inserts to grow and rebuild: " + keys.size());
    int[] order = t.slotsInCreationOrder();
    assertEquals(model.size(), order.length);
    for (int i = 1; i < order.length; i++) {
      assertTrue(t.id(order[i - 1]) < t.id(order[i]));
    }
  }

  @Test
  void payloadPacketsAndFlagsShareAWordWithoutMixing() {
    FlowTable t = new FlowTable(16, 100);
    int s = t.insert(0, 1, 2, 0, 3, 4, 17, 0);
    t.account(s, 10, true, 50, true, -1);
    t.account(s, 5, true, 50, true, 0x7fff_ffff);
    t.account(s, 20, false, 60, true, 0);
    assertEquals(2, t.aPayloadPackets(s));
    assertEquals(0, t.flags(s));
    assertEquals(20, t.last(s));
    assertEquals(100, t.aBytes(s));
    assertEquals(60, t.bBytes(s));
    t.setFlags(s, -1);
    assertEquals(-1, t.flags(s));
    assertEquals(2, t.aPayloadPackets(s));
  }

  @Test
  void aRemovedFlowIsNotFoundAndItsSlotIsReused() {
    FlowTable t = new FlowTable(16, 100);
    int s = t.insert(0, 1, 2, 0, 3, 4, 6, 0);
    t.remove(s);
    assertFalse(t.used(s));
    assertEquals(-1, t.find(0, 1, 2, 0, 3, 4, 6));
    assertEquals(s, t.insert(0, 1, 2, 0, 3, 4, 6, 1));
    assertEquals(0, t.aPackets(s), "a reused slot starts from zero");
  }

  /**
   * The sweep's scan: from any slot, the next used slot whose flow is idle past its limit (closed
   * TCP flows the linger, others their protocol's timeout), the same slots in the same order as
   * checking every slot one by one.
   */
  @Test
  void nextIdleFindsTheSlotsASlotBySlotCheckFinds() {
    Random rnd = new Random(11);
    int[] protos = {6, 17, 1, 58, 47};
    for (int round = 0; round < 20; round++) {
      FlowTable t = new FlowTable(64, 1000);
      for (int i = 0; i < 300; i++) {
        int proto = protos[rnd.nextInt(protos.length)];
        int slot = t.insert(0, rnd.nextLong(), rnd.nextInt(65536), 0, i, 80, proto, i);
        long last = rnd.nextInt(1000);
        t.setTimes(slot, 0, last);
        if (rnd.nextInt(3) == 0) {
          t.setFlags(slot, rnd.nextBoolean() ? FlowFlags.RST_BY_INIT : FlowFlags.ANSWERED);
        }
        if (rnd.nextInt(5) == 0) {
          t.remove(slot);
        }
      }
      long at = 1000;
      long closed = rnd.nextInt(200);
      long tcp = rnd.nextInt(1000);
      long udp = rnd.nextInt(1000);
      long icmp = rnd.nextInt(1000);
      List<Integer> expected = new ArrayList<>();
      for (int s = 0; s < t.capacity; s++) {
        if (!t.used(s)) {
          continue;
        }
        int proto = t.protoOf(s);
        long limit =
            FlowFlags.closed(t.flags(s))
                ? closed
                : proto == 6 ? tcp : proto == 1 || proto == 58 ? icmp : udp;
        if (at - t.last(s) > limit) {
          expected.add(s);
        }
      }
      List<Integer> found = new ArrayList<>();
      for (int s = t.nextIdle(0, at, closed, tcp, udp, icmp);
          s >= 0;
          s = t.nextIdle(s + 1, at, closed, tcp, udp, icmp)) {
        found.add(s);
      }
      assertEquals(expected, found, "round " + round);
      assertFalse(expected.isEmpty(), "round " + round + " found nothing idle");
      assertEquals(-1, t.nextIdle(t.capacity, at, closed, tcp, udp, icmp));
    }
    FlowTable small = new FlowTable(16, 16); // fewer slots than a word of the bitmap
    int s = small.insert(0, 1, 2, 0, 3, 4, 17, 0);
    small.setTimes(s, 0, 0);
    assertEquals(s, small.nextIdle(0, 10, 5, 5, 5, 5));
    assertEquals(-1, small.nextIdle(s + 1, 10, 5, 5, 5, 5));
    small.remove(s);
    assertEquals(-1, small.nextIdle(0, 10, 5, 5, 5, 5));
  }

  @Test
  void maxFlowsIsBounded() {
    FlowConfig d = FlowConfig.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.withMaxFlows(FlowConfig.MAX_FLOWS + 1));
    assertEquals(FlowConfig.MAX_FLOWS, d.withMaxFlows(FlowConfig.MAX_FLOWS).maxFlows());
  }
}
