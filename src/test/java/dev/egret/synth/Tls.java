package dev.egret.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

/** Walks a ClientHello (RFC 8446 4.1.2) checking every length field on the way to the SNI. */
final class Tls {
  private Tls() {}

  /** The SNI bytes of the ClientHello in {@code f}, or null when it carries none. */
  static byte[] sniBytes(Frame f) {
    if (f.proto != 6 || f.payloadLen < 6) {
      return null;
    }
    byte[] b = f.b;
    int p = f.payloadOff;
    if (b[p] != 0x16 || b[p + 5] != 1) {
      return null;
    }
    int end = f.payloadOff + f.payloadLen;
    assertEquals(end - p - 5, f.u16(p + 3), "record length");
    assertEquals(end - p - 9, ((b[p + 6] & 0xff) << 16) | f.u16(p + 7), "handshake length");
    p += 9 + 2 + 32; // legacy_version, random
    p += 1 + (b[p] & 0xff); // session id
    p += 2 + f.u16(p); // cipher suites
    p += 1 + (b[p] & 0xff); // compression methods
    int extEnd = p + 2 + f.u16(p);
    assertEquals(end, extEnd, "extensions length");
    p += 2;
    byte[] sni = null;
    while (p < extEnd) {
      int type = f.u16(p);
      int len = f.u16(p + 2);
      if (type == 0) {
        assertEquals(len - 2, f.u16(p + 4), "server_name_list length");
        assertEquals(0, b[p + 6], "host_name type");
        int n = f.u16(p + 7);
        assertEquals(len - 5, n, "host_name length");
        sni = java.util.Arrays.copyOfRange(b, p + 9, p + 9 + n);
      }
      p += 4 + len;
    }
    assertEquals(extEnd, p, "extensions overrun");
    return sni;
  }

  static String sni(Frame f) {
    byte[] s = sniBytes(f);
    return s == null ? null : new String(s, StandardCharsets.UTF_8);
  }
}
