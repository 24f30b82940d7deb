package dev.egret.capture;

import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * Bytes of a plain file through {@link RandomAccessFile#read(byte[], int, int)}: one read system
 * call per call, straight into the reader's array (see {@link CaptureFiles} for why not a mapping
 * or a FileChannel). A file still being written is read as far as it has grown; skipping stops at
 * the current end.
 */
final class FileSupply implements ByteSupply {
  private final RandomAccessFile file;

  FileSupply(RandomAccessFile file) {
    this.file = file;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return file.read(b, off, len);
  }

  @Override
  public long skip(long n) throws IOException {
    long pos = file.getFilePointer();
    long s = Math.max(0, Math.min(n, file.length() - pos));
    file.seek(pos + s);
    return s;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
