package dev.egret.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowBufferTest {
  @Test
  void numbersMatchLongToString() {
    RowBuffer b = new RowBuffer();
    long[] fixed = {0, 9, 10, 99, 100, -1, -10, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
    for (long v : fixed) {
      assertEquals(Long.toString(v), b.add(v).take());
    }
    Random r = new Random(3);
    for (int i = 0; i < 100_000; i++) {
      long v = r.nextLong() >> r.nextInt(64);
      assertEquals(Long.toString(v), b.add(v).take());
    }
  }

  @Test
  void twoDigitsAndDottedQuads() {
    RowBuffer b = new RowBuffer();
    assertEquals("07:59", b.add2(7).add(':').add2(59).take());
    assertEquals("0.0.0.0", b.addIpv4(0).take());
    assertEquals("255.255.255.255", b.addIpv4(-1).take());
    assertEquals("192.0.2.1", b.addIpv4(0xC0000201).take());
  }

  /** Rows longer than a block and many short ones: everything arrives, in order, once. */
  @Test
  void writesInBlocksAndLosesNothing() throws IOException {
    StringWriter out = new StringWriter();
    RowBuffer b = new RowBuffer(out);
    StringBuilder expected = new StringBuilder();
    String longCell = "x".repeat(100_000);
    for (int i = 0; i < 20_000; i++) {
      String cell = i % 5000 == 0 ? longCell : "row";
      b.add(cell).add(',').add(i).add('\n');
      expected.append(cell).append(',').append(i).append('\n');
      b.endRow();
      assertTrue(out.getBuffer().length() <= expected.length());
    }
    assertTrue(out.getBuffer().length() > 0, "blocks were written before the end");
    b.flush();
    assertEquals(expected.toString(), out.toString());
  }
}
