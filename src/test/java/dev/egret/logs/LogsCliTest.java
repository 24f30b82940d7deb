package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.SourceRecord;
import dev.egret.cli.Egret;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            ZeekLogsTest.HEADER + ZeekLogsTest.FIELDS + ZeekLogsTest.SF + ZeekLogsTest.REJ);
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
