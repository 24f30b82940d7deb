package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classic pcap read through mappings: records across window ends, a file cut short before and while
 * it is read, a file that grows while it is read.
 */
class MappedPcapReaderTest {
  @TempDir Path dir;

  /** {@code n} records of 1,000 bytes: packet i's bytes start at {@code (byte) i}. */
  private static byte[] capture(int n) {
    Bin b = Bin.le().pcapHeader(0xA1B2C3D4L, 65535, 1);
    for (int i = 0; i < n; i++) {
      b.pcapRecord(i, i, 1000, 1000, Bin.data(1000, i));
    }
    return b.build();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  @Test
  void egretMapsPlainPcapFiles() throws IOException {
    Path p = write("a.pcap", capture(3));
    try (CaptureFile f = CaptureFiles.open(p.toString())) {
      assertInstanceOf(MappedPcapReader.class, f);
    }
    try (CaptureFile f = CaptureFiles.openDirect(p.toString())) {
      assertInstanceOf(MappedPcapReader.class, f);
    }
  }

  @Test
  void recordsAcrossWindowEndsAreDeliveredWhole() throws IOException {
    byte[] file = capture(50);
    Path p = write("w.pcap", file);
    Read.Result read = Read.run(CaptureFiles.open(p.toString(), 16, true, 0));
    // windows of 1,500 bytes: most records start in one window and end in the next
    for (long window : new long[] {1, 1500, 4096, 1016}) {
      Read.Result mapped = Read.run(CaptureFiles.open(p.toString(), 16, true, window));
      assertEquals(read, mapped, "window " + window);
      Read.Result framed = Read.prefetched(CaptureFiles.open(p.toString(), 16, false, window));
      assertEquals(read, framed, "window " + window + " framed on a thread");
    }
    assertEquals(50, read.packets().size());
    assertEquals(1000, read.get(49).data().length);
    assertEquals((byte) 49, read.get(49).data()[0]);
  }

  @Test
  void aFileCutInsideARecordReadsTheRecordsBeforeIt() throws IOException {
    byte[] whole = capture(5);
    Path p = write("cut.pcap", Arrays.copyOf(whole, whole.length - 10));
    Read.Result r = Read.run(CaptureFiles.open(p.toString(), 16, true, 1500));
    assertEquals(4, r.stats().packets());
    assertEquals(1, r.stats().truncatedRecords());
  }

  @Test
  void aFileThatShrinksWhileMappedIsAReadFailureNamingIt() throws IOException {
    // 20 MB: one window holds the part read when the file is cut, and the framing thread, which
    // waits once it is 2 MB ahead, cannot have read all of it by then
    byte[] file = capture(20_000);
    Path p = dir.resolve("shrinks.pcap");
    for (boolean framed : new boolean[] {false, true}) {
      Files.write(p, file);
      CaptureFile f = CaptureFiles.open(p.toString(), 16, !framed, MappedPcapReader.WINDOW);
      PacketHandler cut =
          (lt, ts, b, off, caplen, orig) -> {
            if (ts == 0) {
              try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
                raf.setLength(100); // the pages behind the mapped window are gone
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            }
          };
      CaptureException e =
          assertThrows(
              CaptureException.class,
              () -> {
                try (f) {
                  if (framed) {
                    PacketPrefetch.run(f, cut);
                  } else {
                    f.run(cut);
                  }
                }
              });
      String shrank = p + ": read failed: the file shrank to 100 bytes while being read";
      // framed on a thread, the fault may be thrown after the read loop (Mapped.isFault)
      String changed = p + ": read failed: the file changed while being read";
      assertTrue(
          e.getMessage().equals(shrank) || framed && e.getMessage().equals(changed),
          e.getMessage());
    }
  }

  @Test
  void aFileShortenedBeforeItsNextWindowEndsAtTheNewEnd() throws IOException {
    Path p = write("shorter.pcap", capture(20));
    try (CaptureFile f = CaptureFiles.open(p.toString(), 16, true, 2048)) {
      int[] seen = new int[1];
      f.run(
          (lt, ts, b, off, caplen, orig) -> {
            if (seen[0]++ == 0) {
              try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
                raf.setLength(24 + 3 * 1016 + 500); // inside the fourth record
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            }
          });
      // the first window held the first two records; the next window sees the new size
      assertEquals(3, f.stats().packets());
      assertEquals(1, f.stats().truncatedRecords());
    }
  }

  @Test
  void aFileThatGrowsWhileReadIsReadAsFarAsItHasGrown() throws IOException {
    byte[] first = capture(3);
    byte[] all = capture(6);
    Path p = write("grows.pcap", first);
    try (CaptureFile f = CaptureFiles.open(p.toString(), 16, true, 1 << 20)) {
      int[] seen = new int[1];
      f.run(
          (lt, ts, b, off, caplen, orig) -> {
            if (seen[0]++ == 0) {
              try {
                Files.write(
                    p,
                    Arrays.copyOfRange(all, first.length, all.length),
                    StandardOpenOption.APPEND);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            }
          });
      assertEquals(6, f.stats().packets());
      assertEquals(0, f.stats().truncatedRecords());
    }
    assertTrue(Files.size(p) == all.length);
  }
}
