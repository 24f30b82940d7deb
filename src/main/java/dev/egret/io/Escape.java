package dev.egret.io;

/**
 * Makes text that came from the wire or the user safe for a terminal line. Every control character
 * (C0, DEL, C1), every line or paragraph separator and every bidi override is shown as an escape,
 * so a crafted DNS name cannot move the cursor, change colours or forge a line.
 */
public final class Escape {
  private Escape() {}

  public static String forTerminal(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = terminalReplacement(c);
      if (rep == null) {
        if (sb != null) {
          sb.append(c);
        }
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      sb.append(rep);
    }
    return sb == null ? s : sb.toString();
  }

  private static String terminalReplacement(char c) {
    if (c == '\\') {
      return "\\\\";
    }
    if (c == '\n') {
      return "\\n";
    }
    if (c == '\r') {
      return "\\r";
    }
    if (c == '\t') {
      return "\\t";
    }
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || isFormatting(c)) {
      return String.format("\\u%04x", (int) c);
    }
    return null;
  }

  /** Line/paragraph separators, bidi controls and zero-width characters. */
  static boolean isFormatting(char c) {
    return c == 0x2028
        || c == 0x2029
        || (c >= 0x200b && c <= 0x200f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0xfeff;
  }
}
