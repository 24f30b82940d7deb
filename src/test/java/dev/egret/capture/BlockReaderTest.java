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
  void requestOverTheBoundIsACallerError() {
    BlockReader r = new BlockReader(new StreamSupply(new ByteArrayInputStream(DATA), true), 16, 64);
    assertThrows(IllegalArgumentException.class, () -> r.fill(65));
  }
}
