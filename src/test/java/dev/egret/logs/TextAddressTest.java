package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The log readers' address reader takes and refuses exactly what {@link IpAddress#parse} does, and
 * gives the same words: edge cases of dotted quads and of RFC 4291 2.2 text, then random texts made
 * of their pieces.
 */
class TextAddressTest {
  /** What IpAddress.parse gives, or null. */
  private static long[] expected(String s) {
    try {
      IpAddress a = IpAddress.parse(s);
      return new long[] {a.hi(), a.lo()};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static long[] read(String s) {
    byte[] b = ("x" + s + "y").getBytes(StandardCharsets.ISO_8859_1);
    long[] out = new long[2];
    return Text.address(b, 1, b.length - 1, out) ? out : null;
  }

  private static void same(String s) {
    assertArrayEquals(expected(s), read(s), "\"" + s + "\"");
  }

  @Test
  void edgeCasesReadAsIpAddressReadsThem() {
    for (String s :
        new String[] {
          "::",
          "::1",
          "1::",
          "fd00:1:0:1::100",
          "2001:DB8::Ab:cD",
          "1:2:3:4:5:6:7:8",
          "1:2:3:4:5:6:7::",
          "::2:3:4:5:6:7:8",
          "1:2:3:4:5:6:7:8::",
          "::1:2:3:4:5:6:7:8",
          "1:2:3:4:5:6:7",
          "1:2:3:4:5:6:7:8:9",
          "1::2::3",
          ":::",
          ":1::",
          "1::2:",
          "1:",
          ":1",
          "12345::",
          "0000:0000::ffff",
          "fe80::1%eth0",
          "::ffff:192.0.2.1",
          "::192.0.2.1",
          "1:2:3:4:5:6:1.2.3.4",
          "::1.2.3",
          "::ffff:1234.5.6.7",
          "g::1",
          "1: :2",
          "::-1",
          "1:2:3:4:5:6:7:8:",
          "::0:0",
          "10.1.2.3",
          "1.2.3.4::",
        }) {
      same(s);
    }
    assertArrayEquals(new long[] {0xfd00000100000001L, 0x100L}, read("fd00:1:0:1::100"));
  }

  @Test
  void randomTextsOfAddressPiecesReadAsIpAddressReadsThem() {
    String[] pieces = {
      "0", "1", "ff", "FFFF", "abcd", "12345", ":", ":", ":", "::", ".", "1.2", "g"
    };
    Random r = new Random(15);
    int accepted = 0;
    for (int i = 0; i < 50_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int n = r.nextInt(12); n >= 0; n--) {
        sb.append(pieces[r.nextInt(pieces.length)]);
      }
      String s = sb.toString();
      if (s.length() < 2 || s.length() > 45) {
        continue;
      }
      same(s);
      accepted += expected(s) != null ? 1 : 0;
    }
    // The random texts reach the accepting side too, not only refusals.
    assertEquals(true, accepted > 250, "accepted " + accepted);
  }
}
