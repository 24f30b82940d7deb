package dev.egret.capture;

import static dev.egret.capture.Bin.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiFileSourceTest {
  @TempDir Path dir;

  private String pcap(String name, int firstSecond, int count) throws IOException {
    Bin b = Bin.le().pcapHeader(0xA1B2C3D4L, 65535, 1);
    for (int i = 0; i < count; i++) {
      b.pcapRecord(firstSecond + i, 0, 1, 1, data(1, firstSecond + i));
    }
    Path p = dir.resolve(name);
    Files.write(p, b.build());
    return p.toString();
  }

  @Test
  void filesInTheOrderGivenAndStatsAddUp() throws IOException {
    String later = pcap("b.pcap", 100, 2);
    String earlier = pcap("a.pcap", 10, 3);
    Bin ng = Bin.le().shb().idb(1, 0).epb(0, 50_000_000, data(1, 50), 1); // 50 s in microseconds
    Files.write(dir.resolve("c.pcapng"), ng.build());
    List<Long> seconds = new ArrayList<>();
    MultiFileSource s =
        new MultiFileSource(List.of(later, earlier, dir.resolve("c.pcapng").toString()));
    s.run((lt, ts, buf, off, caplen, orig) -> seconds.add(ts / 1_000_000_000L));
    assertEquals(List.of(100L, 101L, 10L, 11L, 12L, 50L), seconds);
    assertEquals(new CaptureStats(6, 6, 0, 0, 0, 0), s.stats());
    assertEquals(later + " (+2 more files)", s.name());
  }

  @Test
  void missingFileFailsWhenItsTurnComes() throws IOException {
    String ok = pcap("a.pcap", 1, 2);
    String missing = dir.resolve("gone.pcap").toString();
    List<Integer> got = new ArrayList<>();
    MultiFileSource s = new MultiFileSource(List.of(ok, missing));
    CaptureException e =
        assertThrows(CaptureException.class, () -> s.run((lt, ts, b, o, c, l) -> got.add(c)));
    assertEquals(missing + ": no such file", e.getMessage());
    assertEquals(2, got.size());
    assertEquals(2, s.stats().packets());
  }

  @Test
  void stopSkipsTheRemainingFiles() throws IOException {
    String a = pcap("a.pcap", 1, 5);
    String b = pcap("b.pcap", 10, 5);
    MultiFileSource s = new MultiFileSource(List.of(a, b));
    s.run((lt, ts, buf, off, caplen, orig) -> s.stop());
    assertEquals(1, s.stats().packets());
  }

  @Test
  void problemsAreCollectedPerFile() throws IOException {
    Bin bad =
        Bin.le().pcapHeader(0xA1B2C3D4L, 65535, 1).pcapRecord(1, 0, 0x7FFF_FFFFL, 1, data(1, 0));
    Path p = dir.resolve("bad.pcap");
    Files.write(p, bad.build());
    MultiFileSource s = new MultiFileSource(List.of(pcap("a.pcap", 1, 1), p.toString()));
    s.run((lt, ts, buf, off, caplen, orig) -> {});
    assertEquals(1, s.problems().size());
    assertTrue(s.problems().get(0).startsWith(p + ": captured length 2147483647"));
    assertEquals(new CaptureStats(1, 1, 0, 1, 0, 0), s.stats());
  }
}
