package dev.egret.capture;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Classic pcap read through read-only memory mappings of the file: the records are framed where the
 * page cache holds them, and a packet's bytes are copied once, straight to where they are wanted
 * ({@link PacketPrefetch}'s batches, or one scratch array for {@link #run}). No read system call
 * copies the file first: on the 2 GB bench capture in the page cache, touching every record through
 * 64 MiB mappings took 0.05 s of system time against 0.27-0.28 s for reading it with {@code
 * read(2)}. Same lengths, timestamps and damage handling as {@link PcapFileReader}; the tests read
 * every capture both ways and compare.
 *
 * <p>Windows: the file is mapped {@link #WINDOW} bytes at a time, the next window starting at the
 * first record that does not fit the current one, so every record is read whole from one mapping (a
 * window is never shorter than the record that needs it). A window is unmapped as soon as the next
 * is mapped, so resident memory does not grow with the file; nothing keeps a reference to an old
 * window (a handler is handed a window only for the duration of a call).
 *
 * <p>A file that changes while it is read: its size is taken again whenever a window is mapped, so
 * a file still being written is read as far as it has grown, and one that was cut short ends there
 * (a cut record is a truncated record, as with {@code read}). If the file is cut short under a
 * window already mapped, touching the vanished pages raises SIGBUS, which the JVM turns into an
 * {@link InternalError} for the thread reading, thrown at its next entry into the VM (compiled code
 * may read on a while first, within the window's bounds only). The run checks the size again when
 * it ends and takes any error after a fault for the file having changed ({@link Mapped#isFault}): a
 * read failure naming the file, never a crash. What was delivered before is not to be trusted: the
 * command fails.
 */
final class MappedPcapReader extends CaptureFile {
  /**
   * Bytes mapped at a time (more when one record needs more). The pages read stay resident until
   * the window is unmapped: 16 MiB windows added 12 MB of resident memory, 64 MiB ones 60 MB, for
   * the same system time.
   */
  static final long WINDOW = 16L << 20;

  /**
   * Receives one record straight from the mapping: its bytes are at {@code address} (read them with
   * {@link Mapped#copy}) and only during the call.
   */
  interface RecordSink {
    void record(int linkType, long tsNanos, long address, int caplen, int origLen);
  }

  private final Path path;
  private final FileChannel ch;
  private final long window;
  private final boolean bigEndian;
  private final long fractionNanos;
  private final int linkType;
  private final int snaplen;
  private MappedByteBuffer map;

  /** The address of the mapping's first byte, which is file offset {@link #mapStart}. */
  private long base;

  private long mapStart;
  private long mapEnd;
  private long size;
  private long pos;
  private volatile boolean reading;

  /** Where {@link #read} puts each packet for its handler; grows with the largest one. */
  private byte[] scratch = new byte[2048];

  /**
   * Opens {@code ch}, a regular file whose first four bytes read {@code magic} (big-endian), a pcap
   * magic; reads the file header.
   *
   * @param window bytes per mapping; tests make it small so that records straddle windows
   */
  MappedPcapReader(String name, Path path, FileChannel ch, int magic, long window)
      throws IOException {
    super(name, null);
    this.path = path;
    this.ch = ch;
    this.window = window;
    this.bigEndian = magic == PcapFileReader.MAGIC_MICROS || magic == PcapFileReader.MAGIC_NANOS;
    this.fractionNanos =
        magic == PcapFileReader.MAGIC_NANOS
                || magic == Integer.reverseBytes(PcapFileReader.MAGIC_NANOS)
            ? 1
            : 1_000;
    this.size = ch.size();
    if (!fits(0, PcapFileReader.HEADER)) {
      throw new CaptureException(
          prefix() + "pcap file header cut short (" + size + " of 24 bytes)");
    }
    long snap = u32(16);
    // pcap-savefile(5): the LINKTYPE_ value is the low 16 bits; see PcapFileReader.
    long link = u32(20);
    linkType = (int) (link & 0xFFFF);
    snaplen = snap == 0 || snap > MAX_CAPLEN ? MAX_CAPLEN : (int) snap;
    pos = PcapFileReader.HEADER;
  }

  @Override
  public String format() {
    return "pcap";
  }

  /** The link type from the file header (low 16 bits of the field). */
  int linkType() {
    return linkType;
  }

  @Override
  void read(PacketHandler handler) throws IOException {
    records(
        (lt, ts, address, caplen, origLen) -> {
          byte[] s = scratch;
          if (s.length < caplen) {
            s = scratch = new byte[Math.min(MAX_CAPLEN, Math.max(caplen, 2 * s.length))];
          }
          Mapped.copy(address, s, 0, caplen);
          handler.onPacket(lt, ts, s, 0, caplen, origLen);
        });
  }

  /**
   * Delivers every record to {@code sink} straight from the mapping, with {@link #run}'s error
   * handling: what {@link PacketPrefetch} calls on its reading thread.
   */
  void runMapped(RecordSink sink) {
    try {
      records(sink);
    } catch (IOException e) {
      throw new CaptureException(name() + ": read failed: " + e.getMessage(), e);
    }
  }

  private void records(RecordSink sink) throws IOException {
    reading = true;
    try {
      frame(sink);
      long now = Files.size(path); // where a fault still pending is thrown at the latest
      if (now < mapEnd) {
        throw shrank(null);
      }
    } catch (RuntimeException | Error e) {
      // After a fault anything may have been thrown from wherever the JVM delivered it
      // (Mapped.isFault); the file is then shorter than the window that was being read.
      if (Mapped.isFault(e) || sizeNow() < mapEnd) {
        throw shrank(e);
      }
      throw e;
    } finally {
      reading = false;
    }
  }

  /** The file's size now, or -1 when it cannot be had; never throws. */
  private long sizeNow() {
    for (int i = 0; i < 3; i++) {
      try {
        return Files.size(path);
      } catch (IOException e) {
        return -1;
      } catch (RuntimeException | Error e) {
        // a fault still pending, thrown here: try again
      }
    }
    return -1;
  }

  private IOException shrank(Throwable cause) {
    long now = sizeNow();
    return new IOException(
        (now < 0 ? "the file changed" : "the file shrank to " + now + " bytes")
            + " while being read",
        cause);
  }

  private void frame(RecordSink sink) throws IOException {
    long p = pos;
    final int lt = linkType;
    final int snap = snaplen;
    final long frac = fractionNanos;
    try {
      while (!stopped()) {
        if (!fits(p, PcapFileReader.RECORD)) {
          if (size > p) {
            truncated++;
          }
          return;
        }
        int at = (int) (p - mapStart);
        long caplen = u32(at + 8);
        if (caplen > MAX_CAPLEN) {
          corrupt("captured length " + caplen + " over the limit " + MAX_CAPLEN, p);
          return;
        }
        int record = PcapFileReader.RECORD + (int) caplen;
        if (!fits(p, record)) {
          truncated++;
          return;
        }
        at = (int) (p - mapStart);
        long ts = u32(at) * 1_000_000_000L + u32(at + 4) * frac;
        int deliver = Math.min((int) caplen, snap);
        int origLen = Math.max(Bytes.saturate(u32(at + 12)), deliver);
        packets++;
        bytes += deliver;
        sink.record(lt, ts, base + at + PcapFileReader.RECORD, deliver, origLen);
        p += record;
      }
    } finally {
      pos = p;
    }
  }

  /** The header field at {@code at} bytes into the mapping. */
  private long u32(int at) {
    return Mapped.u32(base + at, bigEndian);
  }

  /**
   * Makes {@code n} bytes from file offset {@code p} readable in {@link #map}, mapping the window
   * that starts at {@code p} when the current one ends before them. False when the file ends first
   * ({@link #size} then says where).
   */
  private boolean fits(long p, int n) throws IOException {
    if (p + n <= mapEnd) {
      return true;
    }
    size = ch.size();
    if (p + n > size) {
      return false;
    }
    release();
    long len = Math.min(size - p, Math.max(window, n));
    map = ch.map(FileChannel.MapMode.READ_ONLY, p, len);
    base = Mapped.address(map);
    mapStart = p;
    mapEnd = p + len;
    return true;
  }

  /** Unmaps the current window now rather than when the collector gets round to it. */
  private void release() {
    MappedByteBuffer m = map;
    map = null;
    base = 0;
    mapStart = 0;
    mapEnd = 0;
    if (m != null) {
      // Left to the garbage collector, which a reader that allocates nothing per packet hardly
      // ever wakes, every window of the file would stay mapped (a 1.6 GB file showed 1.6 GB
      // resident). Nothing holds its address any more.
      Mapped.unmap(m);
    }
  }

  @Override
  public void close() throws IOException {
    if (!reading) {
      release(); // a run still going on another thread keeps its window; the collector frees it
    }
    ch.close();
  }
}
