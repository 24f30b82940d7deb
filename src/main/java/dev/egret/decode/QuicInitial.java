package dev.egret.decode;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.BitSet;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server name a QUIC client asks for. Its TLS ClientHello travels in CRYPTO frames of Initial
 * packets (RFC 9000 17.2.2, 19.6), protected with keys that anyone can derive from the Destination
 * Connection ID of the client's first Initial packet (RFC 9001 5.2, RFC 9369 3.3 for version 2):
 * decrypting them reads no secret, it is what every on-path observer of QUIC can do.
 *
 * <p>One instance follows one connection: {@link #offer} takes each datagram the client sends until
 * {@link #done()}, and collects the CRYPTO data, in whatever order and packets its frames come
 * (Chromium shuffles them on purpose), up to {@link #MAX_HELLO} bytes. Everything read is bounded
 * and checked; a packet that does not decrypt is ignored. Allocates per packet offered, which
 * happens only for the first few datagrams of a UDP flow that look like QUIC Initials.
 */
public final class QuicInitial {
  /** The longest ClientHello collected. */
  public static final int MAX_HELLO = 16 * 1024;

  static final int VERSION_1 = 0x00000001;
  static final int VERSION_2 = 0x6b3343cf;

  // RFC 9001 5.2 and RFC 9369 3.3.1.
  private static final byte[] SALT_V1 = hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
  private static final byte[] SALT_V2 = hex("0dede3def700a6db819381be6e269dcbf9bd2ed9");

  private static final int MAX_CID = 20;
  private static final int TAG = 16;
  private static final int SAMPLE = 16;

  private Keys keys;
  private final byte[] hello = new byte[MAX_HELLO];
  private final BitSet have = new BitSet();
  private boolean done;
  private String name;

  /**
   * True when the datagram starts with a QUIC long header of an Initial packet of version 1 or 2
   * (RFC 9000 17.2, RFC 9369 3.2): a cheap test before anything is allocated.
   */
  public static boolean looksLikeInitial(byte[] b, int off, int len) {
    if (len < 7 || (b[off] & 0xc0) != 0xc0) {
      return false;
    }
    int v = Bytes.i32(b, off + 1);
    int type = (b[off] & 0x30) >> 4;
    return (v == VERSION_1 && type == 0) || (v == VERSION_2 && type == 1);
  }

  /** True once the ClientHello was read (with or without a name) or cannot be. */
  public boolean done() {
    return done;
  }

  /** The server name, in {@link NameText} form, once {@link #done()}; null when there is none. */
  public String serverName() {
    return name;
  }

  /** Takes one datagram from the client: the first packet in it, when it is an Initial. */
  public void offer(byte[] b, int off, int len) {
    if (done || b == null || off < 0 || len < 0 || off > b.length - len) {
      return;
    }
    if (!looksLikeInitial(b, off, len)) {
      return;
    }
    try {
      byte[] plain = decrypt(b, off, len);
      if (plain != null) {
        frames(plain);
        finishIfComplete();
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // not a packet these keys open (another connection ID, a forged or damaged packet): ignored
    }
  }

  /** Removes header protection and decrypts the first packet; null when it is not well formed. */
  private byte[] decrypt(byte[] b, int off, int len) throws GeneralSecurityException {
    int end = off + len;
    int p = off + 5;
    int dcidLen = b[p] & 0xff;
    if (dcidLen > MAX_CID || p + 1 + dcidLen >= end) {
      return null;
    }
    int dcid = p + 1;
    p = dcid + dcidLen;
    int scidLen = b[p] & 0xff;
    if (scidLen > MAX_CID || p + 1 + scidLen >= end) {
      return null;
    }
    p += 1 + scidLen;
    long tokenLen = varint(b, p, end);
    if (tokenLen < 0 || tokenLen > end - p - varintLength(b[p])) {
      return null;
    }
    p += varintLength(b[p]) + (int) tokenLen;
    if (p >= end) {
      return null;
    }
    long length = varint(b, p, end);
    if (length < 0) {
      return null;
    }
    int pn = p + varintLength(b[p]);
    if (length < 4 + TAG || length > end - pn) {
      return null;
    }
    // The keys come from the first Initial's Destination Connection ID and stay for later ones;
    // they are kept only once a packet opened with them, so a forged first packet changes nothing.
    Keys k = keys;
    if (k == null) {
      k = Keys.derive(Bytes.i32(b, off + 1), Arrays.copyOfRange(b, dcid, dcid + dcidLen));
    } else if (Bytes.i32(b, off + 1) != k.version) {
      return null;
    }
    byte[] mask = aesEcb(k.hp, b, pn + 4);
    byte[] header = Arrays.copyOfRange(b, off, pn + 4);
    header[0] ^= (byte) (mask[0] & 0x0f);
    int pnLen = (header[0] & 0x03) + 1;
    long number = 0;
    int at = pn - off;
    for (int i = 0; i < pnLen; i++) {
      header[at + i] ^= mask[1 + i];
      number = number << 8 | (header[at + i] & 0xff);
    }
    byte[] aad = Arrays.copyOf(header, at + pnLen);
    byte[] nonce = k.iv.clone();
    for (int i = 0; i < 8; i++) {
      nonce[nonce.length - 1 - i] ^= (byte) (number >>> (8 * i));
    }
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(
        Cipher.DECRYPT_MODE, new SecretKeySpec(k.key, "AES"), new GCMParameterSpec(128, nonce));
    gcm.updateAAD(aad);
    int payload = pn + pnLen;
    byte[] plain = gcm.doFinal(b, payload, (int) length - pnLen); // throws unless authentic
    keys = k;
    return plain;
  }

  /** The client's Initial keys of one connection (RFC 9001 5.2). */
  private record Keys(int version, byte[] key, byte[] iv, byte[] hp) {
    static Keys derive(int version, byte[] dcid) throws GeneralSecurityException {
      boolean v2 = version == VERSION_2;
      byte[] initial = hmac(v2 ? SALT_V2 : SALT_V1, dcid); // HKDF-Extract
      byte[] client = expandLabel(initial, "client in", 32);
      String prefix = v2 ? "quicv2 " : "quic ";
      return new Keys(
          version,
          expandLabel(client, prefix + "key", 16),
          expandLabel(client, prefix + "iv", 12),
          expandLabel(client, prefix + "hp", 16));
    }
  }

  /** Walks the frames of a decrypted Initial packet (RFC 9000 19), keeping CRYPTO data. */
  private void frames(byte[] f) {
    int p = 0;
    while (p < f.length) {
      long type = varint(f, p, f.length);
      if (type < 0) {
        return;
      }
      p += varintLength(f[p]);
      if (type == 0x00 || type == 0x01) { // PADDING, PING
        continue;
      }
      if (type == 0x02 || type == 0x03) { // ACK
        p = skipAck(f, p, type == 0x03);
        if (p < 0) {
          return;
        }
        continue;
      }
      if (type != 0x06) { // CONNECTION_CLOSE or a frame an Initial may not hold: stop
        return;
      }
      long offset = varint(f, p, f.length);
      if (offset < 0) {
        return;
      }
      p += varintLength(f[p]);
      long n = varint(f, p, f.length);
      if (n < 0) {
        return;
      }
      p += varintLength(f[p]);
      if (n > f.length - p) {
        return;
      }
      if (offset < MAX_HELLO) {
        int take = (int) Math.min(n, MAX_HELLO - offset);
        System.arraycopy(f, p, hello, (int) offset, take);
        have.set((int) offset, (int) offset + take);
      }
      p += (int) n;
    }
  }

  private static int skipAck(byte[] f, int p, boolean ecn) {
    // Largest Acknowledged, ACK Delay, ACK Range Count, First ACK Range, then the ranges.
    long count = -1;
    for (int i = 0; i < 4; i++) {
      long v = varint(f, p, f.length);
      if (v < 0) {
        return -1;
      }
      if (i == 2) {
        count = v;
      }
      p += varintLength(f[p]);
    }
    long fields = 2 * count + (ecn ? 3 : 0);
    if (fields > f.length) {
      return -1;
    }
    for (long i = 0; i < fields; i++) {
      if (varint(f, p, f.length) < 0) {
        return -1;
      }
      p += varintLength(f[p]);
    }
    return p;
  }

  /** Reads the ClientHello once the CRYPTO data holds it from offset 0 (RFC 8446 4). */
  private void finishIfComplete() {
    int prefix = have.nextClearBit(0);
    if (prefix < 4) {
      return;
    }
    if ((hello[0] & 0xff) != 1) { // not a ClientHello
      done = true;
      return;
    }
    int total = 4 + ((hello[1] & 0xff) << 16 | (hello[2] & 0xff) << 8 | (hello[3] & 0xff));
    if (total > MAX_HELLO) {
      done = true;
      return;
    }
    if (prefix < total) {
      return;
    }
    // As a TLS record, so the one ClientHello reader serves TCP and QUIC alike.
    byte[] record = new byte[5 + total];
    record[0] = 22;
    record[1] = 3;
    record[2] = 1;
    record[3] = (byte) (total >>> 8);
    record[4] = (byte) total;
    System.arraycopy(hello, 0, record, 5, total);
    name = TlsClientHello.serverName(record, 0, record.length);
    done = true;
  }

  /** RFC 9000 16: a variable-length integer at {@code p}, or -1 when it runs past {@code end}. */
  static long varint(byte[] b, int p, int end) {
    if (p >= end) {
      return -1;
    }
    int n = varintLength(b[p]);
    if (p + n > end) {
      return -1;
    }
    long v = b[p] & 0x3f;
    for (int i = 1; i < n; i++) {
      v = v << 8 | (b[p + i] & 0xff);
    }
    return v;
  }

  static int varintLength(byte first) {
    return 1 << ((first & 0xc0) >> 6);
  }

  private static byte[] aesEcb(byte[] k, byte[] b, int off) throws GeneralSecurityException {
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"));
    return ecb.doFinal(b, off, SAMPLE);
  }

  private static byte[] hmac(byte[] k, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(k, "HmacSHA256"));
    return mac.doFinal(data);
  }

  /** RFC 8446 7.1 HKDF-Expand-Label with an empty context, for at most 32 bytes. */
  static byte[] expandLabel(byte[] secret, String label, int length)
      throws GeneralSecurityException {
    byte[] l = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
    byte[] info = new byte[2 + 1 + l.length + 1 + 1];
    info[0] = (byte) (length >>> 8);
    info[1] = (byte) length;
    info[2] = (byte) l.length;
    System.arraycopy(l, 0, info, 3, l.length);
    info[3 + l.length] = 0; // context length
    info[info.length - 1] = 1; // HKDF-Expand counter: T(1)
    return Arrays.copyOf(hmac(secret, info), length);
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
