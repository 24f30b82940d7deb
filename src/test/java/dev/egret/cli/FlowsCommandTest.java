package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.testutil.SharedPcaps;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowsCommandTest {
  private static final String HEADER =
      "start,end,proto,initiator,initiator_port,responder,responder_port,state,initiator_rule,"
          + "orig_packets,orig_bytes,resp_packets,resp_bytes";
  private static final String WIKIPEDIA = "real/zeek/wikipedia.pcap";

  @TempDir Path dir;

  /** A run's outcome. */
  record Run(int exit, String out, String err) {
    String[] errLines() {
      return err.split("\n");
    }
  }

  private static Run egret(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Egret.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(exit, out.toString(), err.toString());
  }

  /** Exit 2, one line on stderr, the file named in it, and nothing on stdout. */
  private static void assertOneLineError(Run r, String file, String what) {
    assertEquals(ExitCodes.USAGE, r.exit(), r.err());
    assertEquals(1, r.errLines().length, "one line:\n" + r.err());
    assertEquals("egret: " + file + ": " + what, r.errLines()[0]);
    assertEquals("", r.out());
  }

  @Test
  void missingFile() {
    String f = dir.resolve("nope.pcap").toString();
    assertOneLineError(egret("flows", f), f, "no such file");
  }

  @Test
  void directory() {
    assertOneLineError(
        egret("flows", dir.toString()),
        dir.toString(),
        "is a directory without Zeek logs egret reads (conn, dns, ssl, http, quic)");
  }

  @Test
  void textFile() throws IOException {
    Path f = dir.resolve("notes.txt");
    Files.writeString(f, "<html>not a capture</html>\n");
    assertOneLineError(
        egret("flows", f.toString()), f.toString(), "not a pcap or pcapng file (magic 0x3c68746d)");
  }

  @Test
  void emptyFile() throws IOException {
    Path f = Files.createFile(dir.resolve("empty.pcap"));
    assertOneLineError(
        egret("flows", f.toString()), f.toString(), "empty file (no capture header)");
  }

  @Test
  void fileHeaderCutShort() throws IOException {
    Path f = dir.resolve("short.pcap");
    Files.write(f, Arrays.copyOf(wikipedia(), 10)); // 10 of the 24 header bytes
    Run r = egret("flows", f.toString());
    assertEquals(ExitCodes.USAGE, r.exit(), r.err());
    assertEquals(1, r.errLines().length, r.err());
    assertTrue(r.errLines()[0].startsWith("egret: " + f + ": "), r.err());
  }

  @Test
  void truncatedLastRecordWarnsAndKeepsTheCompletePackets() throws IOException {
    byte[] pcap = wikipedia();
    int last = lastRecordOffset(pcap);
    Path complete = dir.resolve("complete.pcap");
    Files.write(complete, Arrays.copyOf(pcap, last)); // every record but the last
    Path cut = dir.resolve("cut.pcap");
    Files.write(cut, Arrays.copyOf(pcap, pcap.length - 10)); // last record short by 10 bytes

    Run whole = egret("flows", complete.toString());
    Run r = egret("flows", cut.toString());

    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertEquals(whole.out(), r.out(), "the rows of the complete packets");
    assertTrue(r.out().split("\n").length > 30, r.out());
    assertEquals(
        "egret: warning: "
            + cut
            + ": file ends inside a packet record; read the 135 complete packets before it",
        r.errLines()[0]);
    assertFalse(whole.err().contains("warning"), whole.err());
  }

  @Test
  void helpListsExitCodes() {
    Run r = egret("flows", "--help");
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.out().contains("Exit codes:"), r.out());
    assertTrue(r.out().contains("  0   success"), r.out());
    assertTrue(r.out().contains("  2   usage error or unreadable input"), r.out());
    Run root = egret("--help");
    assertEquals(ExitCodes.OK, root.exit());
    assertTrue(root.out().contains("  1   failure"), root.out());
  }

  @Test
  void unknownOptionIsUsageError() {
    Run r = egret("flows", "--bogus", "x.pcap");
    assertEquals(ExitCodes.USAGE, r.exit());
    assertEquals("egret: Unknown option: '--bogus'", r.errLines()[0]);
    assertEquals("Try 'egret flows --help' for usage.", r.errLines()[1]);
    assertEquals("", r.out());
  }

  @Test
  void maxFlowsOutOfRangeIsUsageError() {
    for (String n : new String[] {"15", "50000001"}) {
      Run r = egret("flows", "--max-flows", n, "x.pcap");
      assertEquals(ExitCodes.USAGE, r.exit(), r.err());
      assertEquals(1, r.errLines().length, r.err());
      assertTrue(r.errLines()[0].startsWith("egret: --max-flows: " + n + " is too"), r.err());
    }
  }

  @Test
  void noFileIsUsageError() {
    Run r = egret("flows");
    assertEquals(ExitCodes.USAGE, r.exit());
    assertTrue(r.errLines()[0].contains("FILE"), r.err());
  }

  @Test
  void csvHeaderAndLineEndings() {
    Run r = egret("flows", SharedPcaps.file(WIKIPEDIA).toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertTrue(r.out().startsWith(HEADER + "\n"), r.out());
    assertEquals(String.join(",", FlowsCommand.HEADER), HEADER);
    assertFalse(r.out().contains("\r"), "lines end with \\n only");
    assertTrue(r.out().endsWith("\n"));
    String[] lines = r.out().split("\n");
    assertEquals(1 + 34, lines.length, "header and Zeek's 34 connections");
    for (String line : lines) {
      assertEquals(13, line.split(",", -1).length, line);
    }
    assertTrue(
        r.out()
            .contains(
                "2011-03-18T19:06:08.724007Z,2011-03-18T19:06:08.843912Z,tcp,141.142.220.118,"
                    + "48649,208.80.152.118,80,established,syn,4,741,3,396\n"),
        r.out());
    assertTrue(r.err().contains("136 packets in 1 file, 126 decoded"), r.err());
  }

  @Test
  void stdinIsRead() throws IOException {
    Run file = egret("flows", SharedPcaps.file(WIKIPEDIA).toString());
    InputStream saved = System.in;
    Run r;
    try {
      System.setIn(new ByteArrayInputStream(wikipedia()));
      r = egret("flows", "-");
    } finally {
      System.setIn(saved);
    }
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertEquals(file.out(), r.out());
  }

  @Test
  void gzipInput() throws IOException {
    Path gz = dir.resolve("wikipedia.pcap.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(wikipedia());
    }
    Run file = egret("flows", SharedPcaps.file(WIKIPEDIA).toString());
    Run r = egret("flows", gz.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertEquals(file.out(), r.out());
  }

  @Test
  void outputFileIsWritten() throws IOException {
    Path csv = dir.resolve("flows.csv");
    Run stdout = egret("flows", SharedPcaps.file(WIKIPEDIA).toString());
    Run r = egret("flows", SharedPcaps.file(WIKIPEDIA).toString(), "-o", csv.toString());
    assertEquals(ExitCodes.OK, r.exit(), r.err());
    assertEquals("", r.out());
    assertEquals(stdout.out(), Files.readString(csv, StandardCharsets.UTF_8));
    assertTrue(r.err().contains("34 flows"), r.err());
  }

  @Test
  void oneBadFileAmongGoodOnesFailsBeforeAnyOutput() {
    String missing = dir.resolve("missing.pcap").toString();
    Run r = egret("flows", SharedPcaps.file(WIKIPEDIA).toString(), missing);
    assertOneLineError(r, missing, "no such file");
  }

  private static byte[] wikipedia() throws IOException {
    return Files.readAllBytes(SharedPcaps.file(WIKIPEDIA));
  }

  /** Offset of the last record of a little-endian classic pcap (24-byte file header). */
  private static int lastRecordOffset(byte[] pcap) {
    ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0xa1b2c3d4, b.getInt(0), "little-endian microsecond pcap");
    int off = 24;
    int last = -1;
    while (off + 16 <= pcap.length) {
      last = off;
      off += 16 + b.getInt(off + 8); // incl_len
    }
    assertEquals(pcap.length, off, "records fill the file");
    return last;
  }
}
