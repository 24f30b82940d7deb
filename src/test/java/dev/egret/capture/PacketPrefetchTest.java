package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing on a second thread: the same packets in order, errors and stops from either side. */
class PacketPrefetchTest {
  /** Packet {@code i}: {@code size(i)} bytes of {@code (byte) (i + k)}, delivered with time i. */
  private static final class Source implements PacketSource {
    final int packets;
    final int failAt;
    volatile boolean stopped;
    volatile boolean ended;
    Thread thread;

    Source(int packets, int failAt) {
      this.packets = packets;
      this.failAt = failAt;
    }

    static int size(int i) {
      // mostly small, some at the largest captured length, so batches end on bytes and on count
      return i % 997 == 5 ? CaptureFile.MAX_CAPLEN : 40 + i % 200;
    }

    @Override
    public String name() {
      return "test";
    }

    @Override
    public void run(PacketHandler handler) throws IOException {
      thread = Thread.currentThread();
      byte[] buf = new byte[CaptureFile.MAX_CAPLEN + 3];
      try {
        for (int i = 0; i < packets && !stopped; i++) {
          if (i == failAt) {
            throw new CaptureException("test: read failed at packet " + i);
          }
          int n = size(i);
          for (int k = 0; k < n; k++) {
            buf[3 + k] = (byte) (i + k);
          }
          handler.onPacket(i % 3, i, buf, 3, n, n + i % 2);
        }
      } finally {
        ended = true;
      }
    }

    @Override
    public void stop() {
      stopped = true;
    }

    @Override
    public CaptureStats stats() {
      return CaptureStats.EMPTY;
    }
  }

  /** Checks each packet against what the source sent and counts them. */
  private static final class Check implements PacketHandler {
    int seen;
    Thread thread;

    @Override
    public void onPacket(int linkType, long ts, byte[] buf, int off, int caplen, int origLen) {
      thread = Thread.currentThread();
      int i = seen++;
      assertEquals(i, ts);
      assertEquals(i % 3, linkType);
      assertEquals(Source.size(i), caplen);
      assertEquals(caplen + i % 2, origLen);
      for (int k = 0; k < caplen; k++) {
        if (buf[off + k] != (byte) (i + k)) {
          throw new AssertionError("packet " + i + " byte " + k);
        }
      }
    }
  }

  @Test
  void everyPacketArrivesInOrderOnTheCallersThread() throws IOException {
    int n = PacketPrefetch.BATCH_PACKETS * PacketPrefetch.BATCHES * 3 + 11;
    Source s = new Source(n, -1);
    Check c = new Check();
    PacketPrefetch.run(s, c);
    assertEquals(n, c.seen);
    assertSame(Thread.currentThread(), c.thread);
    assertNotSame(Thread.currentThread(), s.thread);
    assertTrue(s.ended);
  }

  @Test
  void aReadErrorComesAfterEveryPacketBeforeIt() {
    Source s = new Source(50_000, 40_000);
    Check c = new Check();
    CaptureException e = assertThrows(CaptureException.class, () -> PacketPrefetch.run(s, c));
    assertEquals("test: read failed at packet 40000", e.getMessage());
    assertEquals(40_000, c.seen);
  }

  @Test
  void aHandlerErrorStopsTheReaderAndIsThrownAsItWas() {
    Source s = new Source(Integer.MAX_VALUE, -1); // ends only when stopped
    IllegalStateException boom = new IllegalStateException("table full");
    List<Integer> seen = new ArrayList<>();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                PacketPrefetch.run(
                    s,
                    (lt, ts, buf, off, caplen, orig) -> {
                      seen.add((int) ts);
                      if (ts == 30_000) {
                        throw boom;
                      }
                    }));
    assertSame(boom, e);
    assertEquals(30_001, seen.size());
    assertTrue(s.stopped);
    assertTrue(s.ended, "the reading thread has ended when run returns");
  }

  @Test
  void aStopFromAnotherThreadEndsTheRunNormally() throws IOException {
    Source s = new Source(Integer.MAX_VALUE, -1);
    Check c = new Check();
    PacketPrefetch.run(
        s,
        (lt, ts, buf, off, caplen, orig) -> {
          c.onPacket(lt, ts, buf, off, caplen, orig);
          if (ts == 20_000) {
            new Thread(s::stop).start(); // as Replay.stop does, from the fingerprinting thread
          }
        });
    assertTrue(s.ended);
    assertTrue(c.seen > 20_000, "packets after the stop was asked: " + c.seen);
  }
}
