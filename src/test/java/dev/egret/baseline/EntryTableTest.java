package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.egret.baseline.LearnKeys.Key;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The learner's entry table finds what a HashMap finds, through growth, and lists each once. */
class EntryTableTest {
  @Test
  void agreesWithAHashMapOnRandomKeysThroughGrowth() {
    Random r = new Random(17);
    EntryTable t = new EntryTable();
    Map<Key, EntryAcc> model = new HashMap<>();
    Key k = new Key();
    for (int i = 0; i < 200_000; i++) {
      // Few hosts and destinations, IPv4 and IPv6, ports, protocols and users at their ends.
      long hHi = r.nextInt(4) == 0 ? 0x20010db8_00000000L : 0;
      long hLo = r.nextInt(300);
      long dHi = r.nextInt(4) == 0 ? -1L : 0;
      long dLo = r.nextInt(500);
      int proto = r.nextInt(3) == 0 ? 255 : r.nextInt(2) == 0 ? 6 : 0;
      int port = r.nextInt(3) == 0 ? 65535 : r.nextInt(3) == 0 ? 0 : r.nextInt(1000);
      int uid = r.nextInt(3) == 0 ? -1 : r.nextInt(2) == 0 ? Integer.MAX_VALUE : r.nextInt(3);
      k.set(hHi, hLo, dHi, dLo, proto, port, uid);
      EntryAcc expected = model.get(k);
      assertSame(expected, t.get(k));
      if (expected == null) {
        EntryAcc a = new EntryAcc();
        model.put(k.copy(), a);
        t.put(k, a);
      }
    }
    assertEquals(model.size(), t.size());
    int listed = 0;
    for (int e = t.next(-1); e >= 0; e = t.next(e)) {
      Key key = t.key(e);
      assertSame(model.get(key), t.value(e));
      listed++;
    }
    assertEquals(model.size(), listed);
    assertNull(t.get(k.set(1, 1, 1, 1, 17, 53, -1)));
  }

  @Test
  void keysOfOneHashAreToldApartByTheirFields() {
    EntryTable t = new EntryTable();
    Key k = new Key();
    EntryAcc[] added = new EntryAcc[3000];
    for (int i = 0; i < added.length; i++) {
      k.set(0, i / 7, 0, i % 7, 6, 443, -1).hash = 42; // every key in one probe chain
      added[i] = new EntryAcc();
      t.put(k, added[i]);
    }
    for (int i = 0; i < added.length; i++) {
      k.set(0, i / 7, 0, i % 7, 6, 443, -1).hash = 42;
      assertSame(added[i], t.get(k));
    }
    k.set(0, 0, 0, 0, 6, 444, -1).hash = 42;
    assertNull(t.get(k), "another port");
    assertEquals(added.length, t.size());
  }

  @Test
  void aBatchFindsWhatLookUpsOneByOneFind() {
    Random r = new Random(5);
    EntryTable t = new EntryTable();
    Key k = new Key();
    FlowBatch b = new FlowBatch();
    for (int round = 0; round < 2000; round++) {
      b.count = 0;
      for (int i = 0; i < FlowBatch.SIZE; i++) {
        k.set(r.nextInt(3), r.nextInt(200), 0, r.nextInt(40), 6, r.nextInt(3), r.nextInt(3) - 1);
        b.add(k.hHi, k.hLo, k.dHi, k.dLo, k.proto, k.port, k.uid, k.hash, 0, 0, 0, 0, 0, 0, 0, 0);
      }
      t.find(b);
      for (int i = 0; i < FlowBatch.SIZE; i++) {
        k.set(b.hHi[i], b.hLo[i], b.dHi[i], b.dLo[i], b.proto[i], b.port[i], b.uid[i]);
        assertSame(t.get(k), b.found[i], "round " + round + " flow " + i);
      }
      // Some of the keys not found are added before the next batch (the learner adds them all).
      for (int i = 0; i < FlowBatch.SIZE; i++) {
        k.set(b.hHi[i], b.hLo[i], b.dHi[i], b.dLo[i], b.proto[i], b.port[i], b.uid[i]);
        if (t.get(k) == null && r.nextBoolean()) {
          t.put(k, new EntryAcc());
        }
      }
    }
  }
}
