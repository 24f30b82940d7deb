package dev.egret.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The learner's hand-off: every call, in order, on another thread; failures on either side. */
class BackgroundObserverTest {
  /** Writes each call down as a line. */
  private static class Recorder implements FlowSink, NameObserver {
    final List<String> calls = new ArrayList<>();
    Thread thread;

    void note(String s) {
      thread = Thread.currentThread();
      calls.add(s);
    }

    @Override
    public void onFlow(FlowRecord f) {
      note("flow " + f.key().initLo() + " " + f.startNanos());
    }

    @Override
    public void activeSince(long nanos) {
      note("active " + nanos);
    }

    @Override
    public void dnsAnswer(long ts, long cHi, long cLo, String name, long aHi, long aLo, long ttl) {
      note("answer " + ts + " " + cHi + " " + cLo + " " + name + " " + aHi + " " + aLo + " " + ttl);
    }

    @Override
    public void dnsAnswerFrom(
        long ts,
        long cHi,
        long cLo,
        long sHi,
        long sLo,
        String name,
        long aHi,
        long aLo,
        long ttl) {
      note("from " + ts + " " + cLo + " " + sHi + " " + sLo + " " + name + " " + aLo + " " + ttl);
    }

    @Override
    public void dnsQuestion(long ts, long cHi, long cLo, String name, int qtype, int rcode) {
      note("question " + ts + " " + cHi + " " + cLo + " " + name + " " + qtype + " " + rcode);
    }

    @Override
    public void serverName(long ts, FlowKey flow, String name, Source source) {
      note("server " + ts + " " + flow.respLo() + " " + name + " " + source);
    }
  }

  private static FlowRecord flow(long n) {
    return new FlowRecord(
        new FlowKey(0, n, 1, 0, 2, 3, 6),
        n,
        n,
        FlowState.ESTABLISHED,
        InitiatorRule.SYN,
        1,
        2,
        3,
        4);
  }

  /** Event {@code i} of a stream that uses every kind of call. */
  private static void send(int i, FlowSink flows, NameObserver names) {
    switch (i % 6) {
      case 0 -> flows.onFlow(flow(i));
      case 1 -> flows.activeSince(i * 7L);
      case 2 -> names.dnsAnswer(i, -1, i + 1, "a" + i + ".example", 5, i + 2, 300);
      case 3 -> names.dnsAnswerFrom(i, 0, i, 9, i + 3, "b" + i, 0, i + 4, 60);
      case 4 -> names.dnsQuestion(i, 1, i, "q" + i, 28, 3);
      default ->
          names.serverName(
              i, new FlowKey(0, 1, 2, 0, i, 443, 6), "s" + i, NameObserver.Source.values()[i % 3]);
    }
  }

  @Test
  void everyCallArrivesInOrderOnAnotherThread() {
    int n = BackgroundObserver.BATCH * BackgroundObserver.BATCHES * 3 + 5; // round the ring
    Recorder direct = new Recorder();
    Recorder behind = new Recorder();
    try (BackgroundObserver b = new BackgroundObserver(behind, behind)) {
      for (int i = 0; i < n; i++) {
        send(i, direct, direct);
        send(i, b, b);
      }
    }
    assertEquals(n, behind.calls.size());
    assertEquals(direct.calls, behind.calls);
    assertNotSame(Thread.currentThread(), behind.thread);
  }

  /**
   * A DNS response for {@code name} (one question, one A record with address {@code addr}), with
   * {@code padding} bytes after it that no section counts.
   */
  private static byte[] dnsResponse(String name, int addr, int padding) {
    java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream();
    m.writeBytes(new byte[] {0, 1, (byte) 0x81, (byte) 0x80, 0, 1, 0, 1, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      m.write(label.length());
      m.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    m.writeBytes(new byte[] {0, 0, 1, 0, 1}); // root, type A, class IN
    m.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4}); // name -> question
    m.writeBytes(
        new byte[] {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr});
    m.writeBytes(new byte[padding]);
    return m.toByteArray();
  }

  /**
   * DNS messages handed on as bytes are read on the receiving thread into the calls a reader over
   * the receiver makes on this one, in their place among the other events, whether the messages or
   * the events fill a batch first, for UDP payloads and TCP segments alike.
   */
  @Test
  void dnsMessagesAreReadOnTheReceivingThreadInTheirPlace() {
    Recorder direct = new Recorder();
    Recorder behind = new Recorder();
    DnsReader here = new DnsReader(direct);
    int n = BackgroundObserver.BATCH * BackgroundObserver.BATCHES + 7;
    try (BackgroundObserver b = new BackgroundObserver(behind, behind)) {
      for (int i = 0; i < n; i++) {
        send(i, direct, direct);
        send(i, b, b);
        // mostly small messages, some of up to 60,000 bytes: the bytes fill batches too
        byte[] m = dnsResponse("h" + i % 50 + ".example", i, i % 97 == 0 ? 60_000 : i % 3 * 40);
        boolean tcp = i % 5 == 0;
        byte[] msg = m;
        if (tcp) {
          msg = new byte[m.length + 2];
          msg[0] = (byte) (m.length >>> 8);
          msg[1] = (byte) m.length;
          System.arraycopy(m, 0, msg, 2, m.length);
        }
        byte[] packet = new byte[msg.length + 30]; // the message at an offset, as in a packet
        System.arraycopy(msg, 0, packet, 17, msg.length);
        here.dnsMessage(i, 0, i, 0, 53, packet, 17, msg.length, tcp);
        b.dnsMessage(i, 0, i, 0, 53, packet, 17, msg.length, tcp);
        java.util.Arrays.fill(packet, (byte) 0xff); // the packet's buffer is reused at once
      }
    }
    assertEquals(direct.calls, behind.calls);
    assertEquals(
        n,
        direct.calls.stream().filter(c -> c.startsWith("from ") && c.contains(".example")).count());
    assertNotSame(Thread.currentThread(), behind.thread);
  }

  @Test
  void aFailingReceiverIsReportedToTheCallerAndDoesNotHangIt() {
    IllegalStateException boom = new IllegalStateException("full");
    FlowSink failing =
        f -> {
          throw boom;
        };
    BackgroundObserver b = new BackgroundObserver(failing, new Recorder());
    RuntimeException thrown =
        assertThrows(
            RuntimeException.class,
            () -> {
              // far more than the ring holds: the caller must not wait on a failed receiver
              for (int i = 0; i < BackgroundObserver.BATCH * 40; i++) {
                b.onFlow(flow(i));
              }
              b.close();
            });
    assertSame(boom, thrown);
  }

  @Test
  void aFailureOfTheCallerStillDeliversWhatWasSentAndEndsTheThread() {
    Recorder behind = new Recorder();
    IllegalArgumentException boom = new IllegalArgumentException("bad capture");
    BackgroundObserver[] held = new BackgroundObserver[1];
    IllegalArgumentException thrown =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              try (BackgroundObserver b = new BackgroundObserver(behind, behind)) {
                held[0] = b;
                for (int i = 0; i < BackgroundObserver.BATCH + 3; i++) {
                  b.onFlow(flow(i));
                }
                throw boom;
              }
            });
    assertSame(boom, thrown);
    assertEquals(BackgroundObserver.BATCH + 3, behind.calls.size());
    assertThrows(IllegalStateException.class, () -> held[0].activeSince(1));
  }

  @Test
  void noCallAfterClose() {
    BackgroundObserver b = new BackgroundObserver(new Recorder(), new Recorder());
    b.close();
    b.close();
    assertThrows(IllegalStateException.class, () -> b.onFlow(flow(1)));
    assertThrows(IllegalStateException.class, () -> b.dnsQuestion(1, 2, 3, "x", 1, 0));
  }
}
