package dev.egret.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LivePcapRingTest {
  private static final long SEC = 1_000_000_000L;
  private static final long T0 = 1_714_550_400L * SEC;
  private static final long HOUR = 3600 * SEC;

  @TempDir Path dir;

  private record Got(int linkType, long ts, byte[] data, int orig) {}

  private static List<Got> read(Path f) throws IOException {
    List<Got> out = new ArrayList<>();
    try (PacketSource s = CaptureFiles.open(f.toString())) {
      s.run(
          (lt, ts, b, off, cap, orig) ->
              out.add(new Got(lt, ts, Arrays.copyOfRange(b, off, off + cap), orig)));
    }
    return out;
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void packetsReadBackWithNanosecondTimesAndWireLengths() throws IOException {
    byte[] a = {1, 2, 3, 4, 5};
    byte[] b = new byte[3000];
    Arrays.fill(b, (byte) 7);
    try (PcapRing r = new PcapRing(dir, "eth0", 1, 65535, HOUR, 3)) {
      r.write(T0, T0 + 123_456_789, new byte[] {0, 1, 2, 3, 4, 5, 6}, 1, 5, 60);
      r.write(T0 + 1, T0 + SEC, b, 0, b.length, 3000);
    }
    List<Path> fs = files();
    assertEquals(1, fs.size());
    assertTrue(
        fs.get(0).getFileName().toString().matches("egret-eth0-20240501T080000\\.000Z\\.pcap"));
    List<Got> got = read(fs.get(0));
    assertEquals(2, got.size());
    assertEquals(T0 + 123_456_789, got.get(0).ts());
    assertArrayEquals(a, got.get(0).data());
    assertEquals(60, got.get(0).orig());
    assertEquals(1, got.get(0).linkType());
    assertArrayEquals(b, got.get(1).data());
  }

  @Test
  void packetsPastTheOneMegabyteBufferAreWrittenInOrder() throws IOException {
    byte[] big = new byte[200_000];
    try (PcapRing r = new PcapRing(dir, "eth0", 1, 262144, HOUR, 3)) {
      for (int i = 0; i < 12; i++) {
        big[0] = (byte) i;
        big[big.length - 1] = (byte) (100 + i);
        r.write(T0, T0 + i, big, 0, big.length, big.length);
      }
    }
    List<Got> got = read(files().get(0));
    assertEquals(12, got.size());
    for (int i = 0; i < 12; i++) {
      assertEquals(i, got.get(i).data()[0]);
      assertEquals(100 + i, got.get(i).data()[big.length - 1]);
      assertEquals(T0 + i, got.get(i).ts());
    }
  }

  @Test
  void aNewFileStartsEachPeriodAndTheOldestBeyondKeepAreDeleted() throws IOException {
    try (PcapRing r = new PcapRing(dir, "eth0", 1, 65535, HOUR, 3)) {
      for (int h = 0; h < 5; h++) {
        r.write(T0 + h * HOUR, T0 + h * HOUR, new byte[] {(byte) h}, 0, 1, 1);
        r.write(T0 + h * HOUR + 1, T0 + h * HOUR + 1, new byte[] {(byte) h}, 0, 1, 1);
      }
      assertEquals(5, r.files());
    }
    List<Path> fs = files();
    assertEquals(3, fs.size());
    assertTrue(fs.get(0).toString().endsWith("T100000.000Z.pcap"), fs.toString());
    assertEquals(2, read(fs.get(2)).size());
    assertEquals(4, read(fs.get(2)).get(0).data()[0]);
  }

  @Test
  void aQuietLinkStillRotatesOnTheTick() throws IOException {
    try (PcapRing r = new PcapRing(dir, "eth0", 1, 65535, HOUR, 10)) {
      r.write(T0, T0, new byte[] {1}, 0, 1, 1);
      r.tick(T0 + HOUR / 2);
      assertEquals(1, r.files());
      r.tick(T0 + HOUR);
      assertEquals(2, r.files());
    }
    assertEquals(0, read(files().get(1)).size(), "the new file holds a valid header only");
  }

  @Test
  void otherInterfacesFilesAreLeftAlone() throws IOException {
    Files.writeString(dir.resolve("egret-eth1-20200101T000000.000Z.pcap"), "x");
    Files.writeString(dir.resolve("notes.txt"), "x");
    try (PcapRing r = new PcapRing(dir, "eth0", 1, 65535, HOUR, 1)) {
      r.write(T0, T0, new byte[] {1}, 0, 1, 1);
      r.write(T0 + HOUR, T0 + HOUR, new byte[] {1}, 0, 1, 1);
    }
    assertEquals(3, files().size(), files().toString());
  }

  @Test
  void oddInterfaceNamesMakeSafeFileNames() throws IOException {
    try (PcapRing r = new PcapRing(dir, "../x y", 1, 65535, HOUR, 1)) {
      r.write(T0, T0, new byte[] {1}, 0, 1, 1);
    }
    assertTrue(files().get(0).getFileName().toString().startsWith("egret-.._x_y-"));
    assertEquals(dir, files().get(0).getParent());
  }

  @Test
  void settingsOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new PcapRing(dir, "e", 1, 100, SEC / 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new PcapRing(dir, "e", 1, 100, HOUR, 0));
  }
}
