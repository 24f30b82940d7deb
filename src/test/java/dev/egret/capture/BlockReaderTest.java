package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockReaderTest {
  private static final byte[] DATA = Bin.data(100, 0); // byte i has value i

  @TempDir Path dir;

  /** Reads 3, skips 20, reads a 30-byte record (past the 16-byte array), then runs out. */
  private static void walk(BlockReader r) throws IOException {
    assertTrue(r.fill(3));
    assertEquals(0, r.buf()[r.pos()]);
    r.consume(3);
    assertTrue(r.skip(20));
    assertEquals(23, r.offset());
    assertTrue(r.fill(30)); // grows the array once
    assertEquals(23, r.buf()[r.pos()]);
    assertEquals(52, r.buf()[r.pos() + 29]);
    r.consume(30);
    assertTrue(r.fill(10)); // straddles: tail moved to the front
    assertEquals(53, r.buf()[r.pos()]);
    r.consume(10);
    assertFalse(r.fill(40)); // 37 left
    assertEquals(37, r.available());
    assertFalse(r.skip(38));
  }

  @Test
  void streamSupply() throws IOException {
    walk(new BlockReader(new StreamSupply(new ByteArrayInputStream(DATA), true), 16, 64));
  }

  @Test
  void mappedSupplyAcrossSevenByteWindows() throws IOException {
    Path p = dir.resolve("d.bin");
    Files.write(p, DATA);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      walk(new BlockReader(new MappedSupply(ch, 7), 16, 64));
    }
  }

  @Test
  void fileSupply() throws IOException {
    Path p = dir.resolve("d.bin");
    Files.write(p, DATA);
    walk(new BlockReader(new FileSupply(new java.io.RandomAccessFile(p.toFile(), "r")), 16, 64));
  }

  @Test
  void prefetchSupply() throws IOException {
    walk(
        new BlockReader(
            new PrefetchSupply(new StreamSupply(new ByteArrayInputStream(DATA), true)), 16, 64));
  }

  @Test
  void prefetchDeliversEveryByteInOrderAcrossChunks() throws IOException {
    byte[] big = new byte[PrefetchSupply.CHUNK * (PrefetchSupply.CHUNKS + 3) + 12_345];
    new java.util.Random(5).nextBytes(big);
    // A stream that returns short reads, as pipes do.
    java.io.InputStream shortReads =
        new ByteArrayInputStream(big) {
          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1000));
          }
        };
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    try (PrefetchSupply s = new PrefetchSupply(new StreamSupply(shortReads, true))) {
      byte[] b = new byte[7_777];
      assertEquals(10, s.skip(10));
      got.write(big, 0, 10);
      int n;
      while ((n = s.read(b, 0, b.length)) >= 0) {
        got.write(b, 0, n);
      }
      assertEquals(-1, s.read(b, 0, 1));
      assertEquals(0, s.skip(5));
    }
    assertTrue(java.util.Arrays.equals(big, got.toByteArray()), "bytes differ");
  }

  @Test
  void prefetchThrowsAnInputErrorAfterTheBytesBeforeIt() throws IOException {
    ByteSupply failing =
        new ByteSupply() {
          int calls;

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (calls++ == 0) {
              b[off] = 42;
              return 1;
            }
            throw new IOException("disk on fire");
          }

          @Override
          public long skip(long n) {
            return 0;
          }

          @Override
          public void close() {}
        };
    try (PrefetchSupply s = new PrefetchSupply(failing)) {
      byte[] b = new byte[10];
      assertEquals(1, s.read(b, 0, 10));
      assertEquals(42, b[0]);
      IOException e = assertThrows(IOException.class, () -> s.read(b, 0, 10));
      assertEquals("disk on fire", e.getMessage());
    }
  }

  @Test
  void requestOverTheBoundIsACallerError() {
    BlockReader r = new BlockReader(new StreamSupply(new ByteArrayInputStream(DATA), true), 16, 64);
    assertThrows(IllegalArgumentException.class, () -> r.fill(65));
  }
}
