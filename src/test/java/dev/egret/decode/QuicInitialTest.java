package dev.egret.decode;

import static dev.egret.decode.Frames.cat;
import static dev.egret.decode.QuicPackets.crypto;
import static dev.egret.decode.QuicPackets.hmac;
import static dev.egret.decode.QuicPackets.initial;
import static dev.egret.decode.TlsBytes.hello;
import static dev.egret.decode.TlsBytes.otherExtension;
import static dev.egret.decode.TlsBytes.sniExtension;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * QUIC Initial decryption: the key schedule against the RFC test vectors, and whole client Initials
 * built here (protected as RFC 9001 5 says) with the ClientHello split into shuffled CRYPTO frames
 * over two packets, as Chromium sends it. The real captures Zeek read are compared in {@code
 * BaselineNamesZeekTest}.
 */
class QuicInitialTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] DCID = HEX.parseHex("8394c8f03e515708");

  /** RFC 9001 A.1 and RFC 9369 A.1: keys for connection ID 8394c8f03e515708. */
  @Test
  void keyScheduleMatchesTheRfcVectors() throws GeneralSecurityException {
    byte[] v1 = hmac(HEX.parseHex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"), DCID);
    byte[] client = QuicInitial.expandLabel(v1, "client in", 32);
    assertEquals(
        "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea", HEX.formatHex(client));
    assertEquals(
        "1f369613dd76d5467730efcbe3b1a22d",
        HEX.formatHex(QuicInitial.expandLabel(client, "quic key", 16)));
    assertEquals(
        "fa044b2f42a3fd3b46fb255c", HEX.formatHex(QuicInitial.expandLabel(client, "quic iv", 12)));
    assertEquals(
        "9f50449e04a0e810283a1e9933adedd2",
        HEX.formatHex(QuicInitial.expandLabel(client, "quic hp", 16)));
    byte[] v2 = hmac(HEX.parseHex("0dede3def700a6db819381be6e269dcbf9bd2ed9"), DCID);
    byte[] client2 = QuicInitial.expandLabel(v2, "client in", 32);
    assertEquals(
        "8b1a0bc121284290a29e0971b5cd045d",
        HEX.formatHex(QuicInitial.expandLabel(client2, "quicv2 key", 16)));
    assertEquals(
        "45b95e15235d6f45a6b19cbcb0294ba9",
        HEX.formatHex(QuicInitial.expandLabel(client2, "quicv2 hp", 16)));
  }

  @Test
  void varintsOfEveryLength() {
    // RFC 9000 A.1 examples
    assertEquals(151288809941952652L, varint("c2197c5eff14e88c"));
    assertEquals(494878333L, varint("9d7f3e7d"));
    assertEquals(15293L, varint("7bbd"));
    assertEquals(37L, varint("25"));
    assertEquals(-1, QuicInitial.varint(HEX.parseHex("7b"), 0, 1), "cut short");
  }

  private static long varint(String hex) {
    byte[] b = HEX.parseHex(hex);
    return QuicInitial.varint(b, 0, b.length);
  }

  private static byte[] chromiumLikeHello(String name) {
    // Long enough (with a post-quantum key share's worth of padding) to need two packets.
    return hello(cat(otherExtension(1300), sniExtension(name.getBytes(StandardCharsets.UTF_8))));
  }

  /** CRYPTO frames of 100 bytes or so, in shuffled order, with PING and an ACK between them. */
  private static List<byte[]> shuffledFrames(byte[] hs, Random r) {
    List<byte[]> frames = new ArrayList<>();
    for (int p = 0; p < hs.length; ) {
      int n = Math.min(hs.length - p, 50 + r.nextInt(100));
      frames.add(crypto(p, hs, p, p + n));
      p += n;
    }
    frames.add(new byte[] {0x01}); // PING
    frames.add(new byte[] {0x02, 0x05, 0x00, 0x01, 0x00, 0x01, 0x01}); // ACK, one extra range
    Collections.shuffle(frames, r);
    return frames;
  }

  private static String decode(List<byte[]> packets) {
    QuicInitial q = new QuicInitial();
    for (byte[] p : packets) {
      assertTrue(QuicInitial.looksLikeInitial(p, 0, p.length));
      assertFalse(q.done(), "done before the last packet");
      byte[] framed = cat(new byte[3], p, new byte[2]); // at an offset in a larger buffer
      q.offer(framed, 3, p.length);
    }
    assertTrue(q.done());
    return q.serverName();
  }

  @Test
  void aClientHelloShuffledOverTwoInitialsIsRead() throws GeneralSecurityException {
    for (int version : new int[] {QuicInitial.VERSION_1, QuicInitial.VERSION_2}) {
      Random r = new Random(version);
      byte[] hs = chromiumLikeHello("Api.Example.COM");
      List<byte[]> frames = shuffledFrames(hs, r);
      int half = frames.size() / 2;
      byte[] first = cat(frames.subList(0, half).toArray(new byte[0][]));
      byte[] second = cat(frames.subList(half, frames.size()).toArray(new byte[0][]));
      String name =
          decode(List.of(initial(version, DCID, 0, first), initial(version, DCID, 1, second)));
      assertEquals("api.example.com", name, "version " + Integer.toHexString(version));
    }
  }

  @Test
  void aSecondInitialIsReadWithTheFirstConnectionIdsKeys() throws GeneralSecurityException {
    byte[] hs = chromiumLikeHello("a.example");
    int half = hs.length / 2;
    byte[] other = HEX.parseHex("0102030405060708");
    QuicInitial q = new QuicInitial();
    byte[] p1 = initial(QuicInitial.VERSION_1, DCID, 0, crypto(0, hs, 0, half));
    q.offer(p1, 0, p1.length);
    // Keys from another connection ID do not open it: ignored, still waiting.
    byte[] wrongKeys = initial(QuicInitial.VERSION_1, other, 1, crypto(half, hs, half, hs.length));
    q.offer(wrongKeys, 0, wrongKeys.length);
    assertFalse(q.done());
    byte[] p2 = initial(QuicInitial.VERSION_1, DCID, 2, crypto(half, hs, half, hs.length));
    q.offer(p2, 0, p2.length);
    assertTrue(q.done());
    assertEquals("a.example", q.serverName());
  }

  /** A forged first packet (another connection ID) does not fix the keys: the real one opens. */
  @Test
  void aFirstPacketThatDoesNotOpenLeavesTheKeysUnset() throws GeneralSecurityException {
    byte[] hs = chromiumLikeHello("b.example");
    byte[] real = initial(QuicInitial.VERSION_1, DCID, 0, crypto(0, hs, 0, hs.length));
    byte[] forged = real.clone();
    forged[7] ^= 1; // a byte of the connection ID: other keys, and the tag fails
    QuicInitial q = new QuicInitial();
    q.offer(forged, 0, forged.length);
    assertFalse(q.done());
    q.offer(real, 0, real.length);
    assertTrue(q.done());
    assertEquals("b.example", q.serverName());
  }

  @Test
  void aClientHelloWithoutServerNameIsDoneWithNoName() throws GeneralSecurityException {
    byte[] hs = hello(otherExtension(10));
    assertNull(
        decode(List.of(initial(QuicInitial.VERSION_1, DCID, 0, crypto(0, hs, 0, hs.length)))));
  }

  @Test
  void hostileNamesComeOutInNameTextForm() throws GeneralSecurityException {
    byte[] hs = hello(sniExtension("evil\n\"; drop".getBytes(StandardCharsets.ISO_8859_1)));
    String name =
        decode(List.of(initial(QuicInitial.VERSION_1, DCID, 0, crypto(0, hs, 0, hs.length))));
    assertEquals(
        NameText.host("evil\n\"; drop".getBytes(StandardCharsets.ISO_8859_1), 0, 12), name);
    assertFalse(name.contains("\n"));
  }

  /** Every prefix and random corruptions of a valid Initial: never an exception, never a name. */
  @Test
  void truncatedAndCorruptedPacketsAreIgnored() throws GeneralSecurityException {
    byte[] hs = chromiumLikeHello("x.example");
    byte[] good =
        initial(QuicInitial.VERSION_1, DCID, 0, crypto(0, hs, 0, Math.min(hs.length, 900)));
    for (int n = 0; n < good.length; n++) {
      QuicInitial q = new QuicInitial();
      q.offer(good, 0, n);
      assertFalse(q.done(), "prefix of " + n);
    }
    Random r = new Random(5);
    for (int i = 0; i < 2000; i++) {
      byte[] bad = good.clone();
      for (int k = 1 + r.nextInt(4); k > 0; k--) {
        bad[5 + r.nextInt(bad.length - 5)] ^= (byte) (1 + r.nextInt(255));
      }
      QuicInitial q = new QuicInitial();
      q.offer(bad, 0, bad.length);
      assertFalse(q.done() && q.serverName() != null && !q.serverName().equals("x.example"));
    }
    assertFalse(QuicInitial.looksLikeInitial(new byte[] {(byte) 0xc0, 0, 0, 0, 2, 0, 0}, 0, 7));
    assertFalse(QuicInitial.looksLikeInitial(new byte[] {0x40, 0, 0, 0, 1, 0, 0}, 0, 7));
  }
}
