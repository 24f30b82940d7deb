package dev.egret.io;

import java.nio.charset.StandardCharsets;

/**
 * Recognises the kind of file from its first bytes, so that a file given in the wrong place (a
 * capture for a baseline, a policy for a baseline, a baseline for a policy) is named for what it is
 * instead of reported as corrupt.
 */
public final class FileKinds {
  private FileKinds() {}

  /** What the first {@code n} bytes look like: "a capture file", "a baseline", ..., or null. */
  static String kind(byte[] head, int n) {
    if (n >= 4) {
      int magic =
          (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | head[3] & 0xff;
      switch (magic) {
        case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a:
          return "a capture file";
        default:
          break;
      }
    }
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      // egret writes its baselines gzip-compressed: what the head holds says what it is.
      // The whole head where the caller has more than n bytes: a deflate block's code tables
      // can take more than n bytes before the first byte they give.
      byte[] inner = inflated(head, Math.min(head.length, 1 << 16));
      String k = inner.length >= 4 ? kind(inner, inner.length) : null;
      return k != null ? k : "a gzip file (a compressed capture?)";
    }
    String text = new String(head, 0, n, StandardCharsets.ISO_8859_1).stripLeading();
    if (text.startsWith("{") && text.contains("\"schemaVersion\"")) {
      return "a baseline";
    }
    if (text.startsWith("apiVersion:") || text.startsWith("kind:")) {
      return "a policy";
    }
    return null;
  }

  /**
   * The first bytes the gzip member in {@code head} holds, as far as its first {@code n} bytes give
   * them; none when its header has optional fields or its data is not deflate.
   */
  private static byte[] inflated(byte[] head, int n) {
    if (n <= 10 || head[2] != 8 || head[3] != 0) {
      return new byte[0];
    }
    java.util.zip.Inflater inf = new java.util.zip.Inflater(true);
    try {
      inf.setInput(head, 10, n - 10);
      byte[] out = new byte[64];
      int got = inf.inflate(out);
      return java.util.Arrays.copyOf(out, got);
    } catch (java.util.zip.DataFormatException e) {
      return new byte[0];
    } finally {
      inf.end();
    }
  }

  /**
   * Fails unless the head could be a baseline (JSON); names what it is instead. {@code compressed}:
   * the head is what a gzip file holds, as a baseline is written.
   */
  public static void expectBaseline(byte[] head, int n, String file, boolean compressed) {
    if (n == 0) {
      throw InputException.file(
          file,
          0,
          0,
          compressed ? "compressed, but empty: not a baseline" : "empty file, not a baseline");
    }
    String k = kind(head, n);
    if ("a capture file".equals(k) || k != null && k.startsWith("a gzip")) {
      String what = compressed && "a capture file".equals(k) ? "a compressed capture file" : k;
      throw InputException.file(
          file, 0, 0, what + ", not a baseline (egret learn reads captures into a baseline)");
    }
    if ("a policy".equals(k)) {
      throw InputException.file(file, 0, 0, "a policy, not a baseline");
    }
    String text = new String(head, 0, n, StandardCharsets.ISO_8859_1).strip();
    if (text.isEmpty()) {
      throw InputException.file(file, 0, 0, "not a baseline (only blank lines)");
    }
    if (text.charAt(0) != '{') {
      throw InputException.file(file, 1, 0, "not a baseline (a baseline is JSON, starting with {)");
    }
  }

  /** Fails when the head is clearly not a YAML {@code what} (a policy, a config). */
  public static void expectYaml(byte[] head, int n, String file, String what) {
    String k = kind(head, n);
    if (k == null || k.equals(what)) {
      return;
    }
    String hint =
        "a baseline".equals(k) && "a policy".equals(what)
            ? " (egret policy makes one from it)"
            : "";
    throw InputException.file(file, 0, 0, k + ", not " + what + hint);
  }

  /**
   * Fails when the head is a capture, a gzip file or a baseline, none of which is the YAML text
   * file {@code what} (a decisions file); a policy's head is left to the reader's own checks.
   */
  public static void expectText(byte[] head, int n, String file, String what) {
    String k = kind(head, n);
    if (k == null || k.equals("a policy")) {
      return;
    }
    throw InputException.file(file, 0, 0, k + ", not " + what);
  }

  /**
   * "a baseline" or "a policy" when the head is one of egret's own files, given where a capture or
   * a log is read; otherwise null.
   */
  public static String ownFile(byte[] head, int n) {
    String k = kind(head, n);
    return "a baseline".equals(k) || "a policy".equals(k) ? k : null;
  }
}
