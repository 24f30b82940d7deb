package dev.egret.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HttpRequestTest {

  private static String host(String request) {
    byte[] b = request.getBytes(StandardCharsets.ISO_8859_1);
    return HttpRequest.host(b, 0, b.length);
  }

  @Test
  void getWithHost() {
    assertEquals(
        "www.example.com",
        host("GET /index.html HTTP/1.1\r\nUser-Agent: x\r\nHost: www.example.com\r\n\r\n"));
  }

  @Test
  void lowerCaseHeaderNameAndUpperCaseValue() {
    assertEquals("example.com", host("GET / HTTP/1.1\r\nhost: Example.COM\r\n\r\n"));
  }

  @Test
  void portIsStripped() {
    assertEquals("example.com", host("POST /a HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"));
  }

  @Test
  void ipv6LiteralKeepsItsBrackets() {
    assertEquals("[2001:db8::1]", host("GET / HTTP/1.1\r\nHost: [2001:db8::1]:8080\r\n\r\n"));
    assertEquals("[::1]", host("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n"));
    assertNull(host("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n"), "unclosed bracket");
  }

  @Test
  void whitespaceAroundTheValueIsTrimmed() {
    assertEquals("example.com", host("GET / HTTP/1.0\r\nHost:\t example.com \r\n\r\n"));
    assertEquals("example.com", host("GET / HTTP/1.\r\nHost: example.com\r\n\r\n"), "no minor");
  }

  @Test
  void bareLineFeedsAreAccepted() {
    assertEquals("example.com", host("GET / HTTP/1.1\nHost: example.com\n\n"));
  }

  @Test
  void missingHost() {
    assertNull(host("GET / HTTP/1.0\r\nAccept: */*\r\n\r\nHost: in.the.body\r\n"));
  }

  @Test
  void emptyHost() {
    assertNull(host("GET / HTTP/1.1\r\nHost: \r\n\r\n"));
    assertNull(host("GET / HTTP/1.1\r\nHost: :80\r\n\r\n"));
  }

  @Test
  void hostNotYetArrived() {
    assertNull(host("GET / HTTP/1.1\r\nUser-Agent: x\r\n"));
    assertNull(host("GET / HTTP/1.1\r\nHost: exam"), "Host line not complete");
    assertNull(host("GET / HTT"), "request line not complete");
  }

  @Test
  void notHttp() {
    assertNull(host("SSH-2.0-OpenSSH_9.6\r\nHost: x\r\n\r\n"));
    assertNull(host("get / HTTP/1.1\r\nHost: x\r\n\r\n"), "methods are case-sensitive");
    assertNull(host("GET / HTTP/2.0\r\nHost: x\r\n\r\n"));
    assertNull(host("GET /HTTP/1.1\r\nHost: x\r\n\r\n"), "no version");
    assertNull(host("GET / FTP/1.1\r\nHost: x\r\n\r\n"));
    assertNull(host("GET  HTTP/1.1\r\nHost: x\r\n\r\n"), "no target");
    assertNull(host("GETX / HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertNull(host(""));
  }

  @Test
  void headerNameMustBeFollowedDirectlyByColon() {
    assertNull(host("GET / HTTP/1.1\r\nHost : x\r\nX-Host: y\r\n\r\n"));
  }

  @Test
  void connectUsesTheRequestTarget() {
    assertEquals(
        "api.example.com", host("CONNECT api.example.com:443 HTTP/1.1\r\nHost: other\r\n\r\n"));
    assertEquals("[2001:db8::2]", host("CONNECT [2001:db8::2]:443 HTTP/1.1\r\n\r\n"));
    assertEquals("h", host("CONNECT / HTTP/1.1\r\nHost: h\r\n\r\n"), "not authority-form");
    assertEquals("h", host("CONNECT h.example HTTP/1.1\r\nHost: h\r\n\r\n"), "no port");
  }

  @Test
  void absoluteFormTargetWinsOverHost() {
    assertEquals(
        "target.example",
        host("GET http://user@Target.example:81/x?y HTTP/1.1\r\nHost: other\r\n\r\n"));
    assertEquals("h.example", host("GET HTTP://h.example HTTP/1.1\r\n\r\n"));
    assertEquals("fallback", host("GET http:///x HTTP/1.1\r\nHost: fallback\r\n\r\n"));
  }

  @Test
  void everyKnownMethod() {
    for (String m :
        new String[] {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"}) {
      assertEquals("h", host(m + " / HTTP/1.1\r\nHost: h\r\n\r\n"), m);
    }
  }

  @Test
  void hostileHostIsEscapedAndBounded() {
    String s = host("GET / HTTP/1.1\r\nHost: a\"b;c}\u0000d\u00e9\u001b[0m\r\n\r\n");
    assertEquals("a\"b;c}\\000d\\233\\027[0m", s);
    assertTrue(s.chars().allMatch(c -> c > 0x20 && c < 0x7f), s);
    assertNull(host("GET / HTTP/1.1\r\nHost: " + "a".repeat(300) + "\r\n\r\n"), "over 255");
  }

  @Test
  void mayBeRequest() {
    byte[] b = "GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    assertTrue(HttpRequest.mayBeRequest(b, 0, 2), "prefix of GET");
    assertTrue(HttpRequest.mayBeRequest(b, 0, 4));
    assertTrue(HttpRequest.mayBeRequest(b, 0, 0));
    byte[] c = "GETS".getBytes(StandardCharsets.US_ASCII);
    assertFalse(HttpRequest.mayBeRequest(c, 0, 4));
    byte[] d = {0x16, 3, 1};
    assertFalse(HttpRequest.mayBeRequest(d, 0, 3));
    assertFalse(HttpRequest.mayBeRequest(d, 0, 4), "length past the end");
  }

  @Test
  void offsetIntoALargerBuffer() {
    byte[] b = "xxGET / HTTP/1.1\r\nHost: h.example\r\n\r\nyy".getBytes(StandardCharsets.US_ASCII);
    assertEquals("h.example", HttpRequest.host(b, 2, b.length - 4));
    assertNull(HttpRequest.host(b, 2, b.length), "length past the end");
  }

  @Test
  void everyCutAndRandomInputNeverThrows() {
    byte[] req =
        "GET http://a.example/ HTTP/1.1\r\nHost: [::1]:80\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    for (int n = 0; n <= req.length; n++) {
      String s = HttpRequest.host(req, 0, n);
      assertTrue(s == null || s.equals("a.example"), s);
    }
    Random rnd = new Random(9112);
    byte[] alphabet = "GET HTTP/1.:[]@/\r\n host".getBytes(StandardCharsets.US_ASCII);
    int found = 0;
    for (int i = 0; i < 30_000; i++) {
      byte[] m;
      if (i % 2 == 0) {
        m = new byte[rnd.nextInt(80)];
        for (int k = 0; k < m.length; k++) {
          m[k] =
              rnd.nextInt(8) == 0
                  ? (byte) rnd.nextInt(256)
                  : alphabet[rnd.nextInt(alphabet.length)];
        }
      } else {
        m = req.clone(); // a request with up to three octets changed
        for (int k = rnd.nextInt(3); k >= 0; k--) {
          m[rnd.nextInt(m.length)] = alphabet[rnd.nextInt(alphabet.length)];
        }
      }
      String s = HttpRequest.host(m, 0, rnd.nextInt(m.length + 1));
      if (s != null) {
        found++;
        assertTrue(s.chars().allMatch(c -> c > 0x20 && c < 0x7f), s);
      }
    }
    assertTrue(found > 0, "some random requests name a host");
  }
}
