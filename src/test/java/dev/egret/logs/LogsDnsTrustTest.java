package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.cli.Egret;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} on Zeek and EVE logs believes a DNS answer only from a server the policy lets hosts
 * ask, as it does on packets (cli.DnsTrustTest, the same traffic as a capture): the site resolver
 * says api.example.test moved to 192.0.2.50 and the host connects there, which the name rule
 * allows; the host's own DNS server says the same name is 198.51.100.200, the attacker's address,
 * and that connection is blocked, as is the DNS to the rogue server itself.
 */
class LogsDnsTrustTest {
  static final String POLICY = "src/test/resources/policies/names.yaml";
  static final String EXPECTED =
      "host,destination,protocol,port,flows,first_seen,names,uid\n"
          + "10.0.0.5,198.51.100.200,tcp,443,1,2023-11-14T22:13:24Z,api.example.test,\n"
          + "10.0.0.5,203.0.113.66,udp,53,1,2023-11-14T22:13:23Z,,\n";

  @TempDir Path dir;

  private static String conn(String ts, int port, String server, int serverPort, String proto) {
    String history = proto.equals("tcp") ? "ShAD" : "Dd";
    return ZeekLines.row(
        "C" + port,
        ts,
        "10.0.0.5",
        String.valueOf(port),
        server,
        String.valueOf(serverPort),
        proto,
        "-",
        "0.001",
        "SF",
        history,
        "2",
        "100",
        "1",
        "100",
        "-");
  }

  private static final String DNS_FIELDS =
      "#separator \\x09\n#set_separator\t,\n#path\tdns\n"
          + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery"
          + "\tqtype\trcode\tanswers\tTTLs\n";

  private static String dns(String ts, int port, String server, String answer) {
    return ZeekLines.row(
        ts,
        "D" + port,
        "10.0.0.5",
        String.valueOf(port),
        server,
        "53",
        "udp",
        "api.example.test",
        "1",
        "0",
        answer,
        "300.000000");
  }

  @Test
  void zeekLogsAnswerFromARogueServerExplainsNothing() throws IOException {
    Path connLog =
        Files.writeString(
            dir.resolve("conn.log"),
            ZeekLines.HEADER
                + ZeekLines.FIELDS
                + conn("1700000000.000000", 40000, "10.0.0.53", 53, "udp")
                + conn("1700000002.000000", 40001, "192.0.2.50", 443, "tcp")
                + conn("1700000003.000000", 40002, "203.0.113.66", 53, "udp")
                + conn("1700000004.000000", 40003, "198.51.100.200", 443, "tcp"));
    Path dnsLog =
        Files.writeString(
            dir.resolve("dns.log"),
            DNS_FIELDS
                + dns("1700000000.000000", 40000, "10.0.0.53", "192.0.2.50")
                + dns("1700000003.000000", 40002, "203.0.113.66", "198.51.100.200"));
    assertEquals(EXPECTED, check(connLog, dnsLog));
  }

  private static String eveDns(String ts, int port, String server, String answer) {
    // Suricata 7 (DNS version 2) logs a response with the client as src, as egret's reader says.
    return "{\"timestamp\":\""
        + ts
        + "\",\"event_type\":\"dns\",\"src_ip\":\"10.0.0.5\",\"src_port\":"
        + port
        + ",\"dest_ip\":\""
        + server
        + "\",\"dest_port\":53,\"proto\":\"UDP\",\"dns\":{\"version\":2,\"type\":\"answer\","
        + "\"rrname\":\"api.example.test\",\"rrtype\":\"A\",\"rcode\":\"NOERROR\","
        + "\"answers\":[{\"rrname\":\"api.example.test\",\"rrtype\":\"A\",\"ttl\":300,"
        + "\"rdata\":\""
        + answer
        + "\"}]}}\n";
  }

  private static String eveFlow(String ts, int port, String server, int serverPort, String proto) {
    return "{\"timestamp\":\""
        + ts
        + "\",\"event_type\":\"flow\",\"src_ip\":\"10.0.0.5\",\"src_port\":"
        + port
        + ",\"dest_ip\":\""
        + server
        + "\",\"dest_port\":"
        + serverPort
        + ",\"proto\":\""
        + proto
        + "\",\"flow\":{\"pkts_toserver\":2,\"pkts_toclient\":1,\"bytes_toserver\":100,"
        + "\"bytes_toclient\":100,\"start\":\""
        + ts
        + "\",\"end\":\""
        + ts
        + "\",\"state\":\"established\"}}\n";
  }

  @Test
  void eveAnswerFromARogueServerExplainsNothing() throws IOException {
    String t0 = "2023-11-14T22:13:20.000000+0000";
    String t2 = "2023-11-14T22:13:22.000000+0000";
    String t3 = "2023-11-14T22:13:23.000000+0000";
    String t4 = "2023-11-14T22:13:24.000000+0000";
    Path eve =
        Files.writeString(
            dir.resolve("eve.json"),
            eveDns(t0, 40000, "10.0.0.53", "192.0.2.50")
                + eveFlow(t0, 40000, "10.0.0.53", 53, "UDP")
                + eveFlow(t2, 40001, "192.0.2.50", 443, "TCP")
                + eveDns(t3, 40002, "203.0.113.66", "198.51.100.200")
                + eveFlow(t3, 40002, "203.0.113.66", 53, "UDP")
                + eveFlow(t4, 40003, "198.51.100.200", 443, "TCP"));
    assertEquals(EXPECTED, check(eve));
  }

  private static String check(Path... logs) {
    String[] args = new String[4 + logs.length];
    args[0] = "check";
    args[1] = "--policy";
    args[2] = POLICY;
    args[3] = "--csv";
    for (int i = 0; i < logs.length; i++) {
      args[4 + i] = logs[i].toString();
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Egret.run(args, new PrintWriter(out), new PrintWriter(err));
    assertEquals(1, rc, err.toString());
    return out.toString().replaceAll("\\.\\d+Z", "Z");
  }
}
