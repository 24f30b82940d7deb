package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Record-header reads in both byte orders, at an offset, with the top bits set. */
class BytesTest {
  // @1: 0xf1 0xe2 0xd3 0xc4 0xb5 0xa6 0x97 0x88
  private static final byte[] B = {
    0,
    (byte) 0xf1,
    (byte) 0xe2,
    (byte) 0xd3,
    (byte) 0xc4,
    (byte) 0xb5,
    (byte) 0xa6,
    (byte) 0x97,
    (byte) 0x88
  };

  @Test
  void bigEndian() {
    assertEquals(0xf1e2, Bytes.u16(B, 1, true));
    assertEquals(0xf1e2d3c4, Bytes.i32(B, 1, true));
    assertEquals(0xf1e2d3c4L, Bytes.u32(B, 1, true));
    assertEquals(0xf1e2d3c4b5a69788L, Bytes.i64(B, 1, true));
  }

  @Test
  void littleEndian() {
    assertEquals(0xe2f1, Bytes.u16(B, 1, false));
    assertEquals(0xc4d3e2f1, Bytes.i32(B, 1, false));
    assertEquals(0xc4d3e2f1L, Bytes.u32(B, 1, false));
    assertEquals(0x8897a6b5c4d3e2f1L, Bytes.i64(B, 1, false));
  }

  @Test
  void saturate() {
    assertEquals(Integer.MAX_VALUE, Bytes.saturate(0xffff_ffffL));
    assertEquals(65_535, Bytes.saturate(65_535));
  }
}
