package dev.egret.capture;

import java.io.IOException;

/**
 * A capture file being read: classic pcap or pcapng, plain or gzip-compressed, from a path or
 * standard input. Opened by {@link CaptureFiles#open}. Packets are delivered as slices of one
 * reusable array; nothing is allocated per packet.
 *
 * <p>Damage is handled without exceptions once the file header is read: a record cut short by the
 * end of the input ends the run and counts in {@link CaptureStats#truncatedRecords()}; a record
 * that cannot be delivered (bad length, unknown interface) counts in {@link
 * CaptureStats#skippedRecords()}; a length that cannot be trusted to find the next record (a
 * captured length over {@link #MAX_CAPLEN}, a pcapng trailer that disagrees with its header) ends
 * the run, counts as skipped and is described by {@link #problem()}.
 *
 * <p>Counters are plain fields written by the reading thread: exact once {@link #run} returns, and
 * possibly lagging when read from another thread during a run.
 */
public abstract class CaptureFile implements PacketSource {
  /**
   * The largest captured length accepted: libpcap's {@code MAXIMUM_SNAPLEN}, which no link type
   * exceeds. A classic pcap record claiming more means the file is corrupt from there.
   */
  public static final int MAX_CAPLEN = 262_144;

  /** The largest pcapng block buffered whole: a maximal packet plus room for its options. */
  static final int MAX_BLOCK = MAX_CAPLEN + 65_536;

  private final String name;
  final BlockReader in;
  private volatile boolean stopped;
  private String problem;
  long packets;
  long bytes;
  long truncated;
  long skipped;

  CaptureFile(String name, BlockReader in) {
    this.name = name;
    this.in = in;
  }

  @Override
  public final String name() {
    return name;
  }

  /** {@code pcap} or {@code pcapng}. */
  public abstract String format();

  @Override
  public final void run(PacketHandler handler) throws IOException {
    try {
      read(handler);
    } catch (IOException e) {
      throw new CaptureException(name + ": read failed: " + e.getMessage(), e);
    }
    String failure = in.failure();
    if (failure != null && problem == null) {
      problem = name + ": " + failure;
    }
  }

  /**
   * Reads records until the end of the input, {@link #stop()}, or a length that cannot be trusted.
   */
  abstract void read(PacketHandler handler) throws IOException;

  final boolean stopped() {
    return stopped;
  }

  @Override
  public final void stop() {
    stopped = true;
  }

  @Override
  public final CaptureStats stats() {
    return new CaptureStats(packets, bytes, truncated, skipped, 0, 0);
  }

  /**
   * Why the run ended before the end of the file, or null: {@code "<name>: <what> at offset <n>;
   * the rest of the file was not read"}. The run itself returns normally in that case.
   */
  public final String problem() {
    return problem;
  }

  /** The record at {@code offset} cannot be framed: count it, say why, and stop reading. */
  final void corrupt(String what, long offset) {
    skipped++;
    problem = name + ": " + what + " at offset " + offset + "; the rest of the file was not read";
  }

  /** Message prefix for errors at open time. */
  final String prefix() {
    return name + ": ";
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
