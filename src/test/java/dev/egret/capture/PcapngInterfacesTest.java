package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class PcapngInterfacesTest {
  @Test
  void powersOfTen() {
    assertEquals(1_500_000_000L, PcapngInterfaces.unitsToNanos(6, 1_500_000)); // microseconds
    assertEquals(1_500_000_000L, PcapngInterfaces.unitsToNanos(3, 1_500)); // milliseconds
    assertEquals(7L, PcapngInterfaces.unitsToNanos(9, 7)); // nanoseconds
    assertEquals(7L, PcapngInterfaces.unitsToNanos(12, 7_999)); // picoseconds, truncated
    assertEquals(0L, PcapngInterfaces.unitsToNanos(127, -1)); // 10^-127: always below 1 ns
    assertEquals(Long.divideUnsigned(-1L, 1000), PcapngInterfaces.unitsToNanos(12, -1)); // unsigned
  }

  @Test
  void powersOfTwo() {
    assertEquals(3_000_000_000L, PcapngInterfaces.unitsToNanos(0x80, 3)); // 2^0: seconds
    assertEquals(2_500_000_000L, PcapngInterfaces.unitsToNanos(0x80 | 1, 5)); // halves
    assertEquals(1_000_000_000L, PcapngInterfaces.unitsToNanos(0x80 | 30, 1L << 30));
    assertEquals(500_000_000L, PcapngInterfaces.unitsToNanos(0x80 | 63, 1L << 62));
    assertEquals(999_999_999L, PcapngInterfaces.unitsToNanos(0x80 | 64, -1L)); // just under 1 s
    assertEquals(0L, PcapngInterfaces.unitsToNanos(0x80 | 127, -1L));
    assertEquals(
        (1L << 31) * 1_000_000_000L + 500_000_000L,
        PcapngInterfaces.unitsToNanos(0x80 | 32, 1L << 63 | 1L << 31)); // 2^31 s + 0.5, unsigned
  }

  @Test
  void interfaceCountIsBounded() {
    PcapngInterfaces ifs = new PcapngInterfaces();
    for (int i = 0; i < PcapngInterfaces.MAX_INTERFACES; i++) {
      ifs.add(1, 0, 6, 0);
    }
    assertFalse(ifs.add(1, 0, 6, 0));
    assertEquals(PcapngInterfaces.MAX_INTERFACES, ifs.count());
  }
}
