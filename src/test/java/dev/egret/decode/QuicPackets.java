package dev.egret.decode;

import static dev.egret.decode.Frames.cat;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * QUIC client Initial packets built for the tests, protected as RFC 9001 5 says (the initial
 * secrets of RFC 9001 5.2 and RFC 9369 3.3.1, AES-128-GCM and AES header protection).
 */
final class QuicPackets {
  private static final HexFormat HEX = HexFormat.of();

  private QuicPackets() {}

  /** HKDF-Extract (RFC 5869 2.2) with {@code key} as the salt. */
  static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(key, "HmacSHA256"));
    return m.doFinal(data);
  }

  /** RFC 9000 16: a variable-length integer in 1, 2 or 4 bytes. */
  static byte[] varintBytes(long v) {
    if (v < 64) {
      return new byte[] {(byte) v};
    }
    if (v < 16384) {
      return new byte[] {(byte) (0x40 | v >> 8), (byte) v};
    }
    return new byte[] {(byte) (0x80 | v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
  }

  /** A CRYPTO frame (RFC 9000 19.6) at {@code offset} with {@code data[from, to)}. */
  static byte[] crypto(int offset, byte[] data, int from, int to) {
    return cat(
        new byte[] {0x06},
        varintBytes(offset),
        varintBytes(to - from),
        java.util.Arrays.copyOfRange(data, from, to));
  }

  /** A client Initial of {@code version} carrying {@code frames}, padded and protected. */
  static byte[] initial(int version, byte[] dcid, long pn, byte[] frames)
      throws GeneralSecurityException {
    boolean v2 = version == QuicInitial.VERSION_2;
    byte[] secret =
        hmac(
            HEX.parseHex(
                v2
                    ? "0dede3def700a6db819381be6e269dcbf9bd2ed9"
                    : "38762cf7f55934b34d179ae6a4c80cadccbb7f0a"),
            dcid);
    byte[] client = QuicInitial.expandLabel(secret, "client in", 32);
    String prefix = v2 ? "quicv2 " : "quic ";
    byte[] key = QuicInitial.expandLabel(client, prefix + "key", 16);
    byte[] iv = QuicInitial.expandLabel(client, prefix + "iv", 12);
    byte[] hp = QuicInitial.expandLabel(client, prefix + "hp", 16);
    byte[] payload = cat(frames, new byte[Math.max(0, 1100 - frames.length)]); // PADDING
    int pnLen = 4;
    long length = pnLen + payload.length + 16;
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    int type = v2 ? 1 : 0;
    h.write(0xc0 | type << 4 | (pnLen - 1));
    h.writeBytes(new byte[] {(byte) (version >>> 24), (byte) (version >>> 16)});
    h.writeBytes(new byte[] {(byte) (version >>> 8), (byte) version});
    h.write(dcid.length);
    h.writeBytes(dcid);
    h.write(0); // no source connection ID
    h.write(0); // no token
    h.writeBytes(varintBytes(length));
    int pnOffset = h.size();
    h.writeBytes(new byte[] {(byte) (pn >>> 24), (byte) (pn >>> 16), (byte) (pn >>> 8), (byte) pn});
    byte[] header = h.toByteArray();
    byte[] nonce = iv.clone();
    for (int i = 0; i < 8; i++) {
      nonce[11 - i] ^= (byte) (pn >>> (8 * i));
    }
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    gcm.updateAAD(header);
    byte[] packet = cat(header, gcm.doFinal(payload));
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hp, "AES"));
    byte[] mask = ecb.doFinal(packet, pnOffset + 4, 16);
    packet[0] ^= (byte) (mask[0] & 0x0f);
    for (int i = 0; i < pnLen; i++) {
      packet[pnOffset + i] ^= mask[1 + i];
    }
    return packet;
  }
}
