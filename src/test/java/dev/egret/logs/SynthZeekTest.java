package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Entry;
import dev.egret.cli.Egret;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code egret synth --zeek} writes the same traffic as a pcap and as a Zeek conn.log: learning
 * either gives the same entries, counts included (the round trip of {@link ZeekConnWriter} and
 * {@link ZeekConn}).
 */
class SynthZeekTest {
  @TempDir Path dir;

  private int run(String... args) {
    StringWriter err = new StringWriter();
    int rc = Egret.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertEquals(0, rc, err.toString());
    return rc;
  }

  @Test
  void theCaptureAndItsConnLogTeachTheSameBaseline() throws IOException {
    Path pcap = dir.resolve("s.pcap");
    Path conn = dir.resolve("s.conn.log");
    run("synth", "-o", pcap.toString(), "--packets", "20000", "--zeek", conn.toString());
    assertTrue(Files.readString(conn).startsWith(ZeekConnWriter.HEADER));
    String internal = "10.1.0.0/16,fd00:1::/48";
    run("learn", pcap.toString(), "-b", dir.resolve("p.json").toString(), "--internal", internal);
    run("learn", conn.toString(), "-b", dir.resolve("z.json").toString(), "--internal", internal);
    List<String> fromPackets = entries(BaselineJson.read(dir.resolve("p.json")));
    List<String> fromLog = entries(BaselineJson.read(dir.resolve("z.json")));
    assertTrue(fromPackets.size() > 50, fromPackets.size() + " entries");
    assertEquals(fromPackets, fromLog);
  }

  private static List<String> entries(Baseline b) {
    return b.entries().stream()
        .map(
            (Entry e) ->
                String.join(
                    " ",
                    e.host(),
                    e.destination(),
                    e.protocol(),
                    String.valueOf(e.port()),
                    String.valueOf(e.flows()),
                    String.valueOf(e.answered()),
                    String.valueOf(e.unanswered()),
                    String.valueOf(e.rejected()),
                    String.valueOf(e.packetsOut()),
                    String.valueOf(e.bytesOut()),
                    String.valueOf(e.packetsIn()),
                    String.valueOf(e.bytesIn())))
        .toList();
  }
}
