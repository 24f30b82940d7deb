package dev.egret.decode;

import static dev.egret.decode.Frames.bytes;
import static dev.egret.decode.Frames.cat;

import java.io.ByteArrayOutputStream;

/** TLS handshake bytes for the decoder tests (RFC 8446 4.1.2, RFC 6066 3). */
final class TlsBytes {
  private TlsBytes() {}

  /** A ClientHello handshake message with the given extensions block (null: none at all). */
  static byte[] hello(byte[] extensions) {
    byte[] body =
        cat(
            bytes(3, 3),
            new byte[32],
            bytes(32),
            new byte[32], // a 32-octet session id
            bytes(0, 4, 0x13, 0x01, 0x13, 0x02),
            bytes(1, 0),
            extensions == null ? new byte[0] : cat(u16(extensions.length), extensions));
    return cat(bytes(1, 0, body.length >> 8, body.length & 0xff), body);
  }

  static byte[] sniExtension(byte[] name) {
    byte[] entry = cat(bytes(0), u16(name.length), name);
    byte[] list = cat(u16(entry.length), entry);
    return cat(bytes(0, 0), u16(list.length), list);
  }

  /** An unrelated extension (supported_versions, TLS 1.3) of the given padding size. */
  static byte[] otherExtension(int size) {
    return cat(bytes(0, 0x2b), u16(size), new byte[size]);
  }

  /** The handshake message in records carrying at most {@code max} octets each. */
  static byte[] records(byte[] hs, int max) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int p = 0; p < hs.length; p += max) {
      int n = Math.min(max, hs.length - p);
      out.writeBytes(bytes(22, 3, 1, n >> 8, n & 0xff));
      out.write(hs, p, n);
    }
    return out.toByteArray();
  }

  static byte[] u16(int v) {
    return bytes(v >> 8, v & 0xff);
  }
}
