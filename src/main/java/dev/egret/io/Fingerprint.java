package dev.egret.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Recognises a capture file again without reading all of it: SHA-256 over the file size, its first
 * 4 MiB and its last 4 MiB. Two different captures that agree on all three are not a realistic
 * case; reading a 10 GB file twice just to tell would be.
 */
public final class Fingerprint {
  static final int EDGE = 4 << 20;

  private Fingerprint() {}

  public static String of(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      sha.update(ByteBuffer.allocate(8).putLong(0, size));
      digest(ch, sha, 0, Math.min(size, EDGE));
      if (size > EDGE) {
        long from = Math.max(EDGE, size - EDGE);
        digest(ch, sha, from, size - from);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void digest(FileChannel ch, MessageDigest sha, long pos, long len)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    long done = 0;
    while (done < len) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), len - done));
      int n = ch.read(buf, pos + done);
      if (n < 0) {
        break;
      }
      buf.flip();
      sha.update(buf);
      done += n;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
