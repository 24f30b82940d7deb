package dev.egret.logs;

import static dev.egret.logs.ZeekLines.FIELDS;
import static dev.egret.logs.ZeekLines.HEADER;
import static dev.egret.logs.ZeekLines.REJ;
import static dev.egret.logs.ZeekLines.SF;
import static dev.egret.logs.ZeekLines.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zeek conn/dns/ssl/http logs, TSV and JSON, plain and gzip, good and bad, into flows and names.
 */
class ZeekLogsTest {
  @TempDir Path dir;

  private final Recorder recorder = new Recorder();

  static final String S0 =
      row(
          "C3",
          "1700000002.000000",
          "10.0.0.1",
          "40002",
          "198.51.100.9",
          "25",
          "tcp",
          "-",
          "-",
          "S0",
          "S",
          "3",
          "180",
          "0",
          "0",
          "-");
  static final String FLIPPED =
      row(
          "C4",
          "1700000003.000000",
          "fd00::1",
          "51000",
          "2001:db8::80",
          "80",
          "tcp",
          "-",
          "2.0",
          "OTH",
          "^dA",
          "4",
          "400",
          "5",
          "5000",
          "-");
  static final String TUNNELLED =
      row(
          "C5",
          "1700000004.000000",
          "10.0.0.1",
          "40003",
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
          "C9");
  static final String UNREACHABLE =
      row(
          "C6",
          "1700000005.000000",
          "10.0.0.254",
          "3",
          "10.0.0.1",
          "3",
          "icmp",
          "-",
          "-",
          "OTH",
          "-",
          "1",
          "88",
          "0",
          "0",
          "-");

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private LogStats read(Path f) throws IOException {
    return new LogFiles(recorder, recorder).read(f, LogFiles.sniff(f));
  }

  @Test
  void connRowsMapToFlowsByColumnName() throws IOException {
    Path f = write("conn.log", HEADER + FIELDS + SF + REJ + S0 + FLIPPED + TUNNELLED + UNREACHABLE);
    assertEquals(LogFormat.ZEEK, LogFiles.sniff(f));
    LogStats s = read(f);
    assertEquals(
        List.of(
            "tcp 10.0.0.1:40000 > 93.184.216.34:443 closed syn 10/800 8/6000",
            "tcp 10.0.0.1:40001 > 93.184.216.34:8443 rejected syn 1/60 1/40",
            "tcp 10.0.0.1:40002 > 198.51.100.9:25 attempted syn 3/180 0/0",
            "tcp fd00::1:51000 > 2001:db8::80:80 established ports 4/400 5/5000"),
        recorder.flowLines());
    assertEquals(1_700_000_000_250_000_000L, recorder.flows.get(0).startNanos());
    assertEquals(1_700_000_001_750_000_000L, recorder.flows.get(0).endNanos());
    assertEquals(Map.of("tunnelled", 1L, "icmp-error", 1L), s.skipped());
    assertNull(s.warning());
  }

  /** A UDP row Zeek turned round ({@code ^d}: only its responder sent) {@code seconds} in. */
  private static String flippedUdp(String uid, int seconds, String outside, int outPort, int port) {
    return row(
        uid,
        (1_700_000_000 + seconds) + ".000000",
        outside,
        String.valueOf(outPort),
        "10.0.0.1",
        String.valueOf(port),
        "udp",
        "-",
        "-",
        "SHR",
        "^d",
        "0",
        "0",
        "1",
        "120",
        "-");
  }

  @Test
  void aFlippedDatagramThatAnswersNothingHeardIsItsSendersEgress() throws IOException {
    // As from packets (FlowTracker): within the UDP timeout of the log's start, a datagram from a
    // service port may answer a request before the log; later, it answers nothing the log holds,
    // so the host sending from port 53 or 123 started it. A DHCP offer (to port 68) stays a reply.
    Path f =
        write(
            "conn.log",
            HEADER
                + FIELDS
                + SF
                + flippedUdp("U1", 30, "198.51.100.7", 40000, 53)
                + flippedUdp("U2", 120, "203.0.113.53", 41234, 53)
                + flippedUdp("U3", 130, "203.0.113.53", 41234, 123)
                + flippedUdp("U4", 140, "10.0.0.99", 68, 67));
    read(f);
    assertEquals(
        List.of(
            "tcp 10.0.0.1:40000 > 93.184.216.34:443 closed syn 10/800 8/6000",
            "udp 198.51.100.7:40000 > 10.0.0.1:53 established ports 0/0 1/120",
            "udp 10.0.0.1:53 > 203.0.113.53:41234 attempted first_packet 1/120 0/0",
            "udp 10.0.0.1:123 > 203.0.113.53:41234 attempted first_packet 1/120 0/0",
            "udp 10.0.0.99:68 > 10.0.0.1:67 established ports 0/0 1/120"),
        recorder.flowLines());
  }

  @Test
  void aRowBeforeAnyFieldsLineIsMalformedAndTheRestIsRead() throws IOException {
    Path f = write("conn.log", HEADER + SF + FIELDS + S0);
    LogStats s = read(f);
    assertEquals(1, recorder.flows.size());
    assertEquals(f + ":6: row before any #fields header; line skipped", s.warning());
  }

  @Test
  void aFieldOfTheWrongTypeNamesFileLineAndColumn() throws IOException {
    String bad = SF.replace("\t10\t800\t", "\tten\t800\t");
    Path f = write("conn.log", HEADER + FIELDS + bad + S0 + bad.replace("10.0.0.1", "10.0.0.300"));
    LogStats s = read(f);
    assertEquals(1, recorder.flows.size());
    assertEquals(
        f + ":7: orig_pkts is not a count: \"ten\"; 2 malformed lines skipped (first shown)",
        s.warning());
  }

  @Test
  void rowsWithTooFewOrTooManyFieldsAreMalformedWithTheirCount() throws IOException {
    String few = SF.substring(0, SF.lastIndexOf('\t')) + "\n"; // 15 fields of 16
    String more = SF.replace("\n", "\tx\ty\n"); // 18
    String many = SF.replace("\n", "\tx".repeat(80) + "\n"); // 96: counted up to 65
    Path f = write("conn.log", HEADER + FIELDS + few + more + S0 + many);
    LogStats s = read(f);
    assertEquals(1, recorder.flows.size());
    assertEquals(
        f + ":7: row has 15 fields, #fields names 16; 3 malformed lines skipped (first shown)",
        s.warning());
    Path g = write("more.log", HEADER + FIELDS + more);
    assertEquals(g + ":7: row has 18 fields, #fields names 16; line skipped", read(g).warning());
    Path h = write("many.log", HEADER + FIELDS + many);
    assertEquals(h + ":7: row has 65 fields, #fields names 16; line skipped", read(h).warning());
  }

  @Test
  void timesPastTheYear2262AreMalformedNotWrappedAround() throws IOException {
    String late = SF.replace("1700000000.250000", "9223372036.854775808");
    String huge = SF.replace("1700000000.250000", "99999999999.5");
    String long_ = SF.replace("\t1.5\t", "\t9223372036.0\t");
    String last =
        SF.replace("1700000000.250000", "9223372036.854775807").replace("\t1.5\t", "\t0\t");
    String early =
        SF.replace("1700000000.250000", "-9000000000.0").replace("\t1.5\t", "\t9000000000.0\t");
    Path f = write("conn.log", HEADER + FIELDS + late + huge + long_ + S0 + last + early);
    LogStats s = read(f);
    assertEquals(3, recorder.flows.size());
    assertEquals(Long.MAX_VALUE, recorder.flows.get(1).startNanos());
    assertEquals(0, recorder.flows.get(2).endNanos()); // before 1970, and a long one: no overflow
    assertEquals(
        f
            + ":7: ts is not a time: \"9223372036.854775808\"; 3 malformed lines skipped (first shown)",
        s.warning());
    String json =
        "{\"ts\":9223372035.5,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":40000,"
            + "\"id.resp_h\":\"93.184.216.34\",\"id.resp_p\":443,\"proto\":\"tcp\","
            + "\"duration\":2.5,\"orig_pkts\":1,\"resp_pkts\":0}\n";
    Path j = write("conn.json", json);
    recorder.flows.clear();
    LogStats js = read(j);
    assertEquals(0, recorder.flows.size());
    assertEquals(
        j + ":1: duration is not an interval that ends by the year 2262; line skipped",
        js.warning());
  }

  @Test
  void aTruncatedGzipYieldsTheRowsBeforeTheCut() throws IOException {
    StringBuilder text = new StringBuilder(HEADER + FIELDS);
    for (int i = 0; i < 2000; i++) {
      text.append(SF.replace("40000", String.valueOf(10000 + i)));
    }
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = gz.toByteArray();
    Path f = dir.resolve("conn.log.gz");
    Files.write(f, Arrays.copyOf(whole, whole.length / 2));
    assertEquals(LogFormat.ZEEK, LogFiles.sniff(f));
    LogStats s = read(f);
    long read = recorder.flows.size();
    assertEquals(true, read > 100 && read < 2000, read + " rows");
    assertEquals(
        f + ": gzip stream ends early (file truncated?); read " + (read + 6) + " lines before it",
        s.warning());
  }

  @Test
  void jsonRowsReadLikeTsvAndANonObjectLineIsMalformed() throws IOException {
    String conn =
        "{\"ts\":1700000000.25,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":40000,"
            + "\"id.resp_h\":\"93.184.216.34\",\"id.resp_p\":443,\"proto\":\"tcp\",\"duration\":1.5,"
            + "\"conn_state\":\"SF\",\"history\":\"ShADadFf\",\"orig_pkts\":10,\"orig_ip_bytes\":800,"
            + "\"resp_pkts\":8,\"resp_ip_bytes\":6000}";
    Path f =
        write(
            "conn.json",
            conn
                + "\n\"just a string\"\n"
                + conn.replace("SF", "S0").replace("\"resp_pkts\":8", "\"resp_pkts\":\"8\"")
                + "\n");
    LogStats s = read(f);
    assertEquals(
        List.of("tcp 10.0.0.1:40000 > 93.184.216.34:443 closed syn 10/800 8/6000"),
        recorder.flowLines());
    assertEquals(1_700_000_001_750_000_000L, recorder.flows.get(0).endNanos());
    assertEquals(f + ":2: not a JSON object; 2 malformed lines skipped (first shown)", s.warning());
  }

  @Test
  void dnsSslAndHttpRowsGiveNamesAndTunnelledConnectionsNone() throws IOException {
    Path conn = write("conn.log", HEADER + FIELDS + TUNNELLED);
    Path dns =
        write(
            "dns.log",
            HEADER.replace("conn", "dns")
                + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery"
                + "\tqtype\trcode\trcode_name\tanswers\tTTLs\n"
                + row(
                    "1700000000.1",
                    "D1",
                    "10.0.0.1",
                    "5000",
                    "10.0.0.53",
                    "53",
                    "udp",
                    "WWW.Example.COM.",
                    "1",
                    "0",
                    "NOERROR",
                    "cdn.example.net,192.0.2.7,2001:db8::7",
                    "300.000000,60.000000,60.000000")
                + row(
                    "1700000000.2",
                    "D2",
                    "10.0.0.1",
                    "5001",
                    "10.0.0.53",
                    "53",
                    "udp",
                    "nx\\x0aexample.org",
                    "1",
                    "3",
                    "NXDOMAIN",
                    "-",
                    "-")
                + row(
                    "1700000000.3",
                    "D3",
                    "10.0.0.1",
                    "5353",
                    "224.0.0.251",
                    "5353",
                    "udp",
                    "printer.local",
                    "-",
                    "0",
                    "NOERROR",
                    "10.0.0.9",
                    "120.000000")
                + row(
                    "1700000000.4",
                    "C5",
                    "10.0.0.1",
                    "5002",
                    "10.0.0.53",
                    "53",
                    "udp",
                    "inside.tunnel",
                    "1",
                    "0",
                    "NOERROR",
                    "192.0.2.99",
                    "60.000000"));
    Path ssl =
        write(
            "ssl.log",
            HEADER.replace("conn", "ssl")
                + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tserver_name\n"
                + row(
                    "1700000001",
                    "S1",
                    "10.0.0.1",
                    "40000",
                    "192.0.2.7",
                    "443",
                    "api.example.com"));
    Path http =
        write(
            "http.log",
            HEADER.replace("conn", "http")
                + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\thost\n"
                + row(
                    "1700000002",
                    "H1",
                    "10.0.0.1",
                    "40010",
                    "192.0.2.8",
                    "80",
                    "1",
                    "Example.org:8080")
                + row(
                    "1700000003",
                    "H1",
                    "10.0.0.1",
                    "40010",
                    "192.0.2.8",
                    "80",
                    "2",
                    "other.example"));
    LogFiles session = new LogFiles(recorder, recorder);
    for (Path f : List.of(conn, dns, ssl, http)) {
      assertNull(session.read(f, LogFormat.ZEEK).warning());
    }
    assertEquals(
        List.of(
            "question 10.0.0.1 www.example.com qtype 1 rcode 0",
            "answer 10.0.0.1 www.example.com 192.0.2.7 ttl 60",
            "answer 10.0.0.1 www.example.com 2001:db8::7 ttl 60",
            "question 10.0.0.1 nx\\010example.org qtype 1 rcode 3",
            "sni 10.0.0.1 192.0.2.7 api.example.com",
            "http-host 10.0.0.1 192.0.2.8 example.org"),
        recorder.names);
  }

  @Test
  void aLoggerDirectoryIsReadInTimeOrderWithoutCurrent() throws IOException {
    Files.createDirectories(dir.resolve("logs/2026-11-28"));
    Files.createDirectories(dir.resolve("logs/current"));
    write("logs/2026-11-28/conn.01:00:00-02:00:00.log", HEADER + FIELDS + S0);
    write("logs/2026-11-28/conn.00:00:00-01:00:00.log", HEADER + FIELDS + SF);
    write("logs/2026-11-28/weird.00:00:00-01:00:00.log", HEADER + FIELDS + SF);
    write("logs/current/conn.log", HEADER + FIELDS + REJ);
    assertEquals(
        List.of(
            dir.resolve("logs/2026-11-28/conn.00:00:00-01:00:00.log"),
            dir.resolve("logs/2026-11-28/conn.01:00:00-02:00:00.log")),
        LogFiles.zeekDirectory(dir.resolve("logs")));
  }
}
