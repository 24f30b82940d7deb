package dev.egret.synth;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Application payloads written in place: TLS records (RFC 8446), HTTP/1.1 messages (RFC 9112), NTP
 * (RFC 5905) and ICMP echo data. "Encrypted" bytes are copied from a block of seeded noise, so a
 * packet costs a copy, not a fresh random draw per byte.
 */
final class Payloads {
  private static final int NOISE = 1 << 16;

  /** RFC 8446 4.1.2 cipher suites: the three TLS 1.3 ones, then four common TLS 1.2 ones. */
  private static final int[] SUITES = {
    0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
  };

  private static final int[] SIG_ALGS = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806};
  private static final byte[][] PATHS = {
    ascii("/"),
    ascii("/index.html"),
    ascii("/v1/status"),
    ascii("/dists/stable/InRelease"),
    ascii("/pub/file.tar.gz"),
  };
  private static final byte[] GET = ascii("GET ");
  private static final byte[] HOST = ascii(" HTTP/1.1\r\nHost: ");
  private static final byte[] REQUEST_TAIL =
      ascii("\r\nUser-Agent: synth/1.0\r\nAccept: */*\r\nConnection: close\r\n\r\n");
  private static final byte[] RESPONSE_HEAD =
      ascii(
          "HTTP/1.1 200 OK\r\nServer: synth\r\nContent-Type: application/octet-stream\r\n"
              + "Content-Length: ");
  private static final byte[] CRLF2 = ascii("\r\n\r\n");

  private final byte[] noise = new byte[NOISE];
  private final SplittableRandom rnd;

  Payloads(SplittableRandom rnd) {
    this.rnd = rnd;
    for (int i = 0; i < NOISE; i += 8) {
      long v = rnd.nextLong();
      for (int j = 0; j < 8; j++) {
        noise[i + j] = (byte) (v >>> (8 * j));
      }
    }
  }

  /** Copies {@code len} noise bytes to {@code b[off..]}. */
  void noise(byte[] b, int off, int len) {
    int src = rnd.nextInt(NOISE - len);
    System.arraycopy(noise, src, b, off, len);
  }

  /** A TLS ClientHello (RFC 8446 4.1.2) with SNI (RFC 6066 3) in one record; returns its size. */
  int clientHello(byte[] b, int off, byte[] sni, boolean alpnH2) {
    int p = off;
    b[p++] = 0x16; // handshake record
    p = u16(b, p, 0x0301); // legacy_record_version
    int recLen = p;
    p += 2;
    b[p++] = 1; // client_hello
    int hsLen = p;
    p += 3;
    p = u16(b, p, 0x0303); // legacy_version
    noise(b, p, 32); // random
    p += 32;
    b[p++] = 32; // legacy_session_id
    noise(b, p, 32);
    p += 32;
    p = u16(b, p, SUITES.length * 2);
    for (int s : SUITES) {
      p = u16(b, p, s);
    }
    b[p++] = 1; // legacy_compression_methods: null only
    b[p++] = 0;
    int extLen = p;
    p += 2;
    // server_name (0): server_name_list of one host_name entry.
    p = u16(b, p, 0);
    p = u16(b, p, sni.length + 5);
    p = u16(b, p, sni.length + 3);
    b[p++] = 0;
    p = u16(b, p, sni.length);
    System.arraycopy(sni, 0, b, p, sni.length);
    p += sni.length;
    // supported_groups (10): x25519, secp256r1, secp384r1.
    p = u16(b, p, 10);
    p = u16(b, p, 8);
    p = u16(b, p, 6);
    p = u16(b, p, 0x001d);
    p = u16(b, p, 0x0017);
    p = u16(b, p, 0x0018);
    // ec_point_formats (11): uncompressed.
    p = u16(b, p, 11);
    p = u16(b, p, 2);
    b[p++] = 1;
    b[p++] = 0;
    // signature_algorithms (13).
    p = u16(b, p, 13);
    p = u16(b, p, 2 + SIG_ALGS.length * 2);
    p = u16(b, p, SIG_ALGS.length * 2);
    for (int s : SIG_ALGS) {
      p = u16(b, p, s);
    }
    // application_layer_protocol_negotiation (16, RFC 7301 3.1).
    p = u16(b, p, 16);
    if (alpnH2) {
      p = u16(b, p, 14);
      p = u16(b, p, 12);
      b[p++] = 2;
      b[p++] = 'h';
      b[p++] = '2';
      p = put(b, p, "\u0008http/1.1");
    } else {
      p = u16(b, p, 11);
      p = u16(b, p, 9);
      p = put(b, p, "\u0008http/1.1");
    }
    // supported_versions (43): TLS 1.3, TLS 1.2.
    p = u16(b, p, 43);
    p = u16(b, p, 5);
    b[p++] = 4;
    p = u16(b, p, 0x0304);
    p = u16(b, p, 0x0303);
    // psk_key_exchange_modes (45): psk_dhe_ke.
    p = u16(b, p, 45);
    p = u16(b, p, 2);
    b[p++] = 1;
    b[p++] = 1;
    // key_share (51): one x25519 share.
    p = u16(b, p, 51);
    p = u16(b, p, 38);
    p = u16(b, p, 36);
    p = u16(b, p, 0x001d);
    p = u16(b, p, 32);
    noise(b, p, 32);
    p += 32;
    u16(b, extLen, p - extLen - 2);
    u24(b, hsLen, p - hsLen - 3);
    u16(b, recLen, p - recLen - 2);
    return p - off;
  }

  /**
   * The server's first flight, exactly {@code len} bytes (at least 160): a ServerHello (RFC 8446
   * 4.1.3), a compatibility ChangeCipherSpec (RFC 8446 D.4), then one encrypted record.
   */
  int serverFlight(byte[] b, int off, int len) {
    int p = off;
    b[p++] = 0x16;
    p = u16(b, p, 0x0303);
    p = u16(b, p, 4 + 118);
    b[p++] = 2; // server_hello
    u24(b, p, 118);
    p += 3;
    p = u16(b, p, 0x0303);
    noise(b, p, 32);
    p += 32;
    b[p++] = 32;
    noise(b, p, 32);
    p += 32;
    p = u16(b, p, 0x1301);
    b[p++] = 0;
    p = u16(b, p, 46);
    p = u16(b, p, 43); // supported_versions: TLS 1.3
    p = u16(b, p, 2);
    p = u16(b, p, 0x0304);
    p = u16(b, p, 51); // key_share: x25519
    p = u16(b, p, 36);
    p = u16(b, p, 0x001d);
    p = u16(b, p, 32);
    noise(b, p, 32);
    p += 32;
    b[p++] = 0x14; // change_cipher_spec
    p = u16(b, p, 0x0303);
    p = u16(b, p, 1);
    b[p++] = 1;
    return (p - off) + appData(b, p, len - (p - off));
  }

  /** One application_data record (RFC 8446 5.2) of exactly {@code len} bytes, header included. */
  int appData(byte[] b, int off, int len) {
    b[off] = 0x17;
    u16(b, off + 1, 0x0303);
    u16(b, off + 3, len - 5);
    noise(b, off + 5, len - 5);
    return len;
  }

  /** An HTTP/1.1 GET (RFC 9112 3) for a random path on {@code host}. */
  int httpRequest(byte[] b, int off, byte[] host) {
    int p = copy(b, off, GET);
    p = copy(b, p, PATHS[rnd.nextInt(PATHS.length)]);
    p = copy(b, p, HOST);
    p = copy(b, p, host);
    p = copy(b, p, REQUEST_TAIL);
    return p - off;
  }

  /** The header of a 200 response whose body is {@code body} bytes; returns the header size. */
  int httpResponseHead(byte[] b, int off, int body) {
    int p = copy(b, off, RESPONSE_HEAD);
    p = decimal(b, p, body);
    return copy(b, p, CRLF2) - off;
  }

  /** The header size {@link #httpResponseHead} writes for a body of {@code body} bytes. */
  static int httpResponseHeadSize(int body) {
    return RESPONSE_HEAD.length + Integer.toString(body).length() + CRLF2.length;
  }

  /**
   * An NTPv4 packet (RFC 5905 7.3): a client request (mode 3) carrying only its transmit time, or a
   * server reply (mode 4, stratum 2) echoing the client's as its origin time.
   */
  int ntp(byte[] b, int off, boolean request, long epochNanos, long clientNanos) {
    java.util.Arrays.fill(b, off, off + 48, (byte) 0);
    b[off] = (byte) (request ? 0x23 : 0x24); // LI 0, VN 4, mode 3 or 4
    if (!request) {
      b[off + 1] = 2; // stratum
      b[off + 2] = 6; // poll
      b[off + 3] = (byte) -23; // precision
      u16(b, off + 6, 0x0010); // root delay
      u16(b, off + 10, 0x0020); // root dispersion
      b[off + 12] = (byte) 192; // reference id: the upstream's IPv4 address
      b[off + 13] = 0;
      b[off + 14] = 2;
      b[off + 15] = 1;
      ntpTime(b, off + 16, epochNanos - 60_000_000_000L);
      ntpTime(b, off + 24, clientNanos);
      ntpTime(b, off + 32, epochNanos - 20_000L);
    }
    ntpTime(b, off + 40, epochNanos);
    return 48;
  }

  /** ICMP echo data as Linux ping sends it: a timestamp, then bytes 0x10, 0x11, ... */
  int echoData(byte[] b, int off, long epochNanos) {
    long sec = epochNanos / 1_000_000_000L;
    long usec = (epochNanos / 1_000L) % 1_000_000L;
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (sec >>> (8 * i));
      b[off + 8 + i] = (byte) (usec >>> (8 * i));
    }
    for (int i = 16; i < 56; i++) {
      b[off + i] = (byte) i;
    }
    return 56;
  }

  /** RFC 5905 6: seconds since 1900 and a 32-bit fraction. */
  private static void ntpTime(byte[] b, int off, long epochNanos) {
    long sec = epochNanos / 1_000_000_000L + 2_208_988_800L;
    long frac = ((epochNanos % 1_000_000_000L) << 32) / 1_000_000_000L;
    u16(b, off, (int) (sec >>> 16));
    u16(b, off + 2, (int) sec);
    u16(b, off + 4, (int) (frac >>> 16));
    u16(b, off + 6, (int) frac);
  }

  static int copy(byte[] b, int off, byte[] src) {
    System.arraycopy(src, 0, b, off, src.length);
    return off + src.length;
  }

  private static int decimal(byte[] b, int off, int v) {
    int digits = 1;
    for (int t = v; t >= 10; t /= 10) {
      digits++;
    }
    for (int i = digits - 1; i >= 0; i--) {
      b[off + i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return off + digits;
  }

  private static int put(byte[] b, int off, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      b[off + i] = (byte) ascii.charAt(i);
    }
    return off + ascii.length();
  }

  static int u16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
    return off + 2;
  }

  private static void u24(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 16);
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) v;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
