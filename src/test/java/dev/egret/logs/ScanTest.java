package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scan finds exactly the bytes a byte-by-byte loop finds, at every offset and length. */
class ScanTest {
  private static int naive(byte[] b, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void neighboursOfTheByteSoughtAreNotFound() {
    // A byte one below or above, or with the high bit set, next to each other and to the target:
    // the borrow of a word-wide subtraction must not make them look like the target.
    byte[] b = {0x08, 0x0a, (byte) 0x89, 0x01, 0x00, (byte) 0xff, 0x08, 0x0b, 0x09, 0x08};
    assertEquals(8, Scan.indexOf(b, 0, b.length, (byte) 0x09));
    assertEquals(1, Scan.indexOf(b, 0, b.length, (byte) '\n'));
    assertEquals(-1, Scan.indexOf(b, 2, b.length, (byte) '\n'));
    assertEquals(5, Scan.indexOf(b, 0, b.length, (byte) 0xff));
    assertEquals(4, Scan.indexOf(b, 0, b.length, (byte) 0x00));
  }

  @Test
  void theFirstMatchIsTheLowestMarkedByte() {
    Random r = new Random(17);
    for (int k = 0; k < 8; k++) {
      for (int round = 0; round < 1_000; round++) {
        long higher = r.nextLong() & 0x8080808080808080L & (-1L << (8 * k + 8));
        long m = (1L << (8 * k + 7)) | (k == 7 ? 0 : higher);
        assertEquals(k, Scan.firstByte(m), Long.toHexString(m));
        assertEquals(Long.numberOfTrailingZeros(m) >>> 3, Scan.firstByte(m));
      }
    }
  }

  @Test
  void agreesWithAByteLoopOnRandomLines() {
    Random r = new Random(15);
    byte[] alphabet = {'\t', '\n', 0x08, 0x0b, 0x0a - 1, (byte) 0x89, (byte) 0x8a, 'a', 0, -1};
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[r.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        b[i] = alphabet[r.nextInt(alphabet.length)];
      }
      int from = b.length == 0 ? 0 : r.nextInt(b.length);
      int to = from + r.nextInt(b.length - from + 1);
      byte c = alphabet[r.nextInt(alphabet.length)];
      assertEquals(naive(b, from, to, c), Scan.indexOf(b, from, to, c), "round " + round);
    }
  }
}
