package dev.egret.report;

/**
 * Escaping for the report. Every string that reaches the page, and above all every name from the
 * wire (a DNS name, a TLS SNI, an HTTP Host header, which an attacker chooses), goes through {@link
 * #text}: control, line-separator, bidi and zero-width characters become visible {@code \\uXXXX}
 * escapes (so a name cannot reorder or hide the text around it), and {@code & < > " '} become
 * character references, so the result is inert both as element text and inside a quoted attribute
 * value. Names arrive already in egret's printable escaped form; a backslash is kept as it is. The
 * report writes no wire text anywhere else: not into {@code <script>}, {@code <style>}, URLs, event
 * attributes or unquoted attributes.
 */
final class Html {
  private Html() {}

  /** Safe as element text and as a double- or single-quoted attribute value. */
  static String text(String s) {
    String t = s == null ? "" : s;
    StringBuilder sb = null;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      String rep =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> invisible(c) ? String.format("\\u%04x", (int) c) : null;
          };
      if (rep == null) {
        if (sb != null) {
          sb.append(c);
        }
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(t.length() + 16).append(t, 0, i);
      }
      sb.append(rep);
    }
    return sb == null ? t : sb.toString();
  }

  /** C0 and C1 controls, DEL, line and paragraph separators, bidi and zero-width characters. */
  static boolean invisible(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x200b && c <= 0x200f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0xfeff;
  }

  /** At most {@code max} characters of {@code s}, with an ellipsis when cut; escaped. */
  static String cut(String s, int max) {
    String t = s == null ? "" : s;
    if (t.length() <= max) {
      return text(t);
    }
    int end = max - 1;
    if (Character.isHighSurrogate(t.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return text(t.substring(0, end) + "\u2026");
  }
}
