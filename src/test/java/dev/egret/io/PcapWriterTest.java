package dev.egret.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
  @TempDir Path dir;

  /** One record as a minimal reader sees it. */
  record Rec(long sec, long frac, int incl, int orig, byte[] data) {}

  /** Parses the 24-byte header and every record of a little-endian pcap. */
  static List<Rec> records(byte[] file) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    b.position(24);
    List<Rec> out = new ArrayList<>();
    while (b.remaining() >= 16) {
      long sec = b.getInt() & 0xffffffffL;
      long frac = b.getInt() & 0xffffffffL;
      int incl = b.getInt();
      int orig = b.getInt();
      byte[] data = new byte[incl];
      b.get(data);
      out.add(new Rec(sec, frac, incl, orig, data));
    }
    assertEquals(0, b.remaining(), "trailing bytes after the last record");
    return out;
  }

  @Test
  void fileRoundTripMicroseconds() throws IOException {
    Path p = dir.resolve("out.pcap");
    try (PcapWriter w =
        PcapWriter.toFile(p, PcapWriter.LINKTYPE_ETHERNET, PcapWriter.Precision.MICROS)) {
      w.write(1_700_000_000_123_456_789L, new byte[] {1, 2, 3, 4, 5}, 1, 3);
      w.write(1_700_000_001_000_000_999L, new byte[60], 0, 60);
      assertEquals(24 + 16 + 3 + 16 + 60, w.bytesWritten());
      assertEquals(2, w.packetsWritten());
      w.commit();
    }
    byte[] f = Files.readAllBytes(p);
    ByteBuffer h = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0xa1b2c3d4, h.getInt(0)); // microsecond magic, little endian on disk
    assertArrayEquals(
        new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1}, Arrays.copyOf(f, 4));
    assertEquals(2, h.getShort(4)); // version 2.4
    assertEquals(4, h.getShort(6));
    assertEquals(0, h.getInt(8)); // thiszone
    assertEquals(PcapWriter.DEFAULT_SNAPLEN, h.getInt(16));
    assertEquals(1, h.getInt(20)); // LINKTYPE_ETHERNET
    List<Rec> r = records(f);
    assertEquals(2, r.size());
    assertEquals(1_700_000_000L, r.get(0).sec());
    assertEquals(123_456, r.get(0).frac());
    assertEquals(3, r.get(0).incl());
    assertEquals(3, r.get(0).orig());
    assertArrayEquals(new byte[] {2, 3, 4}, r.get(0).data());
    assertEquals(1_700_000_001L, r.get(1).sec());
    assertEquals(0, r.get(1).frac());
  }

  @Test
  void nanosecondMagicKeepsNanoseconds() throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (PcapWriter w = PcapWriter.toStream(bos, 228, PcapWriter.Precision.NANOS)) {
      w.write(5_000_000_007L, new byte[] {0x45}, 0, 1);
      w.commit();
    }
    byte[] f = bos.toByteArray();
    ByteBuffer h = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0xa1b23c4d, h.getInt(0));
    assertEquals(228, h.getInt(20)); // LINKTYPE_IPV4, as given
    Rec r = records(f).get(0);
    assertEquals(5, r.sec());
    assertEquals(7, r.frac());
  }

  @Test
  void capturedLengthMayBeShorterThanOriginal() throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (PcapWriter w = PcapWriter.toStream(bos, 1, PcapWriter.Precision.MICROS)) {
      w.write(0, new byte[100], 0, 64, 1514);
      w.commit();
    }
    Rec r = records(bos.toByteArray()).get(0);
    assertEquals(64, r.incl());
    assertEquals(1514, r.orig());
  }

  @Test
  void rejectsOriginalShorterThanCaptured() throws IOException {
    try (PcapWriter w =
        PcapWriter.toStream(new ByteArrayOutputStream(), 1, PcapWriter.Precision.MICROS)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> w.write(0, new byte[10], 0, 10, 5));
      assertTrue(e.getMessage().contains("captured 10, original 5"), e.getMessage());
    }
  }

  @Test
  void closeWithoutCommitLeavesNothingBehind() throws IOException {
    Path p = dir.resolve("partial.pcap");
    try (PcapWriter w = PcapWriter.toFile(p, 1, PcapWriter.Precision.MICROS)) {
      w.write(0, new byte[20], 0, 20);
    }
    assertFalse(Files.exists(p));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count(), "temporary file left in the folder");
    }
  }

  @Test
  void commitReplacesAnExistingFileAtomically() throws IOException {
    Path p = dir.resolve("x.pcap");
    Files.writeString(p, "old contents");
    try (PcapWriter w = PcapWriter.toFile(p, 1, PcapWriter.Precision.MICROS)) {
      w.write(0, new byte[14], 0, 14);
      assertEquals("old contents", Files.readString(p), "target changed before commit");
      w.commit();
    }
    assertEquals(24 + 16 + 14, Files.size(p));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(p), s.toList());
    }
  }

  @Test
  void writeAfterCommitIsRefused() throws IOException {
    try (PcapWriter w =
        PcapWriter.toStream(new ByteArrayOutputStream(), 1, PcapWriter.Precision.MICROS)) {
      w.commit();
      assertThrows(IllegalStateException.class, () -> w.write(0, new byte[1], 0, 1));
    }
  }
}
