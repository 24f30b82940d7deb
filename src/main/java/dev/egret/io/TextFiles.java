package dev.egret.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading a small text file (policy, config) whole, with errors that name the file. */
public final class TextFiles {
  private TextFiles() {}

  /** The bytes of {@code file}, which must be a regular file; {@code what}: "a policy file". */
  public static byte[] read(Path file, String what) throws IOException {
    if (Files.isDirectory(file)) {
      throw InputException.file(file.toString(), 0, 0, "is a directory, not " + what);
    }
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    return Files.readAllBytes(file);
  }

  /** {@code bytes} as UTF-8 text; a byte that is not UTF-8 is reported with its line. */
  public static String utf8(byte[] bytes, String file) {
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    java.nio.charset.CoderResult r = d.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      long line = 1;
      for (int i = 0; i < at; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw InputException.file(
          file,
          line,
          0,
          String.format("not UTF-8 text (byte 0x%02x); save the file as UTF-8", bytes[at] & 0xff));
    }
    d.flush(out);
    out.flip();
    String s = out.toString();
    return s.startsWith("\ufeff") ? s.substring(1) : s;
  }
}
