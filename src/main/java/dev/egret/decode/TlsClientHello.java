package dev.egret.decode;

/**
 * Finds the server name (RFC 6066 3) in the ClientHello a client sends first on a TLS connection
 * (RFC 8446 4.1.2; TLS 1.0 to 1.2 use the same layout). The bytes are attacker-controlled: every
 * read is length-checked, no input makes these methods throw, and the work is linear in the input.
 *
 * <p>The ClientHello may be split over several TLS records (RFC 8446 5.1) and those over several
 * TCP segments. The caller buffers the first bytes of the client's stream and calls {@link #scan}
 * with all it has; a positive result says how many bytes are needed, and the caller calls again
 * once it has them (or gives up at its own bound, such as 16 KiB). Once {@code scan} returns {@link
 * #SNI}, {@link #serverName} gives the name as text.
 *
 * <p>A ClientHello in one record is read in place; one split over records is copied into a new
 * array, and only once it is complete, so a caller pays that copy about once per connection.
 *
 * <p>The name is in {@link NameText} form: dots are label separators, so {@code a.b} from SNI
 * equals the DNS name {@code a.b}. A name longer than 255 octets, the limit of a DNS name, is no
 * host name and makes the hello {@link #MALFORMED}.
 */
public final class TlsClientHello {
  /** The bytes do not start with a TLS handshake record holding a ClientHello. */
  public static final int NOT_TLS = -1;

  /** A ClientHello whose lengths do not add up, or whose server name is unusable. */
  public static final int MALFORMED = -2;

  /** A complete ClientHello without a host_name in a server_name extension. */
  public static final int NO_SNI = -3;

  /** A complete ClientHello with a host name; {@link #serverName} returns it. */
  public static final int SNI = -4;

  private static final int RECORD_HEADER = 5;
  private static final int CONTENT_HANDSHAKE = 22;
  private static final int HANDSHAKE_CLIENT_HELLO = 1;
  private static final int EXT_SERVER_NAME = 0;
  private static final int NAME_TYPE_HOST = 0;

  /** RFC 8446 5.1: a record's plaintext is at most 2^14 octets. */
  private static final int MAX_RECORD = 1 << 14;

  private TlsClientHello() {}

  /**
   * Looks at the first bytes a client sent. Allocates nothing unless the ClientHello is split over
   * records.
   *
   * @return {@link #NOT_TLS}, {@link #MALFORMED}, {@link #NO_SNI}, {@link #SNI}, or a positive
   *     number: the ClientHello is not complete, and at least that many bytes from {@code off} are
   *     needed before it can be
   */
  public static int scan(byte[] b, int off, int len) {
    return parse(b, off, len, null);
  }

  /**
   * The host name, in {@link NameText} form, when {@link #scan} returns {@link #SNI}; else null.
   */
  public static String serverName(byte[] b, int off, int len) {
    return serverName(b, off, len, null);
  }

  /** {@link #serverName(byte[], int, int)}, the name through {@code names} unless it is null. */
  static String serverName(byte[] b, int off, int len, HostNames names) {
    NameAt at = new NameAt();
    if (parse(b, off, len, at) != SNI) {
      return null;
    }
    return names == null
        ? NameText.host(at.buf, at.off, at.len)
        : names.host(at.buf, at.off, at.len);
  }

  /** Where the host name was found; the buffer is a copy when the hello spanned records. */
  private static final class NameAt {
    byte[] buf;
    int off;
    int len;
  }

  private static int parse(byte[] b, int off, int len, NameAt at) {
    if (b == null || off < 0 || len < 0 || off > b.length - len) {
      return NOT_TLS;
    }
    // RFC 8446 5.1: ContentType handshake(22), legacy_record_version 0x03xx, uint16 length.
    if ((len >= 1 && (b[off] & 0xff) != CONTENT_HANDSHAKE)
        || (len >= 2 && b[off + 1] != 3)
        || (len >= 3 && (b[off + 2] & 0xff) > 4)) {
      return NOT_TLS;
    }
    if (len < RECORD_HEADER + 4) {
      return RECORD_HEADER + 4;
    }
    int recLen = u16(b, off + 3);
    // RFC 8446 4: Handshake is msg_type (1) and a uint24 length, then the body.
    if (recLen > MAX_RECORD || (b[off + 5] & 0xff) != HANDSHAKE_CLIENT_HELLO) {
      return NOT_TLS;
    }
    if (recLen < 4) {
      return MALFORMED; // a handshake header split over records: legal, but no client does it
    }
    int helloLen = (b[off + 6] & 0xff) << 16 | u16(b, off + 7);
    if (helloLen <= recLen - 4) {
      if (len < RECORD_HEADER + 4 + helloLen) {
        return RECORD_HEADER + 4 + helloLen;
      }
      return readHello(b, off + RECORD_HEADER + 4, helloLen, at);
    }
    return parseFragmented(b, off, len, helloLen, at);
  }

  /**
   * A ClientHello longer than its first record: walk the following handshake records (RFC 8446 5.1:
   * handshake messages may be fragmented across records, and records of another type must not come
   * between the fragments), then copy the fragments together.
   */
  private static int parseFragmented(byte[] b, int off, int len, int helloLen, NameAt at) {
    int end = off + len;
    int total = 4 + helloLen;
    int have = 0; // hello octets (handshake header included) in the complete records so far
    int pos = off;
    while (have < total) {
      int missing = total - have;
      if (end - pos < RECORD_HEADER) {
        return pos - off + RECORD_HEADER + missing;
      }
      int recLen = u16(b, pos + 3);
      if ((b[pos] & 0xff) != CONTENT_HANDSHAKE
          || b[pos + 1] != 3
          || recLen == 0
          || recLen > MAX_RECORD) {
        return MALFORMED;
      }
      if (end - pos - RECORD_HEADER < recLen) {
        // This record, and when it cannot hold the rest, at least one more record header.
        return pos
            - off
            + RECORD_HEADER
            + Math.max(recLen, missing)
            + (recLen < missing ? RECORD_HEADER : 0);
      }
      have += recLen;
      pos += RECORD_HEADER + recLen;
    }
    byte[] hello = new byte[total];
    int copied = 0;
    for (int p = off; copied < total; p += RECORD_HEADER + u16(b, p + 3)) {
      int n = Math.min(u16(b, p + 3), total - copied);
      System.arraycopy(b, p + RECORD_HEADER, hello, copied, n);
      copied += n;
    }
    return readHello(hello, 4, helloLen, at);
  }

  /** Reads a complete ClientHello body (RFC 8446 4.1.2) for its server_name extension. */
  private static int readHello(byte[] b, int off, int len, NameAt at) {
    int end = off + len;
    // legacy_version (2), random (32), legacy_session_id <0..32>.
    int p = off + 2 + 32;
    if (p >= end || (b[p] & 0xff) > 32) {
      return MALFORMED;
    }
    p += 1 + (b[p] & 0xff);
    // cipher_suites <2..2^16-2>, two octets each.
    if (p + 2 > end) {
      return MALFORMED;
    }
    int suites = u16(b, p);
    p += 2 + suites;
    // legacy_compression_methods <1..2^8-1>.
    if (suites < 2 || (suites & 1) != 0 || p >= end) {
      return MALFORMED;
    }
    p += 1 + (b[p] & 0xff);
    if (p > end) {
      return MALFORMED;
    }
    if (p == end) {
      return NO_SNI; // RFC 5246 7.4.1.2: before TLS 1.3 the extensions may be absent.
    }
    if (end - p < 2 || u16(b, p) > end - p - 2) {
      return MALFORMED;
    }
    int extEnd = p + 2 + u16(b, p);
    p += 2;
    while (p < extEnd) {
      if (extEnd - p < 4) {
        return MALFORMED;
      }
      int type = u16(b, p);
      int extLen = u16(b, p + 2);
      p += 4;
      if (extLen > extEnd - p) {
        return MALFORMED;
      }
      if (type == EXT_SERVER_NAME) {
        return readServerName(b, p, extLen, at);
      }
      p += extLen;
    }
    return NO_SNI;
  }

  /** RFC 6066 3: ServerNameList, entries of name_type (1) and HostName <1..2^16-1>. */
  private static int readServerName(byte[] b, int off, int len, NameAt at) {
    if (len < 2 || u16(b, off) != len - 2) {
      return MALFORMED;
    }
    int end = off + len;
    for (int p = off + 2; p < end; ) {
      if (end - p < 3) {
        return MALFORMED;
      }
      int type = b[p] & 0xff;
      int nameLen = u16(b, p + 1);
      p += 3;
      if (nameLen > end - p) {
        return MALFORMED;
      }
      if (type == NAME_TYPE_HOST) {
        if (nameLen == 0 || nameLen > NameText.MAX_OCTETS) {
          return MALFORMED;
        }
        if (at != null) {
          at.buf = b;
          at.off = p;
          at.len = nameLen;
        }
        return SNI;
      }
      p += nameLen;
    }
    return NO_SNI;
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }
}
