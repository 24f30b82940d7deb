package dev.egret.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cache of TLS and HTTP host names gives what the parsers give without it, however it fills.
 */
class HostNamesTest {
  /**
   * Random octet strings (escapes, upper case, the empty name and names past 255 octets among
   * them), many more distinct ones than the cache holds and many repeated: the text each time is
   * {@link NameText#host}'s, and a repeat met lately is the same string.
   */
  @Test
  void givesNameTextsHostForAnyOctetsAndRepeatsTheSameString() {
    Random rnd = new Random(5);
    HostNames names = new HostNames();
    byte[][] pool = new byte[5000][];
    for (int i = 0; i < pool.length; i++) {
      int len = i % 500 == 0 ? 256 + rnd.nextInt(10) : i % 777 == 0 ? 0 : 1 + rnd.nextInt(40);
      pool[i] = new byte[len];
      for (int j = 0; j < len; j++) {
        pool[i][j] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 'A' + rnd.nextInt(52));
      }
    }
    for (int step = 0; step < 50_000; step++) {
      byte[] name = pool[rnd.nextInt(step < 25_000 ? pool.length : 20)];
      byte[] buf = new byte[name.length + 9]; // the name at an offset, as in a packet
      System.arraycopy(name, 0, buf, 4, name.length);
      String got = names.host(buf, 4, name.length);
      assertEquals(NameText.host(name, 0, name.length), got, "step " + step);
      if (got != null) {
        assertSame(got, names.host(buf, 4, name.length), "a repeat is the same string");
      }
    }
    assertNull(names.host(new byte[0], 0, 0));
  }

  @Test
  void serverNamesAndHttpHostsThroughTheCache() {
    HostNames names = new HostNames();
    byte[] hello =
        TlsBytes.records(
            TlsBytes.hello(
                TlsBytes.sniExtension("WWW.Example.ORG".getBytes(StandardCharsets.US_ASCII))),
            1 << 14);
    String first = names.serverName(hello, 0, hello.length);
    assertEquals("www.example.org", first);
    assertEquals(TlsClientHello.serverName(hello, 0, hello.length), first);
    assertSame(first, names.serverName(hello, 0, hello.length));
    byte[] get =
        "GET / HTTP/1.1\r\nHost: Files.Example.NET:8080\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    assertEquals("files.example.net", names.httpHost(get, 0, get.length));
    assertSame(names.httpHost(get, 0, get.length), names.httpHost(get, 0, get.length));
    byte[] notHttp = "HELO there\r\n".getBytes(StandardCharsets.US_ASCII);
    assertNull(names.httpHost(notHttp, 0, notHttp.length));
    assertNull(names.serverName(get, 0, get.length));
  }
}
