package dev.egret.capture;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * Bytes from an {@link InputStream}: a plain file, a gzip stream or standard input. A gzip stream
 * that ends early is the end of the input (the reader then reports a truncated record); a corrupt
 * one ends the input too and is reported through {@link #failure()}.
 */
final class StreamSupply implements ByteSupply {
  private final InputStream in;
  private final boolean closeIn;
  private final byte[] one = new byte[1];
  private String failure;

  StreamSupply(InputStream in, boolean closeIn) {
    this.in = in;
    this.closeIn = closeIn;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      return -1;
    }
    try {
      return in.read(b, off, len);
    } catch (EOFException e) {
      // GZIPInputStream: "Unexpected end of ZLIB input stream", a cut-short .gz file.
      return -1;
    } catch (ZipException e) {
      failure = "gzip data corrupt (" + e.getMessage() + ")";
      return -1;
    }
  }

  @Override
  public long skip(long n) throws IOException {
    long done = 0;
    while (done < n) {
      long s;
      try {
        s = in.skip(n - done);
      } catch (EOFException e) {
        return done;
      } catch (ZipException e) {
        failure = "gzip data corrupt (" + e.getMessage() + ")";
        return done;
      }
      if (s <= 0) {
        // InputStream.skip may return 0 before the end; one read() tells which.
        if (read1() < 0) {
          return done;
        }
        s = 1;
      }
      done += s;
    }
    return done;
  }

  private int read1() throws IOException {
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public String failure() {
    return failure;
  }

  @Override
  public void close() throws IOException {
    if (closeIn) {
      in.close();
    }
  }
}
