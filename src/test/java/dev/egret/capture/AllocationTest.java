package dev.egret.capture;

import static dev.egret.capture.Bin.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read loop allocates nothing per packet: 20,000 packets cost no more than a few objects. */
class AllocationTest {
  private static final int PACKETS = 20_000;

  @TempDir Path dir;

  private static long allocatedDuringRun(String path) throws IOException {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no allocation counter");
    com.sun.management.ThreadMXBean hs = (com.sun.management.ThreadMXBean) mx;
    long[] sink = new long[1];
    PacketHandler h = (lt, ts, b, o, c, l) -> sink[0] += b[o] + ts;
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) { // the first round may load classes
      try (CaptureFile f = CaptureFiles.open(path)) {
        long before = hs.getCurrentThreadAllocatedBytes();
        f.run(h);
        least = Math.min(least, hs.getCurrentThreadAllocatedBytes() - before);
        assertEquals(PACKETS, f.stats().packets());
      }
    }
    return least;
  }

  @Test
  void pcap() throws IOException {
    Bin b = Bin.le().pcapHeader(0xA1B2C3D4L, 65535, 1);
    for (int i = 0; i < PACKETS; i++) {
      b.pcapRecord(i, i, 60, 60, data(60, i));
    }
    Path p = dir.resolve("many.pcap");
    Files.write(p, b.build());
    long bytes = allocatedDuringRun(p.toString());
    assertTrue(bytes < 16_384, bytes + " bytes allocated for " + PACKETS + " packets");
  }

  @Test
  void pcapng() throws IOException {
    Bin b = Bin.le().shb().idb(1, 0);
    for (int i = 0; i < PACKETS; i++) {
      b.epb(0, i, data(60, i), 60);
    }
    Path p = dir.resolve("many.pcapng");
    Files.write(p, b.build());
    long bytes = allocatedDuringRun(p.toString());
    assertTrue(bytes < 16_384, bytes + " bytes allocated for " + PACKETS + " packets");
  }
}
