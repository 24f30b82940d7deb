package dev.egret.logs;

import dev.egret.decode.NameText;
import dev.egret.net.IpAddress;
import java.nio.charset.StandardCharsets;

/**
 * Reads the values of log fields straight from the bytes of a line: counts, decimal times,
 * addresses and names. A value that is not what its column says yields a sentinel ({@link #BAD}) or
 * null; the caller counts the line as malformed and names the column.
 */
final class Text {
  /** Returned by the number readers for a value that is not a number. */
  static final long BAD = Long.MIN_VALUE;

  private static final long NANOS = 1_000_000_000L;
  private static final long MAX_FRAC = Long.MAX_VALUE % NANOS;

  private Text() {}

  /** True for Zeek's unset ({@code -}) and empty ({@code (empty)}) markers and for "". */
  static boolean unset(byte[] b, int s, int e) {
    int n = e - s;
    return n == 0
        || (n == 1 && b[s] == '-')
        || (n == 7 && b[s] == '(' && b[s + 1] == 'e' && b[e - 1] == ')');
  }

  /** A non-negative decimal count; 0 when unset; {@link #BAD} when not a count. */
  static long count(byte[] b, int s, int e) {
    if (e - s > 18) {
      return BAD; // longer than the unset markers too
    }
    long v = 0;
    for (int i = s; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        // The unset markers are told apart only here, off the path of a count.
        return unset(b, s, e) ? 0 : BAD;
      }
      v = v * 10 + d;
    }
    return v; // 0 for ""
  }

  /**
   * Seconds with an optional fraction ({@code 1591367999.305988}, Zeek's time and interval) as
   * nanoseconds; 0 when unset; {@link #BAD} when not such a number or out of range (more than
   * {@code Long.MAX_VALUE} nanoseconds, past the year 2262).
   */
  static long seconds(byte[] b, int s, int e) {
    int n = e - s;
    if (n >= 8 && n <= 17 && b[e - 7] == '.' && e >= 15) {
      long ns = zeekSeconds(b, s, e);
      if (ns != NOT_ZEEK) {
        return ns;
      }
    }
    if (n == 0) {
      return 0; // unset
    }
    boolean negative = b[s] == '-';
    int i = negative ? s + 1 : s;
    long whole = 0;
    int digits = 0;
    for (; i < e && b[i] != '.'; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9 || ++digits > 11) {
        return unset(b, s, e) ? 0 : BAD;
      }
      whole = whole * 10 + d;
    }
    long frac = 0;
    int scale = 0;
    if (i < e) {
      for (i++; i < e; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          return BAD;
        }
        if (scale < 9) {
          frac = frac * 10 + d;
          scale++;
        }
      }
    }
    if (digits == 0 && scale == 0) {
      return unset(b, s, e) ? 0 : BAD; // "-" is unset
    }
    for (; scale < 9; scale++) {
      frac *= 10;
    }
    if (whole > Long.MAX_VALUE / NANOS || whole == Long.MAX_VALUE / NANOS && frac > MAX_FRAC) {
      return BAD; // past the year 2262: as nanoseconds it would wrap around
    }
    long ns = whole * NANOS + frac;
    return negative ? -ns : ns;
  }

  /** {@link #zeekSeconds}: not of that form (or not digits), for {@link #seconds} to read. */
  private static final long NOT_ZEEK = Long.MIN_VALUE + 1;

  /** All digits zero. */
  private static final long ZEROS = 0x3030303030303030L;

  /**
   * {@link #seconds} of the form Zeek writes times and intervals in, 1 to 10 digits, a point and 6
   * digits ({@code 1705276806.487786}, {@code 1.064916}), read eight digits at a time ({@link
   * Scan#eightDigits}): two such values per conn.log row took a tenth of reading's CPU a digit at a
   * time. {@code b[e - 7]} is the point and {@code e >= 15}; {@link #NOT_ZEEK} when a byte is not a
   * digit.
   */
  private static long zeekSeconds(byte[] b, int s, int e) {
    // The word ending at e: the last whole digit, the point (both made '0'), the six decimals.
    long micros = Scan.eightDigits(Scan.word(b, e - 8) & ~0xFFFFL | 0x3030L);
    int k = e - s - 7; // whole digits
    long whole;
    if (k >= 8) {
      whole = Scan.eightDigits(Scan.word(b, s));
      for (int i = s + 8; i < e - 7 && whole >= 0; i++) {
        int d = b[i] - '0';
        whole = d < 0 || d > 9 ? -1 : whole * 10 + d;
      }
    } else {
      // The eight bytes before the point: the k digits are its high bytes, the rest made '0'.
      long keep = -1L << (8 * (8 - k));
      whole = Scan.eightDigits(Scan.word(b, e - 15) & keep | ZEROS & ~keep);
    }
    if (micros < 0 || whole < 0) {
      return NOT_ZEEK;
    }
    long frac = micros * 1000;
    if (whole > Long.MAX_VALUE / NANOS || whole == Long.MAX_VALUE / NANOS && frac > MAX_FRAC) {
      return BAD; // past the year 2262
    }
    return whole * NANOS + frac;
  }

  /**
   * A literal IPv4 or IPv6 address into {@code out[0..1]} (IPv4 mapped, as {@link IpAddress});
   * false when it is not one. IPv4 is read without making a String.
   */
  static boolean address(byte[] b, int s, int e, long[] out) {
    int n = e - s;
    if (n < 2 || n > 45) {
      return false;
    }
    // A dotted quad, read in the one pass that finds it is none (a ':' makes it IPv6).
    long v = 0;
    int octet = -1;
    int dots = 0;
    for (int i = s; i < e; i++) {
      int c = b[i];
      if (c >= '0' && c <= '9') {
        octet = octet < 0 ? c - '0' : octet == 0 ? 256 : octet * 10 + c - '0';
        if (octet > 255) {
          // past 255, or a leading zero, which IpAddress refuses too (octal to some readers)
          return hasColon(b, i, e) && ipv6(b, s, e, out);
        }
      } else if (c == '.') {
        if (octet < 0 || ++dots > 3) {
          return hasColon(b, i, e) && ipv6(b, s, e, out);
        }
        v = (v << 8) | octet;
        octet = -1;
      } else {
        return hasColon(b, i, e) && ipv6(b, s, e, out);
      }
    }
    if (dots != 3 || octet < 0) {
      return false;
    }
    out[0] = 0;
    out[1] = dev.egret.net.Ip.v4Lo((int) ((v << 8) | octet));
    return true;
  }

  private static boolean hasColon(byte[] b, int from, int e) {
    for (int i = from; i < e; i++) {
      if (b[i] == ':') {
        return true;
      }
    }
    return false;
  }

  /** An address with a ':': IPv6, a dotted quad inside read by {@link IpAddress#parse}. */
  private static boolean ipv6(byte[] b, int s, int e, long[] out) {
    int groups = v6(b, s, e, out);
    if (groups != DOTTED) {
      return groups == 1;
    }
    try {
      IpAddress a = IpAddress.parse(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
      out[0] = a.hi();
      out[1] = a.lo();
      return true;
    } catch (IllegalArgumentException notAnAddress) {
      return false;
    }
  }

  /** {@link #v6}: a dotted quad inside, left to {@link IpAddress#parse}. */
  private static final int DOTTED = 2;

  /**
   * An IPv6 address of hex groups (RFC 4291 2.2, forms 1 and 2) into {@code out[0..1]}, read as
   * {@link IpAddress#parse} reads it but without a String, a split and an array per address (a
   * conn.log row of IPv6 hosts spent more on its two addresses than on the rest of the row): 1 when
   * it is one, 0 when not, {@link #DOTTED} when a group is a dotted quad (form 3).
   */
  static int v6(byte[] b, int s, int e, long[] out) {
    long headHi = 0;
    long headLo = 0;
    long tailHi = 0;
    long tailLo = 0;
    int head = 0;
    int tail = 0;
    boolean gap = false; // "::" seen
    int i = s;
    if (e - s >= 2 && b[s] == ':' && b[s + 1] == ':') {
      gap = true;
      i = s + 2;
    }
    while (i < e) {
      int g = 0;
      int digits = 0;
      for (int h; i < e && digits <= 4 && (h = hex(b[i])) >= 0; i++, digits++) {
        g = g << 4 | h;
      }
      if (digits == 0 || digits > 4) {
        return 0;
      }
      if (i < e && b[i] == '.') {
        return DOTTED;
      }
      if (gap) {
        tailHi = tailHi << 16 | tailLo >>> 48;
        tailLo = tailLo << 16 | g;
        tail++;
      } else {
        headHi = headHi << 16 | headLo >>> 48;
        headLo = headLo << 16 | g;
        head++;
      }
      if (i == e) {
        break;
      }
      if (b[i++] != ':' || i == e) {
        return 0; // not a separator, or one that ends the text
      }
      if (b[i] == ':') {
        if (gap) {
          return 0; // a second "::"
        }
        gap = true;
        i++;
      }
    }
    if (gap ? head + tail > 7 : head != 8) {
      return 0;
    }
    // The head's groups go to the top: shifted left past the gap and the tail.
    for (int k = head; k < 8; k++) {
      headHi = headHi << 16 | headLo >>> 48;
      headLo <<= 16;
    }
    out[0] = headHi | tailHi;
    out[1] = headLo | tailLo;
    return 1;
  }

  /** {@link #address} of a String. */
  static boolean address(String s, long[] out) {
    if (s == null) {
      return false;
    }
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return s.length() == b.length && address(b, 0, b.length, out);
  }

  /** A port or ICMP type, 0-65535, or -1. */
  static int port(byte[] b, int s, int e) {
    if (s == e || e - s > 5) {
      return -1;
    }
    int v = 0;
    for (int i = s; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1; // the unset markers too
      }
      v = v * 10 + d;
    }
    return v > 65535 ? -1 : v;
  }

  /** True when the field is exactly {@code word} (ASCII bytes). */
  static boolean is(byte[] b, int s, int e, byte[] word) {
    if (e - s != word.length) {
      return false;
    }
    for (int i = 0; i < word.length; i++) {
      if (b[s + i] != word[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A Zeek ASCII field with its escapes undone ({@code \xHH} for a byte the writer would not print
   * or the separator, {@code \\} for a backslash), into {@code scratch}; returns its length.
   */
  static int unescapeZeek(byte[] b, int s, int e, byte[] scratch) {
    int n = 0;
    for (int i = s; i < e && n < scratch.length; i++) {
      byte c = b[i];
      if (c == '\\' && i + 3 < e && b[i + 1] == 'x' && hex(b[i + 2]) >= 0 && hex(b[i + 3]) >= 0) {
        scratch[n++] = (byte) (hex(b[i + 2]) << 4 | hex(b[i + 3]));
        i += 3;
      } else if (c == '\\' && i + 1 < e && b[i + 1] == '\\') {
        scratch[n++] = '\\';
        i++;
      } else {
        scratch[n++] = c;
      }
    }
    return n;
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /**
   * A host name from a log in egret's one text form ({@link NameText}), a trailing root dot
   * removed; null when empty or longer than a DNS name can be. Log writers already turned the wire
   * bytes into text (Zeek escapes, JSON strings), so this is where it is bounded and made safe
   * again: the text is attacker-controlled.
   */
  static String name(byte[] b, int s, int len) {
    if (len > 0 && b[s + len - 1] == '.') {
      len--;
    }
    return NameText.host(b, s, len);
  }

  /** {@link #name} of a JSON string (UTF-8 bytes). */
  static String name(String s) {
    if (s == null) {
      return null;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return name(b, 0, b.length);
  }
}
