package dev.egret.logs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * Splits a byte stream into lines without making a String per line: after {@link #next()} the line
 * is {@code buf()[start() .. end())}, its terminator ({@code \n} or {@code \r\n}) removed. One
 * array is reused; it grows for a long line up to {@value #MAX_LINE} bytes, and a longer line is
 * skipped and counted ({@link #overlong()}). A gzip stream that ends early or is corrupt ends the
 * input, the line it cut is dropped, and {@link #problem()} says so.
 */
final class LineReader {
  static final int MAX_LINE = 16 << 20;
  private static final int INITIAL = 256 << 10;

  private final InputStream in;
  private byte[] buf = new byte[INITIAL];
  private int pos;
  private int limit;
  private boolean eof;
  private int start;
  private int end;
  private long lineNo;
  private long overlong;
  private String problem;

  LineReader(InputStream in) {
    this.in = in;
  }

  byte[] buf() {
    return buf;
  }

  int start() {
    return start;
  }

  int end() {
    return end;
  }

  /** 1-based number of the current line. */
  long lineNo() {
    return lineNo;
  }

  /** Lines longer than {@value #MAX_LINE} bytes that were skipped. */
  long overlong() {
    return overlong;
  }

  /** Why the input ended early (a truncated or corrupt gzip stream), or null. */
  String problem() {
    return problem;
  }

  /** What each line of a log is handed to. */
  @FunctionalInterface
  interface Row {
    void line(byte[] buf, int start, int end, long lineNo);
  }

  /**
   * Hands every line that is not blank (spaces and tabs only) to {@code row}, counting lines in
   * {@code stats}, and records there what ended the input early: overlong lines skipped, a
   * truncated or corrupt gzip stream. The one loop of every log reader.
   */
  void forEach(LogStats stats, Row row) throws IOException {
    while (next()) {
      stats.line();
      if (!blank(buf, start, end)) {
        row.line(buf, start, end, lineNo);
      }
    }
    if (overlong > 0) {
      stats.skip("overlong-line");
    }
    if (problem != null) {
      stats.truncated(problem + "; read " + lineNo + " lines before it");
    }
  }

  static boolean blank(byte[] b, int s, int e) {
    for (int i = s; i < e; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Advances to the next line; false at the end of the input. */
  boolean next() throws IOException {
    boolean skipping = false;
    while (true) {
      for (int i; (i = Scan.indexOf(buf, pos, limit, (byte) '\n')) >= 0; ) {
        int s = pos;
        pos = i + 1;
        lineNo++;
        if (skipping) {
          overlong++;
          skipping = false;
          continue;
        }
        start = s;
        end = i > s && buf[i - 1] == '\r' ? i - 1 : i;
        return true;
      }
      if (eof) {
        if (pos < limit && !skipping && problem == null) {
          lineNo++;
          start = pos;
          end = limit;
          pos = limit;
          return true;
        }
        if (skipping) {
          overlong++;
          lineNo++;
        }
        pos = limit;
        return false;
      }
      if (limit - pos >= MAX_LINE) {
        // Drop what is buffered of an overlong line and keep reading to its end.
        skipping = true;
        pos = limit;
      }
      compactAndFill();
    }
  }

  private void compactAndFill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    if (limit == buf.length) {
      byte[] bigger = new byte[Math.min(buf.length * 2, MAX_LINE + 1)];
      System.arraycopy(buf, 0, bigger, 0, limit);
      buf = bigger;
    }
    try {
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        eof = true;
      } else {
        limit += n;
      }
    } catch (EOFException e) {
      eof = true;
      problem = "gzip stream ends early (file truncated?)";
    } catch (ZipException e) {
      eof = true;
      problem = "corrupt gzip stream (" + e.getMessage() + ")";
    }
  }
}
