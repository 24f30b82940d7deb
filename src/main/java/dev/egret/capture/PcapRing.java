package dev.egret.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A ring of raw capture files for one interface: classic pcap with nanosecond timestamps (magic
 * {@code a1b23c4d}), a new file every rotation period, the oldest deleted beyond {@code keep}.
 * Files are named {@code egret-IFACE-yyyyMMddTHHmmss.SSSZ.pcap} so that names sort by time; the
 * file being written may end inside a record, which the capture readers accept. Packets are copied
 * into one reusable buffer: nothing is allocated per packet.
 */
public final class PcapRing implements AutoCloseable {
  private static final int MAGIC_NANOS = 0xa1b23c4d;
  private static final int RECORD_HEADER = 16;
  private static final int BUFFER = 1 << 20;
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final String prefix;
  private final int linkType;
  private final int snaplen;
  private final long rotateNanos;
  private final int keep;
  private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
  private FileChannel out;
  private Path current;
  private long openedAt;
  private long files;

  /**
   * @param iface interface name, used in file names (characters other than letters, digits, '.',
   *     '_' and '-' become '_')
   * @param rotateNanos how long one file covers
   * @param keep files kept, the current one included
   */
  public PcapRing(Path dir, String iface, int linkType, int snaplen, long rotateNanos, int keep)
      throws IOException {
    if (rotateNanos < 1_000_000_000L) {
      throw new IllegalArgumentException("rotation period under a second: " + rotateNanos + " ns");
    }
    if (keep < 1) {
      throw new IllegalArgumentException("files to keep must be at least 1: " + keep);
    }
    this.dir = dir;
    this.prefix = "egret-" + iface.replaceAll("[^A-Za-z0-9._-]", "_") + "-";
    this.linkType = linkType;
    this.snaplen = snaplen;
    this.rotateNanos = rotateNanos;
    this.keep = keep;
    Files.createDirectories(dir);
  }

  /**
   * Appends one packet, opening or rotating the file as its wall-clock time {@code nowNanos} says.
   */
  public void write(long nowNanos, long tsNanos, byte[] b, int off, int caplen, int origLen)
      throws IOException {
    if (out == null || nowNanos - openedAt >= rotateNanos) {
      rotate(nowNanos);
    }
    if (buf.remaining() < RECORD_HEADER + caplen) {
      drain();
    }
    long sec = Math.floorDiv(tsNanos, 1_000_000_000L);
    buf.putInt((int) sec);
    buf.putInt((int) Math.floorMod(tsNanos, 1_000_000_000L));
    buf.putInt(caplen);
    buf.putInt(origLen);
    if (caplen > buf.remaining()) {
      drain();
      out.write(ByteBuffer.wrap(b, off, caplen));
    } else {
      buf.put(b, off, caplen);
    }
  }

  /** Rotates on time even when no packet comes; call from time to time. */
  public void tick(long nowNanos) throws IOException {
    if (out != null && nowNanos - openedAt >= rotateNanos) {
      rotate(nowNanos);
    }
  }

  /** Writes out what is buffered. */
  public void flush() throws IOException {
    if (out != null) {
      drain();
    }
  }

  /** Files written so far, the current one included. */
  public long files() {
    return files;
  }

  public Path current() {
    return current;
  }

  private void rotate(long nowNanos) throws IOException {
    closeCurrent();
    Instant at = Instant.ofEpochSecond(0, nowNanos);
    Path p = dir.resolve(prefix + STAMP.format(at) + ".pcap");
    out =
        FileChannel.open(
            p,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    current = p;
    openedAt = nowNanos;
    files++;
    // Global header: magic, version 2.4, thiszone 0, sigfigs 0, snaplen, link type.
    buf.putInt(MAGIC_NANOS).putShort((short) 2).putShort((short) 4);
    buf.putInt(0).putInt(0).putInt(snaplen).putInt(linkType);
    prune();
  }

  private void drain() throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      out.write(buf);
    }
    buf.clear();
  }

  private void closeCurrent() throws IOException {
    if (out == null) {
      return;
    }
    try {
      drain();
    } finally {
      out.close();
      out = null;
    }
  }

  /** Deletes this interface's oldest files beyond {@code keep}. */
  private void prune() throws IOException {
    List<Path> mine = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, prefix + "*.pcap")) {
      for (Path p : ds) {
        mine.add(p);
      }
    }
    mine.sort(null);
    for (int i = 0; i < mine.size() - keep; i++) {
      Files.deleteIfExists(mine.get(i));
    }
  }

  @Override
  public void close() throws IOException {
    closeCurrent();
  }
}
