package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Suricata EVE lines into flows and names. The events are real: flow lines as Suricata wrote them
 * (one from a public write-up of {@code suricata -r} on a CTF capture, one from the test suite of a
 * Rust EVE parser, both found with the code search), and the {@code dns} objects of the Suricata
 * user guide (OISF/suricata doc/userguide/output/eve/eve-json-format.rst, the "grouped" example;
 * doc/userguide/upgrade/8.0-dns-logging-changes.rst, the version 2 and version 3 responses), put
 * into an event envelope with documentation addresses.
 */
class EveReaderTest {
  @TempDir Path dir;

  private static final String FLOW_NEW_ANSWERED =
      "{\"timestamp\":\"2024-11-13T12:21:43.564905+1100\",\"flow_id\":252156359044262,"
          + "\"event_type\":\"flow\",\"src_ip\":\"172.18.0.2\",\"src_port\":52526,"
          + "\"dest_ip\":\"23.221.133.223\",\"dest_port\":443,\"proto\":\"TCP\",\"flow\":"
          + "{\"pkts_toserver\":9,\"pkts_toclient\":7,\"bytes_toserver\":1369,"
          + "\"bytes_toclient\":5372,\"start\":\"2024-11-13T12:22:00.386389+1100\","
          + "\"end\":\"2024-11-13T12:22:00.395461+1100\",\"age\":0,\"state\":\"new\","
          + "\"reason\":\"timeout\",\"alerted\":false},\"tcp\":{\"tcp_flags\":\"00\","
          + "\"tcp_flags_ts\":\"00\",\"tcp_flags_tc\":\"00\"}}";

  private static final String FLOW_CLOSED =
      "{\"timestamp\":\"1969-12-31T17:00:00.000000-0700\",\"flow_id\":1042873772049837,"
          + "\"event_type\":\"flow\",\"src_ip\":\"10.10.10.30\",\"src_port\":57656,"
          + "\"dest_ip\":\"10.10.10.10\",\"dest_port\":102,\"proto\":\"TCP\",\"flow\":"
          + "{\"pkts_toserver\":3,\"pkts_toclient\":8,\"bytes_toserver\":186,"
          + "\"bytes_toclient\":480,\"start\":\"2015-10-20T11:24:10.230829-0600\","
          + "\"end\":\"2015-10-20T11:24:46.195059-0600\",\"age\":36,\"state\":\"closed\","
          + "\"reason\":\"shutdown\",\"alerted\":false},\"tcp\":{\"tcp_flags\":\"16\","
          + "\"tcp_flags_ts\":\"16\",\"tcp_flags_tc\":\"16\",\"syn\":true,\"rst\":true,"
          + "\"ack\":true,\"state\":\"closed\"}}";

  private static final String DNS_V2 =
      "{\"timestamp\":\"2024-01-01T00:00:01.000000+0000\",\"event_type\":\"dns\","
          + "\"src_ip\":\"192.0.2.10\",\"src_port\":40000,\"dest_ip\":\"192.0.2.53\","
          + "\"dest_port\":53,\"proto\":\"UDP\",\"dns\":{\"version\":2,\"type\":\"answer\","
          + "\"id\":0,\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0,"
          + "\"rrname\":\"www.suricata.io\",\"rrtype\":\"A\",\"rcode\":\"NOERROR\",\"answers\":["
          + "{\"rrname\":\"www.suricata.io\",\"rrtype\":\"CNAME\",\"ttl\":3597,"
          + "\"rdata\":\"suricata.io\"},{\"rrname\":\"suricata.io\",\"rrtype\":\"A\","
          + "\"ttl\":597,\"rdata\":\"35.212.0.44\"}]}}";

  /** Version 3 responses come from the responder: src is the server (Suricata 8 upgrade notes). */
  private static final String DNS_V3 =
      "{\"timestamp\":\"2024-01-01T00:00:02.000000+0000\",\"event_type\":\"dns\","
          + "\"src_ip\":\"2001:db8::53\",\"src_port\":53,\"dest_ip\":\"2001:db8::10\","
          + "\"dest_port\":41000,\"proto\":\"UDP\",\"dns\":{\"version\":3,\"type\":\"response\","
          + "\"tx_id\":1,\"id\":0,\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,"
          + "\"opcode\":0,\"rcode\":\"NOERROR\",\"queries\":[{\"rrname\":\"www.suricata.io\","
          + "\"rrtype\":\"A\"}],\"answers\":[{\"rrname\":\"www.suricata.io\",\"rrtype\":\"CNAME\","
          + "\"ttl\":3597,\"rdata\":\"suricata.io\"},{\"rrname\":\"suricata.io\",\"rrtype\":\"A\","
          + "\"ttl\":597,\"rdata\":\"35.212.0.44\"}]}}";

  private static final String DNS_GROUPED =
      "{\"timestamp\":\"2024-01-01T00:00:03.000000+0000\",\"event_type\":\"dns\","
          + "\"src_ip\":\"192.0.2.10\",\"src_port\":40001,\"dest_ip\":\"192.0.2.53\","
          + "\"dest_port\":53,\"proto\":\"UDP\",\"dns\":{\"version\":2,\"type\":\"answer\","
          + "\"id\":18523,\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,"
          + "\"rrname\":\"www.suricata.io\",\"rrtype\":\"A\",\"rcode\":\"NOERROR\","
          + "\"grouped\":{\"A\":[\"192.0.78.24\",\"192.0.78.25\"],\"CNAME\":[\"suricata.io\"]}}}";

  private static final String DNS_QUERY =
      "{\"timestamp\":\"2024-11-13T12:22:00.381225+1100\",\"flow_id\":229978107844536,"
          + "\"pcap_cnt\":15,\"event_type\":\"dns\",\"src_ip\":\"172.18.0.2\",\"src_port\":41195,"
          + "\"dest_ip\":\"92.42.1.83\",\"dest_port\":53,\"proto\":\"UDP\",\"pkt_src\":\"wire/pcap\","
          + "\"dns\":{\"type\":\"query\",\"id\":4908,\"rrname\":\"bQo=.msndhfie.com\","
          + "\"rrtype\":\"TXT\",\"tx_id\":0,\"opcode\":0}}";

  private static final String TLS =
      "{\"timestamp\":\"2024-01-01T00:00:04.000000+0000\",\"event_type\":\"tls\","
          + "\"src_ip\":\"2001:db8::10\",\"src_port\":50000,\"dest_ip\":\"2001:db8::443\","
          + "\"dest_port\":443,\"proto\":\"TCP\",\"host\":\"sensor-7\",\"tls\":{\"subject\":"
          + "\"C=US, ST=California, L=Mountain View, O=Google Inc, CN=*.google.com\","
          + "\"sni\":\"calendar.google.com\",\"version\":\"TLS 1.2\"}}";

  private static final String HTTP_PORT =
      "{\"timestamp\":\"2024-01-01T00:00:05.000000+0000\",\"event_type\":\"http\",\"tx_id\":0,"
          + "\"src_ip\":\"192.0.2.10\",\"src_port\":50001,\"dest_ip\":\"192.0.2.80\","
          + "\"dest_port\":1337,\"proto\":\"TCP\",\"http\":{\"http_port\":1337,"
          + "\"hostname\":\"www.test.org\",\"url\":\"/this/is/test.tar.gz\"}}";

  private LogStats read(String... lines) throws IOException {
    Path f = dir.resolve("eve.json");
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    assertEquals(LogFormat.EVE, LogFiles.sniff(f));
    return new LogFiles(recorder, recorder).read(f, LogFormat.EVE);
  }

  private final Recorder recorder = new Recorder();

  /** A UDP flow event of one datagram from {@code src}:{@code sp}, {@code seconds} in. */
  private static String datagram(int seconds, String src, int sp, String dst, int dp) {
    String at = String.format("2024-01-01T00:%02d:%02d.000000+0000", seconds / 60, seconds % 60);
    return "{\"timestamp\":\""
        + at
        + "\",\"event_type\":\"flow\",\"src_ip\":\""
        + src
        + "\",\"src_port\":"
        + sp
        + ",\"dest_ip\":\""
        + dst
        + "\",\"dest_port\":"
        + dp
        + ",\"proto\":\"UDP\",\"flow\":{\"pkts_toserver\":1,\"pkts_toclient\":0,"
        + "\"bytes_toserver\":120,\"bytes_toclient\":0,\"start\":\""
        + at
        + "\",\"end\":\""
        + at
        + "\",\"age\":0,\"state\":\"new\",\"reason\":\"timeout\"}}";
  }

  @Test
  void aDatagramFromAServicePortThatAnswersNothingHeardIsItsSenders() throws IOException {
    // As from packets (FlowTracker): a reply within the UDP timeout of the log's start, the
    // sender's own connection later; a DHCP offer to port 68 stays a reply.
    read(
        datagram(0, "10.0.0.9", 40000, "10.0.0.53", 53),
        datagram(30, "10.0.0.53", 53, "198.51.100.7", 40000),
        datagram(120, "10.0.0.1", 53, "203.0.113.53", 41234),
        datagram(130, "10.0.0.1", 123, "203.0.113.53", 41234),
        datagram(140, "10.0.0.53", 67, "10.0.0.99", 68));
    assertEquals(
        List.of(
            "udp 10.0.0.9:40000 > 10.0.0.53:53 attempted first_packet 1/120 0/0",
            "udp 198.51.100.7:40000 > 10.0.0.53:53 established ports 0/0 1/120",
            "udp 10.0.0.1:53 > 203.0.113.53:41234 attempted first_packet 1/120 0/0",
            "udp 10.0.0.1:123 > 203.0.113.53:41234 attempted first_packet 1/120 0/0",
            "udp 10.0.0.99:68 > 10.0.0.53:67 established ports 0/0 1/120"),
        recorder.flowLines());
  }

  @Test
  void flowsKeepSuricatasClientAsInitiatorAndTellStatesApart() throws IOException {
    LogStats s = read(FLOW_NEW_ANSWERED, FLOW_CLOSED);
    assertEquals(
        List.of(
            // state "new", no flags logged, yet 7 packets came back: answered.
            "tcp 172.18.0.2:52526 > 23.221.133.223:443 established first_packet 9/1369 7/5372",
            // flags 0x16 both ways (SYN, RST, ACK): reset after the handshake.
            "tcp 10.10.10.30:57656 > 10.10.10.10:102 closed syn 3/186 8/480"),
        recorder.flowLines());
    assertEquals(1_731_460_920_386_389_000L, recorder.flows.get(0).startNanos());
    assertEquals(1_731_460_920_395_461_000L, recorder.flows.get(0).endNanos());
    assertNull(s.warning());
    assertEquals(2, s.flows());
  }

  @Test
  void dnsVersion2Version3AndGroupedGiveTheQuestionsNameForEveryAddress() throws IOException {
    LogStats s = read(DNS_V2, DNS_V3, DNS_GROUPED, DNS_QUERY);
    assertEquals(
        List.of(
            "question 192.0.2.10 www.suricata.io qtype 1 rcode 0",
            "answer 192.0.2.10 www.suricata.io 35.212.0.44 ttl 597",
            "question 2001:db8::10 www.suricata.io qtype 1 rcode 0",
            "answer 2001:db8::10 www.suricata.io 35.212.0.44 ttl 597",
            "question 192.0.2.10 www.suricata.io qtype 1 rcode 0",
            "answer 192.0.2.10 www.suricata.io 192.0.78.24 ttl 0",
            "answer 192.0.2.10 www.suricata.io 192.0.78.25 ttl 0"),
        recorder.names);
    assertEquals(Map.of("dns-request", 1L), s.skipped());
  }

  @Test
  void serverNamesFromTlsAndHttpWithoutThePortAndTheSensorFromHost() throws IOException {
    LogStats s = read(TLS, HTTP_PORT);
    assertEquals(
        List.of(
            "sni 2001:db8::10 2001:db8::443 calendar.google.com",
            "http-host 192.0.2.10 192.0.2.80 www.test.org"),
        recorder.names);
    assertEquals("sensor-7", s.sensor());
  }

  @Test
  void otherEventsAreCountedAndMalformedLinesGiveOneWarning() throws IOException {
    LogStats s =
        read(
            "{\"timestamp\":\"2024-01-01T00:00:00Z\",\"event_type\":\"stats\",\"stats\":{}}",
            "[1,2,3]",
            FLOW_CLOSED.replace("\"pkts_toserver\":3", "\"pkts_toserver\":\"three\""),
            "{\"event_type\":\"alert\",\"src_ip\":\"1.2.3.4\"}",
            "{\"event_type\":\"flow\",",
            FLOW_NEW_ANSWERED);
    assertEquals(1, s.flows());
    assertEquals(3, s.malformed());
    assertEquals(Map.of("event stats", 1L, "event alert", 1L), s.skipped());
    assertEquals(
        dir.resolve("eve.json") + ":2: not a JSON object; 3 malformed lines skipped (first shown)",
        s.warning());
  }

  @Test
  void icmpErrorsAreNotFlowsAndEchoesAreKeyedByType() throws IOException {
    String echo =
        "{\"timestamp\":\"2024-01-01T00:00:00Z\",\"event_type\":\"flow\",\"src_ip\":\"2001:db8::1\","
            + "\"dest_ip\":\"2001:db8::2\",\"proto\":\"IPv6-ICMP\",\"icmp_type\":128,"
            + "\"icmp_code\":0,\"response_icmp_type\":129,\"response_icmp_code\":0,\"flow\":"
            + "{\"pkts_toserver\":1,\"pkts_toclient\":1,\"bytes_toserver\":118,"
            + "\"bytes_toclient\":118,\"start\":\"2024-01-01T00:00:00.000000+0000\","
            + "\"end\":\"2024-01-01T00:00:00.001000+0000\",\"state\":\"established\"}}";
    String unreachable =
        echo.replace("\"icmp_type\":128", "\"icmp_type\":1")
            .replace(",\"response_icmp_type\":129", "");
    LogStats s = read(echo, unreachable);
    assertEquals(
        List.of("icmp6 2001:db8::1:128 > 2001:db8::2:129 established icmp_echo 1/118 1/118"),
        recorder.flowLines());
    assertEquals(Map.of("icmp-error", 1L), s.skipped());
  }

  /**
   * Lines Suricata 7.0.10 wrote ({@code suricata -r}, the configuration of {@link
   * EveEquivalenceTest}) from the shared captures, kept verbatim in {@code
   * logs/suricata7-eve.json}: a TCP flow picked up mid-stream (real/zeek/tcp/missing-syn.pcap), an
   * IPv6 flow and its tls event (real/suricata-verify/community-id-ipv6.pcap), a DNS version 2
   * answer as {@code answers[]} and as {@code grouped} (real/zeek/wikipedia.pcap), and two DHCP
   * replies from port 67, one broadcast and one unicast (real/zeek/dhcp/dhcp.pcap).
   */
  @Test
  void suricata7LinesFromTheSharedCaptures() throws IOException {
    String[] lines;
    try (var in = EveReaderTest.class.getResourceAsStream("/logs/suricata7-eve.json")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
    }
    LogStats s = read(lines);
    assertEquals(
        List.of(
            // Mid-stream, flags 00, first packet from port 80 to 56730: a reply, so turned round.
            "tcp 141.42.64.125:56730 > 125.190.109.199:80 established ports 11/824 10/10085",
            "tcp 2600:1f13:f8:d400:3a6:303c:e011:18eb:33892 > 2001:4860:4860::8888:443 established"
                + " syn 17/2303 17/7122",
            // From port 67 to a broadcast address: never turned round, as from packets.
            "udp 128.2.6.152:67 > 255.255.255.255:68 attempted first_packet 1/342 0/0",
            "udp 128.2.6.189:68 > 128.2.6.152:67 established ports 0/0 1/409"),
        recorder.flowLines());
    assertEquals(
        List.of(
            "sni 2600:1f13:f8:d400:3a6:303c:e011:18eb 2001:4860:4860::8888 dns.google",
            "question 141.142.220.118 upload.wikimedia.org qtype 1 rcode 0",
            "answer 141.142.220.118 upload.wikimedia.org 208.80.152.3 ttl 2156",
            "question 141.142.220.118 upload.wikimedia.org qtype 1 rcode 0",
            "answer 141.142.220.118 upload.wikimedia.org 208.80.152.3 ttl 0"),
        recorder.names);
    assertNull(s.warning());
    assertEquals(4, s.flows());
  }
}
