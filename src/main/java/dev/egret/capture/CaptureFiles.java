package dev.egret.capture;

import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * Opens capture files. The format is told by content, never by the file name: gzip ({@code 1f 8b})
 * is decompressed on the fly, then the first four bytes pick classic pcap ({@code a1b2c3d4}, {@code
 * a1b23c4d}, either order) or pcapng ({@code 0a0d0d0a}). Every error message starts with the name
 * given, e.g. {@code capture.pcap: not a pcap or pcapng file (magic 0x3c68746d)}.
 *
 * <p>Regular files, plain or gzip, are read with {@link RandomAccessFile} ({@link FileSupply}) into
 * one reusable {@link #BUFFER_SIZE} array; standard input, pipes and devices as streams into the
 * same kind of array ({@link StreamSupply}). Nothing grows with the file: a 10 GB capture is read
 * through the one array. Measured on the 2 GB bench capture (3.5 M packets) in the page cache, Java
 * 17, two cores, copying each 1 MiB into a byte array, wall time of the reading:
 *
 * <pre>
 *   RandomAccessFile.read(byte[])                      0.35-0.45 s (64 KiB to 4 MiB reads alike)
 *   MappedByteBuffer, 64 MiB windows, bulk get         0.45-0.55 s (page faults, then unmapping)
 *   FileChannel.read into a direct buffer, then get    1.35-1.50 s (almost all of it system time)
 * </pre>
 *
 * {@code egret flows} on that capture, median of 7: 1.58 s reading with RandomAccessFile against
 * 1.85 s mapped (CPU 2.15 s against 2.33 s). Mapped windows also counted in resident memory until
 * unmapped, and a mapping takes the file's size at open, so files are read, not mapped (the tests'
 * {@code MappedSupply} reads every test capture mapped too, and must give the same packets).
 */
public final class CaptureFiles {
  /**
   * Size of the reusable read array (a record that does not fit grows it once). Small enough that
   * what was just read is still in the core's cache when it is decoded: egret flows on the bench
   * capture, medians of 15 runs, 128 KiB 1.43 s and 1.50 s against 1 MiB 1.47 s and 1.57 s (64 KiB
   * 1.46 s, 256 KiB 1.53 s).
   */
  public static final int BUFFER_SIZE = 128 << 10;

  private static final int GZIP_BUFFER = 1 << 16;

  private CaptureFiles() {}

  /**
   * Opens a capture file, or standard input for {@code -}, and reads its header.
   *
   * @throws CaptureException when it is missing, a directory, unreadable, empty, not a capture or
   *     its header is cut short; the message starts with {@code pathOrDash}
   */
  public static CaptureFile open(String pathOrDash) {
    return open(pathOrDash, BUFFER_SIZE, true);
  }

  /**
   * {@link #open(String)} without the read-ahead thread ({@link PrefetchSupply}): for a caller that
   * runs the whole file on a thread of its own ({@link PacketPrefetch}), where reading ahead would
   * only add a thread and a copy of every byte.
   */
  public static CaptureFile openDirect(String pathOrDash) {
    return open(pathOrDash, BUFFER_SIZE, false);
  }

  /** {@link #open(String)} through a read array of {@code bufferSize} bytes; for tests. */
  static CaptureFile open(String pathOrDash, int bufferSize) {
    return open(pathOrDash, bufferSize, true);
  }

  static CaptureFile open(String pathOrDash, int bufferSize, boolean readAhead) {
    if ("-".equals(pathOrDash)) {
      return open("-", new PushbackInputStream(System.in, 2), false, bufferSize, readAhead);
    }
    Path path;
    try {
      path = Path.of(pathOrDash);
    } catch (InvalidPathException e) {
      throw new CaptureException(pathOrDash + ": not a valid path (" + e.getReason() + ")", e);
    }
    if (Files.isDirectory(path)) {
      throw new CaptureException(pathOrDash + ": is a directory");
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new CaptureException(pathOrDash + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new CaptureException(pathOrDash + ": permission denied", e);
    } catch (IOException e) {
      throw new CaptureException(pathOrDash + ": cannot open (" + e.getMessage() + ")", e);
    }
    try {
      if (!Files.isRegularFile(path)) {
        // a FIFO or device: no positional reads, no size, so no mapping
        return open(pathOrDash, Channels.newInputStream(ch), true, bufferSize, readAhead);
      }
      ByteBuffer head = ByteBuffer.allocate(2);
      while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
        // positional reads leave the channel at 0
      }
      boolean gzip = head.position() == 2 && isGzip(head.get(0), head.get(1));
      // The channel named the open errors; reads go through java.io (class comment).
      ch.close();
      if (gzip) {
        return open(pathOrDash, new FileInputStream(path.toFile()), true, bufferSize, readAhead);
      }
      RandomAccessFile file = new RandomAccessFile(path.toFile(), "r");
      // detect closes the reader, and with it the file, when the header is bad
      return detect(
          pathOrDash,
          new BlockReader(
              ahead(new FileSupply(file), readAhead), bufferSize, CaptureFile.MAX_BLOCK),
          false);
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch);
      if (e instanceof CaptureException) {
        throw (CaptureException) e;
      }
      throw new CaptureException(pathOrDash + ": read failed: " + e.getMessage(), e);
    }
  }

  /** Reads a capture file through {@code supply}; tests compare other ways of reading with it. */
  static CaptureFile open(String name, ByteSupply supply, int bufferSize) throws IOException {
    return detect(name, new BlockReader(supply, bufferSize, CaptureFile.MAX_BLOCK), false);
  }

  /** Opens a stream that may be gzip-compressed; package-private for tests. */
  static CaptureFile open(String name, InputStream raw, boolean closeRaw, int bufferSize) {
    return open(name, raw, closeRaw, bufferSize, true);
  }

  private static CaptureFile open(
      String name, InputStream raw, boolean closeRaw, int bufferSize, boolean readAhead) {
    try {
      PushbackInputStream in =
          raw instanceof PushbackInputStream
              ? (PushbackInputStream) raw
              : new PushbackInputStream(raw, 2);
      byte[] head = new byte[2];
      int n = in.readNBytes(head, 0, 2);
      in.unread(head, 0, n);
      boolean gzip = n == 2 && isGzip(head[0], head[1]);
      InputStream body = in;
      if (gzip) {
        try {
          body = new GZIPInputStream(in, GZIP_BUFFER);
        } catch (EOFException e) {
          throw new CaptureException(name + ": gzip header cut short", e);
        }
      }
      BlockReader reader =
          new BlockReader(
              ahead(new StreamSupply(body, closeRaw), readAhead),
              bufferSize,
              CaptureFile.MAX_BLOCK);
      return detect(name, reader, gzip);
    } catch (IOException | RuntimeException e) {
      if (closeRaw) {
        try {
          raw.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof CaptureException) {
        throw (CaptureException) e;
      }
      throw new CaptureException(name + ": read failed: " + e.getMessage(), e);
    }
  }

  private static ByteSupply ahead(ByteSupply supply, boolean readAhead) {
    return readAhead ? new PrefetchSupply(supply) : supply;
  }

  private static boolean isGzip(byte b0, byte b1) {
    return b0 == (byte) 0x1F && b1 == (byte) 0x8B;
  }

  private static CaptureFile detect(String name, BlockReader in, boolean gzip) throws IOException {
    String what = gzip ? " (after gzip decompression)" : "";
    try {
      if (!in.fill(4)) {
        int n = in.available();
        if (n == 0) {
          throw new CaptureException(name + ": empty file (no capture header)" + what);
        }
        throw new CaptureException(
            name + ": too short for a capture header (" + n + " bytes)" + what);
      }
      int magic = Bytes.i32(in.buf(), in.pos(), true);
      if (PcapFileReader.isMagic(magic)) {
        return new PcapFileReader(name, in, magic);
      }
      if (magic == PcapngFileReader.SHB) {
        return new PcapngFileReader(name, in);
      }
      in.fill(64); // egret's own files are named for what they are
      int n = Math.min(64, in.available());
      byte[] head = java.util.Arrays.copyOfRange(in.buf(), in.pos(), in.pos() + n);
      String own = dev.egret.io.FileKinds.ownFile(head, n);
      if (own != null) {
        throw new CaptureException(
            name
                + ": "
                + own
                + ", not a capture file"
                + ("a baseline".equals(own) ? " (egret baseline merge joins baselines)" : ""));
      }
      throw new CaptureException(
          name + String.format(": not a pcap or pcapng file (magic 0x%08x)", magic) + what);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // the open failed already; that error is the one to report
    }
  }
}
