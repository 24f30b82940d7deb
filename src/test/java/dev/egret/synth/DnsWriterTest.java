package dev.egret.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DnsWriterTest {
  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  private static int[] ascii(String s) {
    return s.chars().toArray();
  }

  private static int[] concat(int[]... parts) {
    return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
  }

  @Test
  void queryIsHeaderAndOneQuestion() {
    byte[] buf = new byte[512];
    Service s =
        Service.of(
            "api.example.com", Service.TLS, 443, new String[0], new int[0], new long[0], null);
    int len = new DnsWriter().query(buf, 0, 0xbeef, s.dnsName, DnsWriter.TYPE_AAAA);
    int[] expected =
        concat(
            new int[] {0xbe, 0xef}, // ID
            new int[] {0x01, 0x00}, // flags: RD
            new int[] {0, 1, 0, 0, 0, 0, 0, 0}, // QDCOUNT 1, AN/NS/AR 0
            new int[] {3},
            ascii("api"),
            new int[] {7},
            ascii("example"),
            new int[] {3},
            ascii("com"),
            new int[] {0},
            new int[] {0, 28, 0, 1}); // QTYPE AAAA, QCLASS IN
    assertArrayEquals(bytes(expected), Arrays.copyOf(buf, len));
  }

  /**
   * RFC 1035 4.1.4: the CNAME target ends in a pointer to the question; the A owners point to it.
   */
  @Test
  void responseCompressesTheCnameChain() {
    byte[] buf = new byte[512];
    Service s =
        Service.of(
            "telemetry.example.io",
            Service.TLS,
            443,
            new String[] {"collector.telemetry.example.io"},
            new int[] {Catalog.v4(198, 51, 100, 40), Catalog.v4(198, 51, 100, 41)},
            new long[0],
            null);
    int len = new DnsWriter().response(buf, 0, 0x1234, s, DnsWriter.TYPE_A, 300);
    int[] expected =
        concat(
            new int[] {0x12, 0x34, 0x81, 0x80}, // ID, flags: QR RD RA
            new int[] {0, 1, 0, 3, 0, 0, 0, 0}, // QD 1, AN 3
            new int[] {9}, // offset 12: the question name
            ascii("telemetry"),
            new int[] {7},
            ascii("example"),
            new int[] {2},
            ascii("io"),
            new int[] {0, 0, 1, 0, 1}, // end, QTYPE A, QCLASS IN
            new int[] {0xc0, 12, 0, 5, 0, 1, 0, 0, 1, 0x2c, 0, 12}, // owner -> 12, CNAME, TTL 300
            new int[] {9}, // offset 50: collector + pointer to telemetry.example.io
            ascii("collector"),
            new int[] {0xc0, 12},
            new int[] {0xc0, 50, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, 198, 51, 100, 40},
            new int[] {0xc0, 50, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, 198, 51, 100, 41});
    assertArrayEquals(bytes(expected), Arrays.copyOf(buf, len));
  }

  /** A name never points into itself: its own tail is not written when its labels are matched. */
  @Test
  void repeatedLabelsInOneNameAreNotCompressedAgainstThemselves() {
    byte[] buf = new byte[512]; // zeros after the first label would look like a name's end
    Service s = Service.of("aa.aa", Service.TLS, 443, new String[0], new int[0], new long[0], null);
    int len = new DnsWriter().query(buf, 0, 1, s.dnsName, DnsWriter.TYPE_A);
    assertArrayEquals(
        bytes(concat(new int[] {2}, ascii("aa"), new int[] {2}, ascii("aa"), new int[] {0})),
        Arrays.copyOfRange(buf, 12, len - 4));
  }

  @Test
  void nxdomainHasNoAnswers() {
    byte[] buf = new byte[512];
    Service s =
        Service.of(
            "wpad.corp.example", Service.NXDOMAIN, 0, new String[0], new int[0], new long[0], null);
    int len = new DnsWriter().response(buf, 0, 7, s, DnsWriter.TYPE_A, 300);
    assertArrayEquals(bytes(0, 7, 0x81, 0x83, 0, 1, 0, 0, 0, 0, 0, 0), Arrays.copyOf(buf, 12));
    assertArrayEquals(bytes(0, 1, 0, 1), Arrays.copyOfRange(buf, len - 4, len)); // question only
  }
}
