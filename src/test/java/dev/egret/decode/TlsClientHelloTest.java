package dev.egret.decode;

import static dev.egret.decode.Frames.bytes;
import static dev.egret.decode.Frames.cat;
import static dev.egret.decode.TlsBytes.hello;
import static dev.egret.decode.TlsBytes.otherExtension;
import static dev.egret.decode.TlsBytes.records;
import static dev.egret.decode.TlsBytes.sniExtension;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TlsClientHelloTest {

  // One record holding a minimal ClientHello with SNI "Example.COM".
  static final byte[] ONE_RECORD =
      cat(
          bytes(22, 3, 1, 0, 67), // record: handshake, TLS 1.0 record version, length 67
          bytes(1, 0, 0, 63), // handshake: ClientHello, length 63
          bytes(3, 3), // legacy_version TLS 1.2
          new byte[32], // random
          bytes(0), // legacy_session_id: empty
          bytes(0, 2, 0x13, 0x01), // cipher_suites: TLS_AES_128_GCM_SHA256
          bytes(1, 0), // legacy_compression_methods: null
          bytes(0, 20), // extensions: 20 octets
          bytes(0, 0, 0, 16), // server_name, 16 octets
          bytes(0, 14), // ServerNameList, 14 octets
          bytes(0, 0, 11), // host_name, 11 octets
          "Example.COM".getBytes(StandardCharsets.US_ASCII));

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void sniInOneRecord() {
    assertEquals(TlsClientHello.SNI, TlsClientHello.scan(ONE_RECORD, 0, ONE_RECORD.length));
    assertEquals("example.com", TlsClientHello.serverName(ONE_RECORD, 0, ONE_RECORD.length));
  }

  @Test
  void sniAfterOtherExtensions() {
    byte[] m = records(hello(cat(otherExtension(3), sniExtension(ascii("a.b")))), 1 << 14);
    assertEquals("a.b", TlsClientHello.serverName(m, 0, m.length));
  }

  @Test
  void helloSplitOverTwoRecords() {
    byte[] hs = hello(cat(otherExtension(200), sniExtension(ascii("split.example"))));
    byte[] m = records(hs, hs.length - 5); // the name straddles the record boundary
    assertEquals(2 * 5 + hs.length, m.length);
    assertEquals(TlsClientHello.SNI, TlsClientHello.scan(m, 0, m.length));
    assertEquals("split.example", TlsClientHello.serverName(m, 0, m.length));
  }

  @Test
  void helloSplitOverManySmallRecords() {
    byte[] hs = hello(sniExtension(ascii("tiny.records")));
    byte[] m = records(hs, 7);
    assertEquals("tiny.records", TlsClientHello.serverName(m, 0, m.length));
  }

  @Test
  void needMoreWhenCutInOneRecord() {
    assertEquals(ONE_RECORD.length, TlsClientHello.scan(ONE_RECORD, 0, 40));
    assertEquals(9, TlsClientHello.scan(ONE_RECORD, 0, 3), "record and handshake headers");
    assertEquals(9, TlsClientHello.scan(ONE_RECORD, 0, 0));
    assertNull(TlsClientHello.serverName(ONE_RECORD, 0, 40));
  }

  @Test
  void needMoreAcrossRecordsIsALowerBoundThatIsReached() {
    byte[] hs = hello(cat(otherExtension(600), sniExtension(ascii("far.example"))));
    byte[] m = records(hs, 300);
    int have = 1;
    int calls = 0;
    int r;
    while ((r = TlsClientHello.scan(m, 0, have)) > 0) {
      assertTrue(r > have && r <= m.length, "need " + r + " with " + have);
      have = r;
      calls++;
    }
    assertEquals(TlsClientHello.SNI, r);
    assertEquals(m.length, have);
    assertTrue(calls >= 2, "asked for more than once: " + calls);
  }

  @Test
  void everyCutAsksForMoreAndNeverThrows() {
    byte[] hs = hello(cat(otherExtension(100), sniExtension(ascii("cut.example"))));
    byte[] m = records(hs, 90);
    for (int n = 0; n < m.length; n++) {
      int r = TlsClientHello.scan(m, 0, n);
      assertTrue(r > n && r <= m.length, "cut at " + n + ": " + r);
    }
  }

  @Test
  void noServerNameExtension() {
    byte[] m = records(hello(otherExtension(10)), 1 << 14);
    assertEquals(TlsClientHello.NO_SNI, TlsClientHello.scan(m, 0, m.length));
    assertNull(TlsClientHello.serverName(m, 0, m.length));
  }

  @Test
  void noExtensionsAtAll() {
    byte[] m = records(hello(null), 1 << 14);
    assertEquals(TlsClientHello.NO_SNI, TlsClientHello.scan(m, 0, m.length));
  }

  @Test
  void notTls() {
    byte[] http = ascii("GET / HTTP/1.1\r\n");
    assertEquals(TlsClientHello.NOT_TLS, TlsClientHello.scan(http, 0, http.length));
    assertEquals(TlsClientHello.NOT_TLS, TlsClientHello.scan(http, 0, 1), "first octet decides");
    byte[] alert = ONE_RECORD.clone();
    alert[0] = 21; // alert record
    assertEquals(TlsClientHello.NOT_TLS, TlsClientHello.scan(alert, 0, alert.length));
    byte[] serverHello = ONE_RECORD.clone();
    serverHello[5] = 2; // handshake type ServerHello
    assertEquals(TlsClientHello.NOT_TLS, TlsClientHello.scan(serverHello, 0, serverHello.length));
    byte[] v4 = ONE_RECORD.clone();
    v4[1] = 4; // record version 4.1
    assertEquals(TlsClientHello.NOT_TLS, TlsClientHello.scan(v4, 0, 2));
  }

  @Test
  void otherRecordTypeBetweenFragmentsIsMalformed() {
    byte[] hs = hello(sniExtension(ascii("x.example")));
    byte[] m = records(hs, 50);
    m[5 + 50] = 23; // second record: application_data
    assertEquals(TlsClientHello.MALFORMED, TlsClientHello.scan(m, 0, m.length));
  }

  @Test
  void extensionLengthPastTheHelloIsMalformed() {
    byte[] m = ONE_RECORD.clone();
    m[5 + 4 + 2 + 32 + 1 + 4 + 2 + 1] = 21; // extensions length 21, one more than there is
    assertEquals(TlsClientHello.MALFORMED, TlsClientHello.scan(m, 0, m.length));
  }

  @Test
  void sessionIdLongerThan32IsMalformed() {
    byte[] m = ONE_RECORD.clone();
    m[5 + 4 + 2 + 32] = 33;
    assertEquals(TlsClientHello.MALFORMED, TlsClientHello.scan(m, 0, m.length));
  }

  @Test
  void serverNameListLengthMismatchIsMalformed() {
    byte[] m = ONE_RECORD.clone();
    m[5 + 4 + 2 + 32 + 1 + 4 + 2 + 2 + 4 + 1] = 13; // ServerNameList says 13, extension holds 14
    assertEquals(TlsClientHello.MALFORMED, TlsClientHello.scan(m, 0, m.length));
  }

  @Test
  void hostileNameIsEscapedAndHasNoControlCharacters() {
    byte[] name = ascii("evil\n\"x\";}\0\u00e9.COM\\");
    byte[] m = records(hello(sniExtension(name)), 1 << 14);
    String s = TlsClientHello.serverName(m, 0, m.length);
    assertEquals("evil\\010\"x\";}\\000\\233.com\\\\", s);
    assertTrue(s.chars().allMatch(c -> c > 0x20 && c < 0x7f), s);
  }

  @Test
  void allOctetsEscapedStaysBounded() {
    byte[] name = new byte[NameText.MAX_OCTETS];
    Arrays.fill(name, (byte) 0xff);
    byte[] m = records(hello(sniExtension(name)), 1 << 14);
    String s = TlsClientHello.serverName(m, 0, m.length);
    assertEquals(NameText.MAX_CHARS, s.length());
  }

  @Test
  void label300OctetsLongIsRefused() {
    byte[] name = new byte[300];
    Arrays.fill(name, (byte) 'a');
    byte[] m = records(hello(sniExtension(name)), 1 << 14);
    assertEquals(TlsClientHello.MALFORMED, TlsClientHello.scan(m, 0, m.length));
    assertNull(TlsClientHello.serverName(m, 0, m.length));
  }

  @Test
  void emptyHostNameIsMalformed() {
    byte[] m = records(hello(sniExtension(new byte[0])), 1 << 14);
    assertEquals(TlsClientHello.MALFORMED, TlsClientHello.scan(m, 0, m.length));
  }

  @Test
  void offsetIntoALargerBuffer() {
    byte[] buf = cat(bytes(7, 7), ONE_RECORD);
    assertEquals("example.com", TlsClientHello.serverName(buf, 2, ONE_RECORD.length));
    assertEquals(TlsClientHello.NOT_TLS, TlsClientHello.scan(buf, 2, buf.length), "past the end");
  }

  @Test
  void randomAndMutatedInputNeverThrows() {
    Random rnd = new Random(8446);
    byte[] base = records(hello(cat(otherExtension(40), sniExtension(ascii("m.example")))), 60);
    int sni = 0;
    for (int i = 0; i < 30_000; i++) {
      byte[] m;
      if (i % 2 == 0) {
        m = new byte[rnd.nextInt(200)];
        rnd.nextBytes(m);
        if (m.length > 2) {
          m[0] = 22;
          m[1] = 3;
        }
      } else {
        m = base.clone();
        for (int k = rnd.nextInt(4); k >= 0; k--) {
          m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
        }
      }
      int n = rnd.nextInt(m.length + 1);
      int r = TlsClientHello.scan(m, 0, n);
      String s = TlsClientHello.serverName(m, 0, n);
      assertEquals(r == TlsClientHello.SNI, s != null);
      if (s != null) {
        sni++;
        assertTrue(
            s.length() <= NameText.MAX_CHARS && s.chars().allMatch(c -> c > 0x20 && c < 0x7f), s);
      }
    }
    assertTrue(sni > 0, "some mutations keep a name");
  }
}
