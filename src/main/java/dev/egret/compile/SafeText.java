package dev.egret.compile;

/**
 * The common core of every target's escaping: keeps a small alphabet that no rule language gives a
 * meaning to inside a quoted comment ({@code A-Z a-z 0-9 space . _ : / , = @ + -}) and writes every
 * other character (newline, quote, backslash, {@code ; # } $ ( )}, NUL, non-ASCII) as {@code ?},
 * then bounds the length. Nothing that came from the wire can end a quoted string, start a new line
 * or be expanded by a shell.
 */
final class SafeText {
  private SafeText() {}

  static String of(String s, int maxChars) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(Math.min(s.length(), maxChars));
    for (int i = 0; i < s.length() && sb.length() <= maxChars; ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      sb.append(allowed(cp) ? (char) cp : '?');
    }
    if (sb.length() > maxChars) {
      sb.setLength(maxChars - 3);
      sb.append("...");
    }
    return sb.toString();
  }

  static boolean allowed(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || " ._:/,=@+-".indexOf(c) >= 0;
  }

  /** An identifier from a role or rule name: {@code [a-z0-9_]} only, other characters as '_'. */
  static String identifier(String s, int maxChars) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < maxChars; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }
}
