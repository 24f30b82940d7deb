package dev.egret.decode;

import java.nio.charset.StandardCharsets;

/**
 * The one text form for names taken from the wire (DNS names, TLS server names, HTTP hosts), so
 * that the same name seen by any of the three parsers compares equal, and a crafted name can never
 * carry a control character, a line break or unbounded length into later stages.
 *
 * <p>The form is the DNS presentation format of RFC 1035 5.1 with the decimal escapes of RFC 4343
 * 2.1, made canonical:
 *
 * <ul>
 *   <li>ASCII letters are lowercased (DNS compares names case-insensitively, RFC 4343 3);
 *   <li>other printable ASCII ({@code 0x21..0x7e}) is kept as is, except {@code \} which becomes
 *       {@code \\};
 *   <li>every other octet (space, controls, DEL, non-ASCII) becomes {@code \DDD}, three decimal
 *       digits;
 *   <li>in a DNS label a {@code .} is part of the label and becomes {@code \.}; in a TLS or HTTP
 *       host name a {@code .} separates labels and is kept.
 * </ul>
 *
 * <p>Names are at most {@value #MAX_OCTETS} octets on the wire (RFC 1035 2.3.4), so their text is
 * at most {@value #MAX_CHARS} characters.
 */
public final class NameText {
  /** Longest name accepted, in octets (RFC 1035 2.3.4). */
  public static final int MAX_OCTETS = 255;

  /** Longest text a name can become: every octet escaped as {@code \DDD}. */
  public static final int MAX_CHARS = 4 * MAX_OCTETS;

  private NameText() {}

  /**
   * Text of a host name given as a dotted octet string (TLS server_name, HTTP Host).
   *
   * @return the escaped text, or null when the name is empty or longer than {@link #MAX_OCTETS}
   */
  public static String host(byte[] b, int off, int len) {
    if (len <= 0 || len > MAX_OCTETS) {
      return null;
    }
    int size = 0;
    for (int i = off; i < off + len; i++) {
      size += width(b[i] & 0xff, false);
    }
    byte[] text = new byte[size];
    int n = 0;
    for (int i = off; i < off + len; i++) {
      n = putOctet(text, n, b[i] & 0xff, false);
    }
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  /**
   * Writes one octet of a name in the canonical text form (ASCII, so one byte per character) at
   * {@code at}; {@code text} has room for four more bytes.
   *
   * @param inDnsLabel true when the octet is inside a DNS label, where {@code .} is data
   * @return the offset after what was written
   */
  /** How many characters {@link #putOctet} writes for {@code c}. */
  static int width(int c, boolean inDnsLabel) {
    if (c == '\\' || (c == '.' && inDnsLabel)) {
      return 2;
    }
    return c >= 0x21 && c <= 0x7e ? 1 : 4;
  }

  static int putOctet(byte[] text, int at, int c, boolean inDnsLabel) {
    if (c >= 'A' && c <= 'Z') {
      text[at] = (byte) (c + ('a' - 'A'));
      return at + 1;
    }
    if (c == '\\' || (c == '.' && inDnsLabel)) {
      text[at] = '\\';
      text[at + 1] = (byte) c;
      return at + 2;
    }
    if (c >= 0x21 && c <= 0x7e) {
      text[at] = (byte) c;
      return at + 1;
    }
    text[at] = '\\';
    text[at + 1] = (byte) ('0' + c / 100);
    text[at + 2] = (byte) ('0' + c / 10 % 10);
    text[at + 3] = (byte) ('0' + c % 10);
    return at + 4;
  }
}
