package dev.egret.capture;

import static dev.egret.capture.Bin.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFilesTest {
  @TempDir Path dir;

  private static final byte[] PCAP =
      Bin.le()
          .pcapHeader(0xA1B2C3D4L, 65535, 1)
          .pcapRecord(1, 2, 3, 3, data(3, 7))
          .pcapRecord(4, 5, 6, 6, data(6, 9))
          .build();

  private String write(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p.toString();
  }

  private static String failure(String pathOrDash) {
    return assertThrows(CaptureException.class, () -> CaptureFiles.open(pathOrDash).close())
        .getMessage();
  }

  @Test
  void emptyFile() throws IOException {
    String p = write("empty.pcap", new byte[0]);
    assertEquals(p + ": empty file (no capture header)", failure(p));
  }

  @Test
  void textFileNamesItselfAndItsMagic() throws IOException {
    String p =
        write("capture.pcap", "<html><body>404</body></html>".getBytes(StandardCharsets.US_ASCII));
    assertEquals(p + ": not a pcap or pcapng file (magic 0x3c68746d)", failure(p));
  }

  @Test
  void pcapHeaderCutShort() throws IOException {
    String p = write("short.pcap", Arrays.copyOf(PCAP, 10));
    assertEquals(p + ": pcap file header cut short (10 of 24 bytes)", failure(p));
  }

  @Test
  void tooShortForAMagic() throws IOException {
    String p = write("tiny.pcap", new byte[] {(byte) 0xD4, (byte) 0xC3});
    assertEquals(p + ": too short for a capture header (2 bytes)", failure(p));
  }

  @Test
  void pcapngSectionHeaderCutShort() throws IOException {
    String p = write("short.pcapng", Arrays.copyOf(Bin.le().shb().build(), 20));
    assertEquals(p + ": pcapng section header cut short (20 of 28 bytes)", failure(p));
  }

  @Test
  void directory() {
    assertEquals(dir + ": is a directory", failure(dir.toString()));
  }

  @Test
  void invalidPath() {
    assertEquals("a\0b: not a valid path (Nul character not allowed)", failure("a\0b"));
  }

  @Test
  void missingFile() {
    String p = dir.resolve("nope.pcap").toString();
    assertEquals(p + ": no such file", failure(p));
  }

  @Test
  void gzipIsDetectedByContentNotName() throws IOException {
    String p = write("looks-plain.pcap", gzip(PCAP));
    Read.Result r = Read.run(CaptureFiles.open(p));
    assertEquals(new CaptureStats(2, 9, 0, 0, 0, 0), r.stats());
    assertEquals(new Read.Pkt(1, 1_000_002_000L, data(3, 7), 3), r.get(0));
  }

  @Test
  void gzipCutShortEndsWithATruncatedRecord() throws IOException {
    byte[] noise = new byte[60_000]; // incompressible, so half the .gz is half the record
    new Random(1).nextBytes(noise);
    byte[] big =
        Bin.le()
            .pcapHeader(0xA1B2C3D4L, 65535, 1)
            .pcapRecord(1, 0, 2, 2, data(2, 0))
            .pcapRecord(2, 0, noise.length, noise.length, noise)
            .build();
    byte[] gz = gzip(big);
    String p = write("cut.pcap.gz", Arrays.copyOf(gz, gz.length / 2));
    Read.Result r = Read.run(CaptureFiles.open(p));
    assertEquals(new CaptureStats(1, 2, 1, 0, 0, 0), r.stats());
  }

  @Test
  void gzipOfSomethingElse() throws IOException {
    String p = write("x.gz", gzip("hello world".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(
        p + ": not a pcap or pcapng file (magic 0x68656c6c) (after gzip decompression)",
        failure(p));
  }

  @Test
  void dashReadsStandardInputGzipToo() throws IOException {
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream(gzip(PCAP)));
      CaptureFile stdin = CaptureFiles.open("-");
      assertEquals("-", stdin.name());
      Read.Result r = Read.run(stdin);
      assertEquals(2, r.stats().packets());
      System.setIn(new ByteArrayInputStream(new byte[0]));
      assertEquals("-: empty file (no capture header)", failure("-"));
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void gzipStreamReadThroughSmallArrayMatchesPlain() throws IOException {
    Read.Result plain = Read.all(dir, "plain.pcap", PCAP);
    Read.Result viaGzip =
        Read.run(CaptureFiles.open("g", new ByteArrayInputStream(gzip(PCAP)), true, 16));
    assertEquals(plain.packets(), viaGzip.packets());
    assertTrue(viaGzip.problem() == null);
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(b);
    }
    return out.toByteArray();
  }
}
