package dev.egret.drops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttemptsTest {
  static final long T = 1_790_000_000_000_000_000L;
  static final long S = 1_000_000_000L;

  static DropEvent syn(long t, int sport, int uid) {
    return new DropEvent(t, false, "10.0.0.5", "198.51.100.10", "tcp", 443, uid, sport, 60);
  }

  @Test
  void synRetransmissionsOfOneConnectionAreOneAttempt() {
    Attempts a = new Attempts();
    assertTrue(a.starts(syn(T, 40000, 1001)));
    // Linux retransmits a SYN after 1, 3, 7, 15, 31 and 63 s.
    for (long at : new long[] {1, 3, 7, 15, 31, 63}) {
      assertFalse(a.starts(syn(T + at * S, 40000, 1001)), "retransmission at +" + at + " s");
    }
    assertEquals(6, a.repeats());
  }

  @Test
  void anotherPortUserOrTimeIsAnotherAttempt() {
    Attempts a = new Attempts();
    assertTrue(a.starts(syn(T, 40000, 1001)));
    assertTrue(a.starts(syn(T + S, 40001, 1001)), "another source port");
    assertTrue(a.starts(syn(T + S, 40000, 1002)), "another user");
    assertTrue(a.starts(syn(T + 131 * S, 40000, 1001)), "the same 5-tuple past the window");
    assertFalse(a.starts(syn(T + 140 * S, 40000, 1001)), "and its retransmission");
    assertEquals(1, a.repeats());
  }

  @Test
  void withoutASourcePortEveryPacketIsAnAttempt() {
    Attempts a = new Attempts();
    DropEvent ping = new DropEvent(T, false, "10.0.0.5", "192.0.2.1", "icmp", 8, -1, 0, 84);
    assertTrue(a.starts(ping));
    assertTrue(a.starts(ping));
    assertEquals(0, a.repeats());
  }

  @Test
  void oldTuplesAreForgottenAsTimeMovesOn() {
    Attempts a = new Attempts();
    for (int i = 0; i < 1000; i++) {
      assertTrue(a.starts(syn(T + i * 200 * S, 40000 + i % 10, 1001)));
    }
    assertEquals(0, a.repeats());
  }
}
