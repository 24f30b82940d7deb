package dev.egret.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlowFlagsTest {
  private static final int FIN = 0x01;
  private static final int SYN = 0x02;
  private static final int RST = 0x04;
  private static final int ACK = 0x10;
  private static final int NOT_TCP = -1;

  /** Packets as (TCP flags, from the initiator), folded into flags from nothing. */
  private static int fold(Object... packets) {
    int f = 0;
    for (int i = 0; i < packets.length; i += 2) {
      f = FlowFlags.onPacket(f, (Integer) packets[i], (Boolean) packets[i + 1]);
    }
    return f;
  }

  @Test
  void handshakeDataAndBothFinsClose() {
    int open = fold(SYN, true, SYN | ACK, false, ACK, true);
    assertEquals(FlowFlags.SYN | FlowFlags.SYN_ACK | FlowFlags.ANSWERED, open);
    assertEquals(FlowState.ESTABLISHED, FlowFlags.state(open));
    int halfClosed = FlowFlags.onPacket(open, FIN | ACK, true);
    assertFalse(FlowFlags.closed(halfClosed), "one FIN is half a close");
    int closed = FlowFlags.onPacket(halfClosed, FIN | ACK, false);
    assertTrue(FlowFlags.closed(closed));
    assertEquals(FlowState.CLOSED, FlowFlags.state(closed));
  }

  @Test
  void aResetInsteadOfASynAckIsARefusal() {
    int f = fold(SYN, true, RST | ACK, false);
    assertEquals(FlowState.REJECTED, FlowFlags.state(f));
    assertTrue(FlowFlags.closed(f));
  }

  @Test
  void aResetAfterAnAnswerEndsAnAnsweredFlow() {
    assertEquals(FlowState.CLOSED, FlowFlags.state(fold(SYN, true, SYN | ACK, false, RST, true)));
    assertEquals(FlowState.CLOSED, FlowFlags.state(fold(SYN, true, SYN | ACK, false, RST, false)));
  }

  @Test
  void unansweredAndUnreachable() {
    assertEquals(FlowState.ATTEMPTED, FlowFlags.state(fold(SYN, true, SYN, true)));
    assertEquals(FlowState.ATTEMPTED, FlowFlags.state(fold(NOT_TCP, true)));
    assertEquals(FlowState.REJECTED, FlowFlags.state(fold(NOT_TCP, true) | FlowFlags.UNREACHABLE));
  }

  @Test
  void anyReplyAnswersUdpAndIcmp() {
    int f = fold(NOT_TCP, true, NOT_TCP, false);
    assertEquals(FlowFlags.ANSWERED, f);
    assertEquals(FlowState.ESTABLISHED, FlowFlags.state(f));
    assertFalse(FlowFlags.closed(f));
  }

  @Test
  void theLinkBroadcastMarkStaysAndChangesNoState() {
    int f = FlowFlags.onPacket(FlowFlags.LINK_BROADCAST, NOT_TCP, true);
    assertEquals(FlowFlags.LINK_BROADCAST, f);
    assertEquals(FlowState.ATTEMPTED, FlowFlags.state(f));
  }
}
