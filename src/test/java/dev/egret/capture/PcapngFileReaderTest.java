package dev.egret.capture;

import static dev.egret.capture.Bin.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapngFileReaderTest {
  private static final long T = 1_700_000_000_000_000L; // microseconds, the default if_tsresol

  @TempDir Path dir;

  @Test
  void twoSectionsWithDifferentByteOrders() {
    Bin f = Bin.le().shb().idb(1, 65535).epb(0, T, data(4, 1), 4);
    f.order(true).shb().idb(101, 65535).epb(0, T + 1, data(3, 9), 3); // second section big-endian
    Read.Result r = Read.all(dir, "two.pcapng", f.build());
    assertEquals(2, r.packets().size());
    assertEquals(new Read.Pkt(1, T * 1000, data(4, 1), 4), r.get(0));
    assertEquals(new Read.Pkt(101, (T + 1) * 1000, data(3, 9), 3), r.get(1));
    assertNull(r.problem());
  }

  @Test
  void newSectionForgetsInterfaces() {
    Bin f = Bin.le().shb().idb(1, 0).shb().epb(0, T, data(2, 0), 2); // interface 0 gone
    Read.Result r = Read.all(dir, "forget.pcapng", f.build());
    assertEquals(new CaptureStats(0, 0, 0, 1, 0, 0), r.stats());
  }

  @Test
  void tsresolNanosecondsAndPowerOfTwo() {
    Bin f = Bin.be().shb();
    f.block(1, idbWithOptions(f.sub(), 1, 9)); // interface 0: if_tsresol 9, 10^-9 s
    f.block(1, idbWithOptions(f.sub(), 1, 0x80 | 20)); // interface 1: if_tsresol 2^-20 s
    f.epb(0, 1_700_000_000_123_456_789L, data(1, 0), 1);
    f.epb(1, (5L << 20) | (1L << 19), data(1, 0), 1); // 5.5 s in 2^-20 units
    Read.Result r = Read.all(dir, "tsresol.pcapng", f.build());
    assertEquals(1_700_000_000_123_456_789L, r.get(0).tsNanos());
    assertEquals(5_500_000_000L, r.get(1).tsNanos());
  }

  private static byte[] idbWithOptions(Bin b, int linkType, int tsresol) {
    return b.u16(linkType)
        .u16(0) // reserved
        .u32(0) // snaplen: no limit
        .u16(2)
        .u16(4)
        .bytes('e', 't', 'h', '0') // if_name "eth0"
        .u16(9)
        .u16(1)
        .u8(tsresol)
        .pad4() // if_tsresol
        .u16(0)
        .u16(0) // opt_endofopt
        .build();
  }

  @Test
  void tsoffsetIsAddedInSeconds() {
    Bin f = Bin.le().shb();
    byte[] idb = f.sub().u16(1).u16(0).u32(0).u16(14).u16(8).u64(100).u16(0).u16(0).build();
    f.block(1, idb).epb(0, 2_000_000, data(1, 0), 1); // if_tsoffset 100 s; 2 s in microseconds
    assertEquals(102_000_000_000L, Read.all(dir, "off.pcapng", f.build()).get(0).tsNanos());
  }

  @Test
  void simplePacketBlockUsesInterfaceZeroAndSnaplen() {
    Bin f = Bin.le().shb().idb(1, 5).epb(0, T, data(3, 0), 3); // snaplen 5
    f.block(3, f.sub().u32(60).bytes(data(8, 40)).build()); // SPB: original length 60, 8 bytes
    f.block(3, f.sub().u32(2).bytes(data(4, 70)).build()); // SPB: original 2 < 4 data bytes
    Read.Result r = Read.all(dir, "spb.pcapng", f.build());
    assertEquals(new Read.Pkt(1, T * 1000, data(5, 40), 60), r.get(1)); // cut to snaplen, prev ts
    assertEquals(new Read.Pkt(1, T * 1000, data(2, 70), 2), r.get(2));
  }

  @Test
  void legacyPacketBlock() {
    Bin f = Bin.le().shb().idb(1, 0).idb(113, 0);
    byte[] pb = f.sub().u16(1).u16(0).u32(0).u32(7).u32(3).u32(64).bytes(data(3, 5)).build();
    f.block(2, pb); // interface 1 (16-bit), drops 0, ts 7 us, caplen 3, len 64
    assertEquals(
        new Read.Pkt(113, 7000, data(3, 5), 64), Read.all(dir, "pb.pcapng", f.build()).get(0));
  }

  @Test
  void unknownBlockIsSkippedWithoutCounting() {
    Bin f = Bin.le().shb().idb(1, 0);
    f.block(0x0BAD, data(10, 0)); // unknown type
    f.block(5, data(20, 0)); // Interface Statistics Block: not needed
    f.epb(0, T, data(2, 0), 2);
    Read.Result r = Read.all(dir, "unknown.pcapng", f.build());
    assertEquals(new CaptureStats(1, 2, 0, 0, 0, 0), r.stats());
  }

  @Test
  void blockLargerThanTheBufferBoundIsSkippedByStreaming() {
    Bin f = Bin.le().shb().idb(1, 0);
    f.block(0x0BAD, new byte[CaptureFile.MAX_BLOCK + 4000]);
    f.epb(0, T, data(2, 0), 2);
    Read.Result r = Read.all(dir, "large.pcapng", f.build());
    assertEquals(new CaptureStats(1, 2, 0, 0, 0, 0), r.stats());
  }

  @Test
  void blockLengthNotMultipleOfFourIsACountedSkip() {
    Bin f = Bin.le().shb().idb(1, 0);
    f.u32(6)
        .u32(42)
        .u32(0)
        .u32(0)
        .u32(0)
        .u32(0)
        .u32(0)
        .u32(0)
        .u32(0)
        .u16(0)
        .u32(42); // EPB of 42 bytes
    f.epb(0, T, data(2, 0), 2);
    Read.Result r = Read.all(dir, "odd.pcapng", f.build());
    assertEquals(new CaptureStats(1, 2, 0, 1, 0, 0), r.stats());
  }

  @Test
  void trailerMismatchStopsAndIsReported() {
    Bin f = Bin.le().shb().idb(1, 0).epb(0, T, data(2, 0), 2);
    int at = f.size();
    f.u32(6).u32(36).u32(0).u32(0).u32(0).u32(2).u32(2).bytes(1, 2, 0, 0).u32(40); // trailer 40
    f.epb(0, T, data(2, 0), 2);
    Read.Result r = Read.all(dir, "trailer.pcapng", f.build());
    assertEquals(new CaptureStats(1, 2, 0, 1, 0, 0), r.stats());
    assertTrue(r.problem().contains("trailer.pcapng: block trailer length 40 differs from 36"));
    assertTrue(r.problem().contains("at offset " + at), r.problem());
  }

  @Test
  void blockLengthUnderTwelveStops() {
    Bin f = Bin.le().shb().idb(1, 0).u32(6).u32(8).u32(8); // total 8
    Read.Result r = Read.all(dir, "short.pcapng", f.build());
    assertEquals(1, r.stats().skippedRecords());
    assertTrue(r.problem().contains("block length 8"), r.problem());
  }

  @Test
  void packetOnUnknownInterfaceIsACountedSkip() {
    Bin f = Bin.le().shb().idb(1, 0).epb(3, T, data(2, 0), 2).epb(0, T, data(1, 0), 1);
    Read.Result r = Read.all(dir, "noif.pcapng", f.build());
    assertEquals(new CaptureStats(1, 1, 0, 1, 0, 0), r.stats());
  }

  @Test
  void enhancedPacketCaplenOverrunningTheBlockIsACountedSkip() {
    Bin f = Bin.le().shb().idb(1, 0);
    f.block(6, f.sub().u32(0).u32(0).u32(0).u32(100).u32(100).bytes(data(4, 0)).build());
    Read.Result r = Read.all(dir, "overrun.pcapng", f.build()); // caplen 100, 4 bytes of data
    assertEquals(new CaptureStats(0, 0, 0, 1, 0, 0), r.stats());
  }

  @Test
  void truncatedLastBlock() {
    byte[] whole =
        Bin.le().shb().idb(1, 0).epb(0, T, data(2, 0), 2).epb(0, T, data(9, 0), 9).build();
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 5);
    Read.Result r = Read.all(dir, "cut.pcapng", cut);
    assertEquals(new CaptureStats(1, 2, 1, 0, 0, 0), r.stats());
    assertNull(r.problem());
  }

  @Test
  void snaplenCutsEnhancedPacket() {
    Bin f = Bin.le().shb().idb(1, 3).epb(0, T, data(6, 0), 6);
    Read.Result r = Read.all(dir, "snap.pcapng", f.build());
    assertArrayEquals(data(3, 0), r.get(0).data());
    assertEquals(6, r.get(0).origLen());
  }

  @Test
  void capturedLengthIsNeverOverMaxCaplen() {
    byte[] big = new byte[CaptureFile.MAX_CAPLEN + 1000]; // fits a block, over the bound
    Bin f = Bin.le().shb().idb(1, 0).epb(0, T, big, big.length); // snaplen 0: no limit
    Read.Result r = Read.all(dir, "big.pcapng", f.build());
    assertEquals(CaptureFile.MAX_CAPLEN, r.get(0).data().length);
    assertEquals(big.length, r.get(0).origLen());
  }

  @Test
  void badByteOrderMagicFailsAtOpen() {
    byte[] f = Bin.le().shb().build();
    f[8] = 0x11; // byte-order magic 0x1a2b3c11
    java.nio.file.Path p = dir.resolve("bom.pcapng");
    CaptureException e =
        assertThrows(
            CaptureException.class,
            () -> {
              java.nio.file.Files.write(p, f);
              CaptureFiles.open(p.toString());
            });
    assertTrue(e.getMessage().startsWith(p + ": pcapng byte-order magic"), e.getMessage());
  }

  @Test
  void unsupportedMajorVersionFailsAtOpen() throws Exception {
    byte[] f = Bin.be().shb().build();
    f[13] = 2; // major version 2
    java.nio.file.Path p = dir.resolve("v2.pcapng");
    java.nio.file.Files.write(p, f);
    CaptureException e =
        assertThrows(CaptureException.class, () -> CaptureFiles.open(p.toString()));
    assertEquals(p + ": pcapng major version 2 (expected 1)", e.getMessage());
  }
}
