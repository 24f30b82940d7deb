package dev.egret.decode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The text of the names one parser met lately, so that a name repeated from message to message
 * becomes one {@link String} once: no new string per message, and its hash is computed once and it
 * compares by identity in the tables keyed by it. On the bench capture, 142,490 DNS responses for a
 * few dozen names: building each name's string and hashing it into the learner's tables was a
 * quarter of the replaying thread.
 *
 * <p>Direct-mapped, {@value #SLOTS} slots: a name replaces the one in its slot. Names come from the
 * wire, so a flood of distinct names only misses (each costs what it did without the cache), and
 * the memory held is at most {@code SLOTS} texts of at most {@link NameText#MAX_CHARS} bytes,
 * whatever the input. One parser's cache, not shared between threads.
 */
final class NameCache {
  static final int SLOTS = 1024;

  private final byte[][] keys = new byte[SLOTS][];
  private final String[] texts = new String[SLOTS];

  /**
   * {@link NameText#host}{@code (b, off, len)}, keyed by the octets as they are: a cache used for
   * this is not used for {@link #text}.
   */
  String host(byte[] b, int off, int len) {
    if (len <= 0 || len > NameText.MAX_OCTETS) {
      return null;
    }
    int h = len;
    for (int i = off; i < off + len; i++) {
      h = 31 * h + b[i];
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    byte[] k = keys[slot];
    if (k != null && k.length == len && Arrays.equals(k, 0, len, b, off, off + len)) {
      return texts[slot];
    }
    String s = NameText.host(b, off, len);
    keys[slot] = Arrays.copyOfRange(b, off, off + len);
    texts[slot] = s;
    return s;
  }

  /** The string of the ASCII text {@code text[0, len)}. */
  String text(byte[] text, int len) {
    int h = len;
    for (int i = 0; i < len; i++) {
      h = 31 * h + text[i];
    }
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    byte[] k = keys[slot];
    if (k != null && k.length == len && Arrays.equals(k, 0, len, text, 0, len)) {
      return texts[slot];
    }
    k = Arrays.copyOf(text, len);
    String s = new String(k, StandardCharsets.ISO_8859_1);
    keys[slot] = k;
    texts[slot] = s;
    return s;
  }
}
