package dev.egret.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a classic little-endian pcap file (the libpcap format, draft-ietf-opsawg-pcap sections 4
 * and 5), streaming through one buffer with no allocation per packet.
 *
 * <p>A named file is written atomically: the bytes go to a temporary file in the same folder, which
 * {@link #commit()} flushes, fsyncs and renames over the target. Closing without committing deletes
 * the temporary file, so a failed run never leaves a truncated capture behind. A stream (standard
 * output) is flushed on commit and never closed.
 */
public final class PcapWriter implements Closeable {
  /** LINKTYPE_ETHERNET. */
  public static final int LINKTYPE_ETHERNET = 1;

  /** The snapshot length written into the header when none is given. */
  public static final int DEFAULT_SNAPLEN = 262_144;

  /** Timestamp resolution, chosen by the magic number (draft-ietf-opsawg-pcap section 4). */
  public enum Precision {
    MICROS(0xa1b2c3d4, 1_000L),
    NANOS(0xa1b23c4d, 1L);

    final int magic;
    final long nanosPerUnit;

    Precision(int magic, long nanosPerUnit) {
      this.magic = magic;
      this.nanosPerUnit = nanosPerUnit;
    }
  }

  private static final int FILE_HEADER = 24;
  private static final int RECORD_HEADER = 16;
  private static final int BUFFER = 1 << 20;

  private final OutputStream out;
  private final FileOutputStream file;
  private final Path temp;
  private final Path target;
  private final Precision precision;
  private final int snaplen;
  private final byte[] record = new byte[RECORD_HEADER];
  private long bytes;
  private long packets;
  private boolean committed;
  private boolean closed;

  private PcapWriter(
      OutputStream sink,
      FileOutputStream file,
      Path temp,
      Path target,
      int linkType,
      Precision precision,
      int snaplen)
      throws IOException {
    if (snaplen <= 0) {
      throw new IllegalArgumentException("snaplen must be positive: " + snaplen);
    }
    if (linkType < 0) {
      throw new IllegalArgumentException("link type must not be negative: " + linkType);
    }
    this.out = new BufferedOutputStream(sink, BUFFER);
    this.file = file;
    this.temp = temp;
    this.target = target;
    this.precision = precision;
    this.snaplen = snaplen;
    byte[] h = new byte[FILE_HEADER];
    putInt(h, 0, precision.magic);
    putShort(h, 4, 2); // version_major
    putShort(h, 6, 4); // version_minor
    // bytes 8..15: thiszone and sigfigs, both 0
    putInt(h, 16, snaplen);
    putInt(h, 20, linkType);
    out.write(h);
    bytes = FILE_HEADER;
  }

  /**
   * Opens {@code target} for writing: {@code -} is standard output, anything else a file written
   * atomically on {@link #commit()}.
   */
  public static PcapWriter open(String target, int linkType, Precision precision)
      throws IOException {
    if ("-".equals(target)) {
      return toStream(System.out, linkType, precision);
    }
    return toFile(Path.of(target), linkType, precision);
  }

  /** A file written to a temporary sibling and moved into place by {@link #commit()}. */
  public static PcapWriter toFile(Path target, int linkType, Precision precision)
      throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    String name = abs.getFileName().toString();
    Path temp = null;
    for (int attempt = 0; temp == null; attempt++) {
      Path candidate =
          dir.resolve(
              "." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        Files.createFile(candidate);
        temp = candidate;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 8) {
          throw e;
        }
      }
    }
    FileOutputStream fos = new FileOutputStream(temp.toFile());
    try {
      return new PcapWriter(fos, fos, temp, abs, linkType, precision, DEFAULT_SNAPLEN);
    } catch (IOException | RuntimeException e) {
      fos.close();
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** A stream (not closed by this writer), flushed on {@link #commit()}. */
  public static PcapWriter toStream(OutputStream sink, int linkType, Precision precision)
      throws IOException {
    return new PcapWriter(sink, null, null, null, linkType, precision, DEFAULT_SNAPLEN);
  }

  /** Writes one whole packet captured at {@code epochNanos}. */
  public void write(long epochNanos, byte[] buf, int off, int len) throws IOException {
    write(epochNanos, buf, off, Math.min(len, snaplen), len);
  }

  /**
   * Writes one record: {@code capturedLen} bytes from {@code buf} of a packet that was {@code
   * originalLen} bytes on the wire.
   */
  public void write(long epochNanos, byte[] buf, int off, int capturedLen, int originalLen)
      throws IOException {
    if (closed || committed) {
      throw new IllegalStateException("pcap writer already " + (closed ? "closed" : "committed"));
    }
    if (capturedLen < 0 || capturedLen > snaplen || originalLen < capturedLen) {
      throw new IllegalArgumentException(
          "bad record lengths: captured "
              + capturedLen
              + ", original "
              + originalLen
              + " (snaplen "
              + snaplen
              + ")");
    }
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    long fraction = Math.floorMod(epochNanos, 1_000_000_000L) / precision.nanosPerUnit;
    putInt(record, 0, (int) seconds);
    putInt(record, 4, (int) fraction);
    putInt(record, 8, capturedLen);
    putInt(record, 12, originalLen);
    out.write(record, 0, RECORD_HEADER);
    out.write(buf, off, capturedLen);
    bytes += RECORD_HEADER + capturedLen;
    packets++;
  }

  /** Bytes written so far, file header included. */
  public long bytesWritten() {
    return bytes;
  }

  public long packetsWritten() {
    return packets;
  }

  /** Flushes; for a file also fsyncs and moves it into place. */
  public void commit() throws IOException {
    if (closed || committed) {
      throw new IllegalStateException("pcap writer already " + (closed ? "closed" : "committed"));
    }
    out.flush();
    if (file != null) {
      file.getFD().sync();
      file.close();
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(target.getParent());
    }
    committed = true;
  }

  /** Releases the file; without a prior {@link #commit()} the temporary file is deleted. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (file == null) {
      if (!committed) {
        out.flush();
      }
      return;
    }
    if (!committed) {
      try {
        file.close();
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Makes the rename durable; some file systems cannot open a folder, which is not an error. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // The data itself is already synced; only the rename's durability is left to the OS.
    }
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  private static void putShort(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
  }
}
