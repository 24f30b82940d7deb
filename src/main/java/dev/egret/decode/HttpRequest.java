package dev.egret.decode;

import java.nio.charset.StandardCharsets;

/**
 * Finds the host an HTTP/1.x client asked for in the first bytes it sent (RFC 9112 3, 3.2). The
 * bytes are attacker-controlled: every read is length-checked, no input makes these methods throw,
 * and the work is one pass over the bytes given.
 *
 * <p>The host is taken from, in order:
 *
 * <ul>
 *   <li>the request target of a CONNECT (authority-form, RFC 9112 3.2.3);
 *   <li>an absolute-form target such as {@code GET http://example.com/ HTTP/1.1}, which a server
 *       must prefer over Host (RFC 9112 3.2.2);
 *   <li>the first {@code Host} header field (name case-insensitive, RFC 9110 5.1).
 * </ul>
 *
 * <p>The port is removed; an IPv6 literal keeps its brackets ({@code [2001:db8::1]}, the RFC 3986
 * 3.2.2 host). The text is in {@link NameText} form, and a host longer than 255 octets is refused.
 * Only complete lines are read: when the Host line has not fully arrived the answer is null, and
 * the caller may try again with more bytes while {@link #mayBeRequest} holds.
 */
public final class HttpRequest {
  /** RFC 9110 9.3 and RFC 5789 methods; methods are case-sensitive (RFC 9110 9.1). */
  private static final byte[][] METHODS = {
    ascii("GET"),
    ascii("POST"),
    ascii("HEAD"),
    ascii("PUT"),
    ascii("DELETE"),
    ascii("OPTIONS"),
    ascii("PATCH"),
    ascii("CONNECT"),
    ascii("TRACE"),
  };

  private static final int CONNECT = 7;
  private static final byte[] VERSION = ascii("HTTP/1.");
  private static final byte[] HOST = ascii("host:");

  private HttpRequest() {}

  /**
   * Whether the bytes start with a known method and a space, or with a prefix of that: true means
   * more bytes could still make a request whose host can be found.
   */
  public static boolean mayBeRequest(byte[] b, int off, int len) {
    if (!valid(b, off, len)) {
      return false;
    }
    for (byte[] m : METHODS) {
      if (startsWith(b, off, len, m, Math.min(len, m.length))
          && (len <= m.length || b[off + m.length] == ' ')) {
        return true;
      }
    }
    return false;
  }

  /**
   * The host of an HTTP/1.x request at {@code off}.
   *
   * @return the host in {@link NameText} form, or null when the bytes are not an HTTP/1.x request,
   *     hold no host (yet), or the host is empty or too long
   */
  public static String host(byte[] b, int off, int len) {
    return host(b, off, len, null);
  }

  /** {@link #host(byte[], int, int)}, the name through {@code names} unless it is null. */
  static String host(byte[] b, int off, int len, HostNames names) {
    if (!valid(b, off, len)) {
      return null;
    }
    int method = method(b, off, len);
    if (method < 0) {
      return null;
    }
    int end = off + len;
    int lineEnd = indexOf(b, off, end, (byte) '\n');
    if (lineEnd < 0) {
      return null;
    }
    int contentEnd = stripCr(b, off, lineEnd);
    // RFC 9112 3: method SP request-target SP HTTP-version. The minor version digit is not
    // checked: "HTTP/1." is enough to know the header fields that follow are HTTP/1.x ones.
    int target = off + METHODS[method].length + 1;
    int targetEnd = indexOf(b, target, contentEnd, (byte) ' ');
    if (targetEnd <= target
        || !startsWith(b, targetEnd + 1, contentEnd - targetEnd - 1, VERSION, VERSION.length)) {
      return null;
    }
    // RFC 9112 3.2.3: authority-form, host ":" port, only for CONNECT. A CONNECT with another
    // form of target is invalid; its Host field is used then, as for the other methods.
    if (method == CONNECT && b[target] != '/' && indexOf(b, target, targetEnd, (byte) ':') > 0) {
      return authorityHost(b, target, targetEnd, names);
    }
    String fromTarget = absoluteFormHost(b, target, targetEnd, names);
    if (fromTarget != null) {
      return fromTarget;
    }
    for (int line = lineEnd + 1; line < end; ) {
      int next = indexOf(b, line, end, (byte) '\n');
      if (next < 0) {
        return null; // this field line has not fully arrived
      }
      int stop = stripCr(b, line, next);
      if (stop == line) {
        return null; // RFC 9112 2.1: the empty line ends the header section
      }
      if (startsWithIgnoreCase(b, line, stop, HOST)) {
        // RFC 9110 5.5: optional whitespace around the field value is not part of it.
        int v = line + HOST.length;
        while (v < stop && isOws(b[v])) {
          v++;
        }
        int ve = stop;
        while (ve > v && isOws(b[ve - 1])) {
          ve--;
        }
        return authorityHost(b, v, ve, names);
      }
      line = next + 1;
    }
    return null;
  }

  /** Host of {@code http://[userinfo@]host[:port]/...} (scheme case-insensitive), else null. */
  private static String absoluteFormHost(byte[] b, int from, int to, HostNames names) {
    int p = from;
    while (p < to && p - from < 16 && isSchemeChar(b[p])) {
      p++;
    }
    if (p == from || to - p < 3 || b[p] != ':' || b[p + 1] != '/' || b[p + 2] != '/') {
      return null;
    }
    int start = p + 3;
    int stop = start;
    while (stop < to && b[stop] != '/' && b[stop] != '?' && b[stop] != '#') {
      stop++;
    }
    // RFC 9110 4.2.4: userinfo is deprecated; what follows the last '@' is the host.
    for (int i = start; i < stop; i++) {
      if (b[i] == '@') {
        start = i + 1;
      }
    }
    return authorityHost(b, start, stop, names);
  }

  /** Host of {@code host[:port]} or {@code [v6]:port} (RFC 3986 3.2.2), without the port. */
  private static String authorityHost(byte[] b, int from, int to, HostNames names) {
    int stop;
    if (from < to && b[from] == '[') {
      int close = indexOf(b, from, to, (byte) ']');
      if (close < 0) {
        return null;
      }
      stop = close + 1;
    } else {
      stop = indexOf(b, from, to, (byte) ':');
      if (stop < 0) {
        stop = to;
      }
    }
    return names == null ? NameText.host(b, from, stop - from) : names.host(b, from, stop - from);
  }

  private static int method(byte[] b, int off, int len) {
    for (int i = 0; i < METHODS.length; i++) {
      byte[] m = METHODS[i];
      if (len > m.length && startsWith(b, off, len, m, m.length) && b[off + m.length] == ' ') {
        return i;
      }
    }
    return -1;
  }

  private static boolean valid(byte[] b, int off, int len) {
    return b != null && off >= 0 && len >= 0 && off <= b.length - len;
  }

  private static int indexOf(byte[] b, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** End of a line's content: before a CR that precedes the LF at {@code lf}. */
  private static int stripCr(byte[] b, int start, int lf) {
    return lf > start && b[lf - 1] == '\r' ? lf - 1 : lf;
  }

  private static boolean startsWith(byte[] b, int off, int len, byte[] p, int n) {
    if (len < n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[off + i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@code p} must be lower case. */
  private static boolean startsWithIgnoreCase(byte[] b, int from, int to, byte[] p) {
    if (to - from < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      int c = b[from + i];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != p[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isOws(byte c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  /** RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
  private static boolean isSchemeChar(byte c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || isDigit(c)
        || c == '+'
        || c == '-'
        || c == '.';
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
