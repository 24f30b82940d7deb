package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.DayPcap;
import dev.egret.baseline.NameRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server names from a TLS ClientHello that follows a plaintext exchange: STARTTLS on the mail,
 * directory and chat ports, and an HTTP CONNECT tunnel; bounded to the client's first segments.
 */
class StartTlsNamesTest {
  @TempDir Path dir;

  private static byte[] b(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  private static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] u16(int v) {
    return b(v >> 8, v & 0xff);
  }

  /** One TLS record holding a ClientHello with the given server name. */
  static byte[] clientHello(String name) {
    byte[] host = name.getBytes(StandardCharsets.US_ASCII);
    byte[] entry = cat(b(0), u16(host.length), host);
    byte[] list = cat(u16(entry.length), entry);
    byte[] ext = cat(b(0, 0), u16(list.length), list);
    byte[] body =
        cat(b(3, 3), new byte[32], b(0), b(0, 2, 0x13, 0x01), b(1, 0), u16(ext.length), ext);
    byte[] hs = cat(b(1, 0, body.length >> 8, body.length & 0xff), body);
    return cat(b(22, 3, 1, hs.length >> 8, hs.length & 0xff), hs);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private Set<String> names(DayPcap pcap) throws IOException {
    Path f = pcap.write(dir.resolve("c.pcap"));
    Path b = dir.resolve("b.json");
    Cli.run("learn", f.toString(), "-b", b.toString()).ok();
    Set<String> out = new TreeSet<>();
    for (NameRecord n : BaselineJson.read(b).names()) {
      out.add(n.address() + " " + n.name() + " " + n.source());
    }
    return out;
  }

  @Test
  void clientHelloAfterStartTlsOnTheMailAndDirectoryPorts() throws IOException {
    String t = "2024-03-04T10:00:0";
    DayPcap p =
        new DayPcap()
            .talk(
                t + "1Z",
                "10.0.0.5",
                40001,
                "192.0.2.25",
                25,
                text("EHLO client.example\r\n"),
                text("STARTTLS\r\n"),
                clientHello("smtp.example.net"))
            .talk(
                t + "2Z",
                "10.0.0.5",
                40002,
                "192.0.2.26",
                587,
                text("EHLO c\r\n"),
                text("AUTH LOGIN\r\n"),
                text("STARTTLS\r\n"),
                clientHello("submission.example.net"))
            .talk(
                t + "3Z",
                "10.0.0.5",
                40003,
                "192.0.2.27",
                143,
                text("a1 CAPABILITY\r\n"),
                text("a2 STARTTLS\r\n"),
                clientHello("imap.example.net"))
            .talk(
                t + "4Z",
                "10.0.0.5",
                40004,
                "192.0.2.28",
                110,
                text("STLS\r\n"),
                clientHello("pop.example.net"))
            .talk(
                t + "5Z",
                "10.0.0.5",
                40005,
                "192.0.2.29",
                21,
                text("AUTH TLS\r\n"),
                clientHello("ftp.example.net"))
            .talk(
                t + "6Z",
                "10.0.0.5",
                40006,
                "192.0.2.30",
                389,
                // LDAP ExtendedRequest 1.3.6.1.4.1.1466.20037 (StartTLS), BER-encoded
                cat(
                    b(0x30, 0x1d, 0x02, 0x01, 0x01, 0x77, 0x18, 0x80, 0x16),
                    text("1.3.6.1.4.1.1466.20037")),
                clientHello("ldap.example.net"))
            .talk(
                t + "7Z",
                "10.0.0.5",
                40007,
                "192.0.2.31",
                5222,
                text("<stream:stream to='example.net'>"),
                text("<starttls/>"),
                clientHello("xmpp.example.net"));
    assertEquals(
        Set.of(
            "192.0.2.25 smtp.example.net sni",
            "192.0.2.26 submission.example.net sni",
            "192.0.2.27 imap.example.net sni",
            "192.0.2.28 pop.example.net sni",
            "192.0.2.29 ftp.example.net sni",
            "192.0.2.30 ldap.example.net sni",
            "192.0.2.31 xmpp.example.net sni"),
        names(p));
  }

  @Test
  void clientHelloInsideAnHttpConnectTunnel() throws IOException {
    DayPcap p =
        new DayPcap()
            .talk(
                "2024-03-04T10:00:01Z",
                "10.0.0.5",
                40001,
                "192.0.2.80",
                3128,
                text("CONNECT api.example.org:443 HTTP/1.1\r\nHost: api.example.org:443\r\n\r\n"),
                clientHello("api.example.org"));
    assertEquals(
        Set.of("192.0.2.80 api.example.org http-host", "192.0.2.80 api.example.org sni"), names(p));
  }

  @Test
  void onlyTheFirstSegmentsAreLookedAtAndOnlyOnThosePorts() throws IOException {
    byte[][] chatty = new byte[10][];
    for (int i = 0; i < 9; i++) {
      chatty[i] = text("NOOP\r\n");
    }
    chatty[9] = clientHello("late.example.net");
    DayPcap p =
        new DayPcap()
            .talk("2024-03-04T10:00:01Z", "10.0.0.5", 40001, "192.0.2.25", 25, chatty)
            // plaintext then TLS on a port with no STARTTLS: not looked for
            .talk(
                "2024-03-04T10:00:02Z",
                "10.0.0.5",
                40002,
                "192.0.2.99",
                9999,
                text("HELLO\r\n"),
                clientHello("other.example.net"));
    assertEquals(Set.of(), names(p));
  }
}
