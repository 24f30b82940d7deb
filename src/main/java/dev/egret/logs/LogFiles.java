package dev.egret.logs;

import dev.egret.flow.FlowSink;
import dev.egret.flow.NameObserver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Opens Zeek and Suricata logs and reads them into the flow sink and name observer that the packet
 * pipeline feeds. Gzip ({@code 1f 8b}) is decompressed on the fly, plain or gzip told by content;
 * the format is told by content too ({@link LogFormat#sniff}) unless forced. Streaming: a file is
 * read line by line through one buffer, and nothing is kept per row.
 */
public final class LogFiles {
  private final FlowSink flows;
  private final NameObserver names;
  private final TunnelJoin tunnels;

  /** How much of a file {@link #sniff} looks at. */
  static final int HEAD = 64 << 10;

  private static final int GZIP_BUFFER = 64 << 10;

  /** A reading session: logs read through one instance share what conn.log said of tunnels. */
  public LogFiles(FlowSink flows, NameObserver names) {
    this(flows, names, false);
  }

  /**
   * A reading session; with {@code decapsulate} the connections Zeek found inside tunnels are read
   * as flows (with their names), as {@code --decapsulate} learns the flows inside tunnels from
   * packets; without, they are skipped.
   */
  public LogFiles(FlowSink flows, NameObserver names, boolean decapsulate) {
    this(flows, names, new TunnelJoin(decapsulate));
  }

  LogFiles(FlowSink flows, NameObserver names, TunnelJoin tunnels) {
    this.flows = flows;
    this.names = names;
    this.tunnels = tunnels;
  }

  /** At most this many tunnelled connections are kept for the join of name rows. */
  public static final int JOIN_CAP = TunnelJoin.CAP;

  /** Tunnelled connections dropped from the join cache (time window or cap). */
  public long joinEvictions() {
    return tunnels.evicted();
  }

  /** Name rows that may have lost their join to a dropped tunnelled connection. */
  public long lateJoins() {
    return tunnels.late();
  }

  /**
   * The order to read logs in within a rotation ({@link #rotation}): conn logs first, so that the
   * connections found inside tunnels are known before the name logs of the same hours refer to them
   * ({@link TunnelJoin}); otherwise as given.
   */
  public static int readOrder(Path file) {
    return ZeekLog.ofFileName(file.getFileName().toString()) == ZeekLog.CONN ? 0 : 1;
  }

  /**
   * The rotation a log belongs to: its directory and its name without the log's name, so that a
   * logger's {@code 2024-01-15/conn.00:00:00-01:00:00.log.gz} and {@code
   * 2024-01-15/dns.00:00:00-01:00:00.log.gz} are one rotation and {@code conn.log} and {@code
   * dns.log} another. Logs are read rotation by rotation, and the join of name rows to conn rows
   * needs to hold only a rotation's connections.
   */
  public static String rotation(Path file) {
    String name = file.getFileName().toString();
    Path dir = file.getParent();
    return (dir == null ? "" : dir + "/") + ZeekLog.withoutLogName(name);
  }

  /**
   * The format of a file by its content, or null when it is none egret reads.
   *
   * @throws IOException when it cannot be read
   */
  public static LogFormat sniff(Path file) throws IOException {
    try (InputStream in = open(file)) {
      byte[] head = new byte[HEAD];
      int n = 0;
      try {
        for (int r; n < HEAD && (r = in.read(head, n, HEAD - n)) > 0; ) {
          n += r;
        }
      } catch (java.util.zip.ZipException | java.io.EOFException cut) {
        // A truncated or corrupt gzip stream: judge by what came out before the damage.
      }
      return LogFormat.sniff(head, n);
    }
  }

  /**
   * The logs of a Zeek logger directory, in time order: the rotated archives under {@code
   * YYYY-MM-DD/} ({@code conn.00:00:00-01:00:00.log.gz}) and the logs directly in it, for the logs
   * egret reads (conn, dns, ssl, http, quic). A {@code current/} directory under it is left out: it
   * holds the logs being written, which the logger archives later, so they would be read twice.
   */
  public static List<Path> zeekDirectory(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir, 2)) {
      s.filter(Files::isRegularFile)
          .filter(
              p ->
                  !p.getParent().getFileName().toString().equals("current")
                      || p.getParent().equals(dir))
          .filter(p -> readable(p.getFileName().toString()))
          .sorted()
          .forEach(out::add);
    }
    return out;
  }

  private static boolean readable(String name) {
    ZeekLog l = ZeekLog.ofFileName(name);
    return l != null
        && l != ZeekLog.OTHER
        && (name.endsWith(".log")
            || name.endsWith(".log.gz")
            || name.endsWith(".json")
            || name.endsWith(".json.gz"));
  }

  /**
   * Reads one log file.
   *
   * @param format {@link LogFormat#ZEEK} or {@link LogFormat#EVE}
   * @return what was read; malformed lines and a truncated gzip stream are in its {@link
   *     LogStats#warning()}
   */
  public LogStats read(Path file, LogFormat format) throws IOException {
    try (InputStream in = open(file)) {
      return read(in, file.toString(), ZeekLog.ofFileName(file.getFileName().toString()), format);
    }
  }

  /** Reads a log from a stream (standard input); {@code name} is used in messages. */
  public LogStats read(InputStream raw, String name, LogFormat format) throws IOException {
    return read(decompressing(raw), name, null, format);
  }

  private LogStats read(InputStream in, String name, ZeekLog fromName, LogFormat format)
      throws IOException {
    LogStats stats = new LogStats(name, format);
    LineReader lines = new LineReader(in);
    if (format == LogFormat.EVE) {
      new EveReader(lines, stats, flows, names).run();
      return stats;
    }
    // A Zeek log is TSV when it starts with a header line, JSON lines otherwise.
    if (in instanceof PushbackInputStream p) {
      int c = p.read();
      if (c >= 0) {
        p.unread(c);
      }
      if (c == '{') {
        new ZeekJsonReader(lines, stats, fromName, flows, names, tunnels).run();
        return stats;
      }
    }
    new ZeekTsvReader(lines, stats, fromName, flows, names, tunnels).run();
    return stats;
  }

  static InputStream open(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new LogException(file + ": is a directory");
    }
    InputStream raw;
    try {
      raw = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new LogException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new LogException(file + ": permission denied", e);
    }
    return decompressing(raw);
  }

  /**
   * The stream, decompressed when it starts with the gzip magic. No buffer on top of the
   * decompressor: a buffer that reads ahead would lose the bytes inflated just before a truncated
   * stream's end, which {@link LineReader} keeps.
   */
  static PushbackInputStream decompressing(InputStream raw) throws IOException {
    BufferedInputStream b = new BufferedInputStream(raw, GZIP_BUFFER);
    b.mark(2);
    int m0 = b.read();
    int m1 = b.read();
    b.reset();
    if (m0 == 0x1f && m1 == 0x8b) {
      return new PushbackInputStream(new GZIPInputStream(b, GZIP_BUFFER), 1);
    }
    return new PushbackInputStream(b, 1);
  }
}
