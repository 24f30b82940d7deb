package dev.egret.flow;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands what the packet loop finds (finished flows, flow-time progress and names) to a {@link
 * FlowSink} and a {@link NameObserver} on a second thread, all in one stream in the order it was
 * found: the receiver sees exactly the calls it would have seen on the packet loop's thread. {@code
 * egret learn} keeps its learner there, so that aggregating flows and names runs on the second core
 * while the first decodes and tracks the next packets.
 *
 * <p>Events are written into preallocated batches of {@value #BATCH} (their fields in primitive
 * arrays, their strings, keys and records by reference: all immutable) that go round a fixed ring
 * of {@value #BATCHES}: no allocation per event, one queue operation per batch, and the packet loop
 * waits when the receiver is {@code BATCHES} batches behind.
 *
 * <p>DNS messages come as bytes ({@link #dnsMessage}), copied into the batch, and are read on the
 * receiving thread by a {@link DnsReader} of its own, which makes the same calls the packet loop's
 * would have made, at the same place in the stream.
 *
 * <p>A failure of the receiver is thrown on the calling thread at the next hand-off or at {@link
 * #close()}; the events after it are dropped (the receiving thread keeps draining, so the caller
 * never waits on it). {@link #close()} delivers what is held, waits for the receiver to finish and
 * must be called before the receiver is read.
 */
public final class BackgroundObserver
    implements FlowSink, NameObserver, DnsMessages, AutoCloseable {
  static final int BATCH = 1024;
  static final int BATCHES = 8;

  private static final byte FLOW = 1;
  private static final byte ACTIVE = 2;
  private static final byte ANSWER = 3;
  private static final byte ANSWER_FROM = 4;
  private static final byte QUESTION = 5;
  private static final byte SERVER_NAME = 6;
  private static final byte DNS_UDP = 7;
  private static final byte DNS_TCP = 8;

  /**
   * Bytes of DNS messages a batch holds; a batch is handed on early when the next one does not fit.
   * A message is at most an IP packet's payload (IP lengths are 16-bit), so any one fits.
   */
  static final int BYTES = 128 << 10;

  /** Longs one event may carry: a DNS answer with its server. */
  private static final int LONGS = 8;

  private static final NameObserver.Source[] SOURCES = NameObserver.Source.values();

  private static final class Batch {
    final byte[] kinds = new byte[BATCH];
    final long[] longs = new long[BATCH * LONGS];
    final int[] ints = new int[BATCH * 2];
    final Object[] refs = new Object[BATCH * 2];
    byte[] bytes = new byte[BYTES];
    int used;
    int count;
    boolean last;
  }

  private final FlowSink flows;
  private final NameObserver names;

  /** Reads the DNS messages on the receiving thread; null when there is no name observer. */
  private final DnsReader dns;

  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
  private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(BATCHES);
  private final Thread thread;
  private volatile Throwable failure;
  private Batch batch;
  private boolean closed;

  /**
   * @param names where names go; null when only flows are sent
   */
  public BackgroundObserver(FlowSink flows, NameObserver names) {
    this.flows = flows;
    this.names = names;
    this.dns = names == null ? null : new DnsReader(names);
    for (int i = 0; i < BATCHES; i++) {
      free.add(new Batch());
    }
    batch = free.poll();
    thread = new Thread(this::deliver, "egret-learn");
    thread.setDaemon(true);
    thread.start();
  }

  /** The next event's index in the current batch, handing the batch on first when it is full. */
  private int next(byte kind) {
    return next(kind, 0);
  }

  /** As {@link #next(byte)}, for an event that also needs {@code bytes} of the batch's bytes. */
  private int next(byte kind, int bytes) {
    if (closed) {
      throw new IllegalStateException("event after close");
    }
    Batch b = batch;
    if (b.count == BATCH || b.bytes.length - b.used < bytes) {
      handOff(false);
      Receivers.rethrow(failure);
      b = batch;
    }
    if (b.bytes.length < bytes) {
      b.bytes = new byte[bytes]; // not for a real message: see BYTES
    }
    int i = b.count++;
    b.kinds[i] = kind;
    return i;
  }

  @Override
  public void onFlow(FlowRecord flow) {
    int i = next(FLOW);
    batch.refs[2 * i] = flow;
  }

  @Override
  public void activeSince(long nanos) {
    int i = next(ACTIVE);
    batch.longs[LONGS * i] = nanos;
  }

  @Override
  public void dnsAnswer(
      long tsNanos,
      long clientHi,
      long clientLo,
      String name,
      long addrHi,
      long addrLo,
      long ttlSeconds) {
    answer(ANSWER, tsNanos, clientHi, clientLo, 0, 0, name, addrHi, addrLo, ttlSeconds);
  }

  @Override
  public void dnsAnswerFrom(
      long tsNanos,
      long clientHi,
      long clientLo,
      long serverHi,
      long serverLo,
      String name,
      long addrHi,
      long addrLo,
      long ttlSeconds) {
    answer(
        ANSWER_FROM,
        tsNanos,
        clientHi,
        clientLo,
        serverHi,
        serverLo,
        name,
        addrHi,
        addrLo,
        ttlSeconds);
  }

  private void answer(
      byte kind,
      long ts,
      long cHi,
      long cLo,
      long sHi,
      long sLo,
      String name,
      long aHi,
      long aLo,
      long ttl) {
    int i = next(kind);
    long[] l = batch.longs;
    int o = LONGS * i;
    l[o] = ts;
    l[o + 1] = cHi;
    l[o + 2] = cLo;
    l[o + 3] = sHi;
    l[o + 4] = sLo;
    l[o + 5] = aHi;
    l[o + 6] = aLo;
    l[o + 7] = ttl;
    batch.refs[2 * i] = name;
  }

  @Override
  public void dnsQuestion(
      long tsNanos, long clientHi, long clientLo, String name, int qtype, int rcode) {
    int i = next(QUESTION);
    long[] l = batch.longs;
    int o = LONGS * i;
    l[o] = tsNanos;
    l[o + 1] = clientHi;
    l[o + 2] = clientLo;
    batch.ints[2 * i] = qtype;
    batch.ints[2 * i + 1] = rcode;
    batch.refs[2 * i] = name;
  }

  @Override
  public void serverName(long tsNanos, FlowKey flow, String name, Source source) {
    int i = next(SERVER_NAME);
    batch.longs[LONGS * i] = tsNanos;
    batch.ints[2 * i] = source.ordinal();
    batch.refs[2 * i] = flow;
    batch.refs[2 * i + 1] = name;
  }

  /**
   * A DNS message a server sent a client, to be read for its questions and answers on the receiving
   * thread: a UDP payload, or with {@code tcp} a TCP segment's. Its bytes are copied; the call is
   * then the same as reading it here with a {@link DnsReader} over the name observer.
   */
  @Override
  public void dnsMessage(
      long tsNanos,
      long clientHi,
      long clientLo,
      long serverHi,
      long serverLo,
      byte[] buf,
      int off,
      int len,
      boolean tcp) {
    int i = next(tcp ? DNS_TCP : DNS_UDP, len);
    Batch b = batch;
    long[] l = b.longs;
    int o = LONGS * i;
    l[o] = tsNanos;
    l[o + 1] = clientHi;
    l[o + 2] = clientLo;
    l[o + 3] = serverHi;
    l[o + 4] = serverLo;
    System.arraycopy(buf, off, b.bytes, b.used, len);
    b.ints[2 * i] = b.used;
    b.ints[2 * i + 1] = len;
    b.used += len;
  }

  /**
   * Queues the current batch; the receiver never stops taking, so this waits only while it works.
   */
  private void handOff(boolean last) {
    batch.last = last;
    try {
      full.put(batch);
      batch = last ? null : free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing on flows and names", e);
    }
  }

  private void deliver() {
    try {
      while (true) {
        Batch b = full.take();
        if (failure == null) {
          try {
            replay(b);
          } catch (RuntimeException | Error e) {
            failure = e;
          }
        }
        boolean last = b.last;
        Arrays.fill(b.refs, 0, 2 * b.count, null);
        b.count = 0;
        b.used = 0;
        free.put(b);
        if (last) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void replay(Batch b) {
    long[] l = b.longs;
    for (int i = 0; i < b.count; i++) {
      int o = LONGS * i;
      switch (b.kinds[i]) {
        case FLOW -> flows.onFlow((FlowRecord) b.refs[2 * i]);
        case ACTIVE -> flows.activeSince(l[o]);
        case ANSWER ->
            names.dnsAnswer(
                l[o], l[o + 1], l[o + 2], (String) b.refs[2 * i], l[o + 5], l[o + 6], l[o + 7]);
        case ANSWER_FROM ->
            names.dnsAnswerFrom(
                l[o],
                l[o + 1],
                l[o + 2],
                l[o + 3],
                l[o + 4],
                (String) b.refs[2 * i],
                l[o + 5],
                l[o + 6],
                l[o + 7]);
        case QUESTION ->
            names.dnsQuestion(
                l[o], l[o + 1], l[o + 2], (String) b.refs[2 * i], b.ints[2 * i], b.ints[2 * i + 1]);
        case DNS_UDP, DNS_TCP ->
            dns.dnsMessage(
                l[o],
                l[o + 1],
                l[o + 2],
                l[o + 3],
                l[o + 4],
                b.bytes,
                b.ints[2 * i],
                b.ints[2 * i + 1],
                b.kinds[i] == DNS_TCP);
        case SERVER_NAME ->
            names.serverName(
                l[o], (FlowKey) b.refs[2 * i], (String) b.refs[2 * i + 1], SOURCES[b.ints[2 * i]]);
        default -> throw new IllegalStateException("unknown event " + b.kinds[i]);
      }
    }
  }

  /**
   * Delivers the events still held, waits for the receiving thread and throws its failure. After it
   * the receiver may be read on this thread.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    handOff(true);
    Receivers.join(thread);
    Receivers.rethrow(failure);
  }
}
