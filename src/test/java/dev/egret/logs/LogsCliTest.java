package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.SourceRecord;
import dev.egret.cli.Egret;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** learn, check and flows with Zeek and EVE inputs, through the command line. */
class LogsCliTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Egret.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  private static final String EVE =
      "{\"timestamp\":\"2024-01-01T00:00:00.000000+0000\",\"event_type\":\"flow\","
          + "\"host\":\"edge-1\",\"src_ip\":\"10.0.0.5\",\"src_port\":41000,"
          + "\"dest_ip\":\"203.0.113.7\",\"dest_port\":443,\"proto\":\"TCP\",\"flow\":"
          + "{\"pkts_toserver\":5,\"pkts_toclient\":4,\"bytes_toserver\":500,"
          + "\"bytes_toclient\":4000,\"start\":\"2024-01-01T00:00:00.000000+0000\","
          + "\"end\":\"2024-01-01T00:00:01.000000+0000\",\"state\":\"closed\"},"
          + "\"tcp\":{\"tcp_flags_ts\":\"1b\",\"tcp_flags_tc\":\"1b\"}}\n";

  @Test
  void learnRecordsKindAndSensorAndRefusesTheSameLogTwice() throws IOException {
    Path eve = Files.writeString(dir.resolve("eve.json"), EVE);
    Path conn =
        Files.writeString(
            dir.resolve("conn.log"),
            ZeekLines.HEADER + ZeekLines.FIELDS + ZeekLines.SF + ZeekLines.REJ);
    Path b = dir.resolve("b.json");
    assertEquals(
        0,
        run(
            "learn",
            eve.toString(),
            conn.toString(),
            "-b",
            b.toString(),
            "--internal",
            "10.0.0.0/8",
            "--sensor",
            "zeek-1"),
        err.toString());
    Baseline baseline = BaselineJson.read(b);
    List<String> sources =
        baseline.sources().stream()
            .map(s -> s.kind() + " " + s.name() + " " + s.sensor() + " " + s.packets())
            .sorted()
            .toList();
    assertEquals(List.of("eve eve.json edge-1 9", "zeek conn.log zeek-1 20"), sources);
    assertEquals(3, baseline.entries().size());
    assertTrue(baseline.sources().stream().allMatch(s -> s.fingerprint().length() == 64));
    assertEquals(2, run("learn", eve.toString(), "-b", b.toString(), "--internal", "10.0.0.0/8"));
    assertTrue(
        err.toString()
            .contains(
                "egret: "
                    + eve
                    + ": already in "
                    + b
                    + " (absorbed as eve.json); not counted twice"),
        err.toString());
    SourceRecord any = baseline.sources().get(0);
    assertEquals(any, BaselineJson.parse(BaselineJson.toBytes(baseline), "x").sources().get(0));
  }

  @Test
  void aBaselineOfSchema11WithoutSensorsIsReadAndLearnedIntoAs13() throws IOException {
    Path conn =
        Files.writeString(
            dir.resolve("conn.log"), ZeekLines.HEADER + ZeekLines.FIELDS + ZeekLines.SF);
    Path b = dir.resolve("b.json");
    assertEquals(0, run("learn", conn.toString(), "-b", b.toString()), err.toString());
    String text = plain(b);
    assertTrue(
        text.replaceAll("\\s", "").startsWith("{\"schemaVersion\":\"" + Baseline.SCHEMA + "\""),
        text);
    assertTrue(!text.contains("\"sensor\""), text);
    Files.writeString(b, text.replace("\"" + Baseline.SCHEMA + "\"", "\"1.1\""));
    assertEquals("1.1", BaselineJson.read(b).schemaVersion());

    Path eve = Files.writeString(dir.resolve("eve.json"), EVE);
    assertEquals(0, run("learn", eve.toString(), "-b", b.toString()), err.toString());
    Baseline after = BaselineJson.read(b);
    assertEquals("1.3", Baseline.SCHEMA);
    assertEquals(Baseline.SCHEMA, after.schemaVersion());
    assertEquals(
        List.of("eve eve.json edge-1", "zeek conn.log "),
        after.sources().stream().map(s -> s.kind() + " " + s.name() + " " + s.sensor()).toList());
  }

  @Test
  void aLoggerDirectoryIsReadRotationByRotationSoTunnelledNamesJoinInAWindow() throws IOException {
    Path day = Files.createDirectories(dir.resolve("logs/2023-11-14"));
    for (int h = 0; h < 4; h++) {
      String hours = String.format("%02d:00:00-%02d:00:00", h, h + 1);
      String ts = (1_700_000_000L + h * 3600 + 600) + ".000000";
      Files.writeString(
          day.resolve("conn." + hours + ".log"),
          ZeekLines.HEADER
              + ZeekLines.FIELDS
              + ZeekLines.row(
                  "T" + h,
                  ts,
                  "10.0.0.1",
                  "40000",
                  "10.9.9.9",
                  "53",
                  "udp",
                  "-",
                  "0.1",
                  "SF",
                  "Dd",
                  "1",
                  "60",
                  "1",
                  "90",
                  "CP" + h)
              + ZeekLines.row(
                  "N" + h,
                  ts,
                  "10.0.0.1",
                  "40001",
                  "10.0.0.53",
                  "53",
                  "udp",
                  "-",
                  "0.1",
                  "SF",
                  "Dd",
                  "1",
                  "60",
                  "1",
                  "90",
                  "-"));
      Files.writeString(
          day.resolve("dns." + hours + ".log"),
          "#separator \\x09\n#path\tdns\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h"
              + "\tid.resp_p\tquery\trcode\tanswers\tTTLs\n"
              + ZeekLines.row(
                  ts,
                  "T" + h,
                  "10.0.0.1",
                  "40000",
                  "10.9.9.9",
                  "53",
                  "inner" + h + ".example",
                  "0",
                  "10.9.9.10",
                  "60.0")
              + ZeekLines.row(
                  ts,
                  "N" + h,
                  "10.0.0.1",
                  "40001",
                  "10.0.0.53",
                  "53",
                  "outer" + h + ".example",
                  "0",
                  "93.184.216.34",
                  "60.0"));
    }
    Path b = dir.resolve("b.json");
    String logs = dir.resolve("logs").toString();
    assertEquals(0, run("learn", logs, "-b", b.toString()), err.toString());
    assertEquals(
        List.of("outer0.example", "outer1.example", "outer2.example", "outer3.example"),
        BaselineJson.read(b).queries().stream().map(q -> q.name()).toList());
    assertTrue(
        err.toString()
            .contains(
                "egret: joining name rows to tunnelled connections: 1 connections dropped from the"
                    + " join cache (2 h window, at most 100000 kept); 0 name rows older than the"
                    + " newest dropped were read as not tunnelled\n"),
        err.toString());

    // With --decapsulate the connections inside the tunnel are learned, with their names.
    Path d = dir.resolve("d.json");
    assertEquals(0, run("learn", logs, "-b", d.toString(), "--decapsulate"), err.toString());
    assertEquals(8, BaselineJson.read(d).queries().size());
    assertEquals(
        List.of("10.0.0.53", "10.9.9.9"),
        BaselineJson.read(d).entries().stream().map(e -> e.destination()).toList());
  }

  /** The JSON of a baseline file, which is gzip-compressed. */
  private static String plain(Path b) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(b))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void checkReadsAnEveFileAsLogsNotAsABaseline() throws IOException {
    Path eve = Files.writeString(dir.resolve("eve.json"), EVE);
    Path policy =
        Files.writeString(
            dir.resolve("policy.yaml"), "apiVersion: egret/v1\nkind: EgressPolicy\nrules: []\n");
    int rc =
        run("check", "--policy", policy.toString(), eve.toString(), "--internal", "10.0.0.0/8");
    assertEquals(1, rc, err.toString());
    assertTrue(out.toString().contains("203.0.113.7"), out.toString());
  }

  @Test
  void flowsWritesOneRowPerLoggedConnection() throws IOException {
    Path eve = Files.writeString(dir.resolve("eve.json.txt"), EVE);
    assertEquals(0, run("flows", eve.toString()), err.toString());
    assertEquals(
        List.of(
            "start,end,proto,initiator,initiator_port,responder,responder_port,state,initiator_rule,orig_packets,orig_bytes,resp_packets,resp_bytes",
            "2024-01-01T00:00:00Z,2024-01-01T00:00:01Z,tcp,10.0.0.5,41000,203.0.113.7,443,closed,syn,5,500,4,4000"),
        out.toString().lines().toList());
  }
}
