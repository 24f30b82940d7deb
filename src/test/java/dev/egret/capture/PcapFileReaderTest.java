package dev.egret.capture;

import static dev.egret.capture.Bin.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapFileReaderTest {
  private static final long MICROS = 0xA1B2C3D4L;
  private static final long NANOS = 0xA1B23C4DL;

  @TempDir Path dir;

  @Test
  void littleEndianMicroseconds() {
    byte[] f =
        Bin.le()
            .pcapHeader(MICROS, 65535, 1) // d4 c3 b2 a1 on disk, Ethernet
            .pcapRecord(1_700_000_000L, 123_456, 4, 60, data(4, 10))
            .pcapRecord(1_700_000_001L, 0, 2, 2, data(2, 20))
            .build();
    Read.Result r = Read.all(dir, "le.pcap", f);
    assertEquals(2, r.packets().size());
    assertEquals(new Read.Pkt(1, 1_700_000_000_123_456_000L, data(4, 10), 60), r.get(0));
    assertEquals(new Read.Pkt(1, 1_700_000_001_000_000_000L, data(2, 20), 2), r.get(1));
    assertEquals(new CaptureStats(2, 6, 0, 0, 0, 0), r.stats());
    assertNull(r.problem());
  }

  @Test
  void bigEndianNanoseconds() {
    byte[] f =
        Bin.be()
            .pcapHeader(NANOS, 65535, 101) // a1 b2 3c 4d on disk, raw IP
            .pcapRecord(1_700_000_000L, 999_999_999, 3, 3, data(3, 1))
            .build();
    assertEquals((byte) 0xA1, f[0]);
    Read.Result r = Read.all(dir, "be.pcap", f);
    assertEquals(new Read.Pkt(101, 1_700_000_000_999_999_999L, data(3, 1), 3), r.get(0));
  }

  @Test
  void caplenOverSnaplenIsCutToSnaplenAndNextRecordStillFound() {
    byte[] f =
        Bin.le()
            .pcapHeader(MICROS, 4, 1) // snaplen 4
            .pcapRecord(1, 0, 8, 8, data(8, 0)) // caplen 8 > snaplen 4
            .pcapRecord(2, 0, 2, 2, data(2, 50))
            .build();
    Read.Result r = Read.all(dir, "snap.pcap", f);
    assertEquals(2, r.packets().size());
    assertArrayEquals(data(4, 0), r.get(0).data());
    assertEquals(8, r.get(0).origLen());
    assertArrayEquals(data(2, 50), r.get(1).data());
    assertEquals(6, r.stats().bytes());
  }

  @Test
  void caplenOverLenKeepsBytesAndRaisesOrigLen() {
    byte[] f =
        Bin.le()
            .pcapHeader(MICROS, 65535, 1)
            .pcapRecord(1, 0, 8, 6, data(8, 0)) // caplen 8 > len 6
            .build();
    Read.Result r = Read.all(dir, "len.pcap", f);
    assertArrayEquals(data(8, 0), r.get(0).data());
    assertEquals(8, r.get(0).origLen());
  }

  @Test
  void absurdCaplenStopsAndIsReported() {
    byte[] f =
        Bin.le()
            .pcapHeader(MICROS, 65535, 1)
            .pcapRecord(1, 0, 2, 2, data(2, 0))
            .pcapRecord(2, 0, 0xFFFF_FFF0L, 60, data(40, 0)) // caplen 4294967280
            .pcapRecord(3, 0, 2, 2, data(2, 0))
            .build();
    Read.Result r = Read.all(dir, "corrupt.pcap", f);
    assertEquals(1, r.packets().size());
    assertEquals(new CaptureStats(1, 2, 0, 1, 0, 0), r.stats());
    assertTrue(r.problem().contains("corrupt.pcap: captured length 4294967280"), r.problem());
    assertTrue(r.problem().contains("at offset 42"), r.problem());
  }

  @Test
  void caplenJustOverTheBoundIsCorrupt() {
    byte[] f =
        Bin.le()
            .pcapHeader(MICROS, 0, 1) // snaplen 0: no limit from the header
            .pcapRecord(1, 0, CaptureFile.MAX_CAPLEN + 1, 70_000, new byte[0])
            .build();
    Read.Result r = Read.all(dir, "over.pcap", f);
    assertEquals(0, r.packets().size());
    assertEquals(1, r.stats().skippedRecords());
  }

  @Test
  void truncatedRecordHeader() {
    byte[] f = Bin.le().pcapHeader(MICROS, 65535, 1).pcapRecord(1, 0, 2, 2, data(2, 0)).build();
    byte[] cut = java.util.Arrays.copyOf(f, f.length + 7); // 7 of 16 record header bytes
    Read.Result r = Read.all(dir, "cuthdr.pcap", cut);
    assertEquals(new CaptureStats(1, 2, 1, 0, 0, 0), r.stats());
    assertNull(r.problem());
  }

  @Test
  void truncatedRecordBody() {
    byte[] f =
        Bin.le()
            .pcapHeader(MICROS, 65535, 1)
            .pcapRecord(1, 0, 2, 2, data(2, 0))
            .pcapRecord(2, 0, 100, 100, data(30, 0)) // 30 of 100 bytes present
            .build();
    Read.Result r = Read.all(dir, "cutbody.pcap", f);
    assertEquals(new CaptureStats(1, 2, 1, 0, 0, 0), r.stats());
  }

  @Test
  void linktypeUpperBitsCarryFcsAndAreMasked() {
    Bin le = Bin.le().pcapHeader(MICROS, 65535, 0x3000_0008L).pcapRecord(1, 0, 1, 1, data(1, 0));
    Bin be = Bin.be().pcapHeader(MICROS, 65535, 0x3000_0008L).pcapRecord(1, 0, 1, 1, data(1, 0));
    assertEquals(8, Read.all(dir, "fcs-le.pcap", le.build()).get(0).linkType());
    assertEquals(8, Read.all(dir, "fcs-be.pcap", be.build()).get(0).linkType());
  }

  @Test
  void microsecondsOverOneMillionRollIntoSeconds() {
    byte[] f =
        Bin.le()
            .pcapHeader(MICROS, 65535, 1)
            .pcapRecord(10, 1_500_000, 1, 1, data(1, 0)) // usec 1.5e6
            .pcapRecord(0xFFFF_FFFFL, 0xFFFF_FFFFL, 1, 1, data(1, 0)) // both fields maximal
            .build();
    Read.Result r = Read.all(dir, "usec.pcap", f);
    assertEquals(11_500_000_000L, r.get(0).tsNanos());
    assertEquals(0xFFFF_FFFFL * 1_000_000_000L + 0xFFFF_FFFFL * 1_000L, r.get(1).tsNanos());
  }

  @Test
  void headerOnlyHasNoPackets() {
    Read.Result r = Read.all(dir, "empty.pcap", Bin.le().pcapHeader(MICROS, 65535, 1).build());
    assertEquals(CaptureStats.EMPTY, r.stats());
  }

  @Test
  void stopEndsTheRunAfterTheCurrentRecord() throws IOException {
    Bin b = Bin.le().pcapHeader(MICROS, 65535, 1);
    for (int i = 0; i < 10; i++) {
      b.pcapRecord(i, 0, 1, 1, data(1, i));
    }
    Path p = dir.resolve("stop.pcap");
    java.nio.file.Files.write(p, b.build());
    AtomicInteger seen = new AtomicInteger();
    try (CaptureFile f = CaptureFiles.open(p.toString())) {
      f.run(
          (lt, ts, buf, off, caplen, orig) -> {
            if (seen.incrementAndGet() == 3) {
              f.stop();
            }
          });
      assertEquals(3, seen.get());
      assertEquals(3, f.stats().packets());
    }
  }
}
