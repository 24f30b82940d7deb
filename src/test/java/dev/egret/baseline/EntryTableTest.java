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
    for (int slot = t.next(-1); slot >= 0; slot = t.next(slot)) {
      Key key = t.key(slot);
      assertSame(model.get(key), t.value(slot));
      listed++;
    }
    assertEquals(model.size(), listed);
    assertNull(t.get(k.set(1, 1, 1, 1, 17, 53, -1)));
  }
}
