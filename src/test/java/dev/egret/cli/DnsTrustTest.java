package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.io.PcapWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} believes a DNS answer only where the resolver's sets could have heard of it. A
 * compromised host that asks its own DNS server, which "resolves" a name of the policy to the
 * attacker's address, gets that address blocked, as the kernel blocks it (the site resolver never
 * gave it); the same kind of answer from the site resolver opens the name rule.
 */
class DnsTrustTest {
  static final String POLICY = "src/test/resources/policies/names.yaml";
  static final int HOST = v4(10, 0, 0, 5);
  static final int RESOLVER = v4(10, 0, 0, 53);
  static final int ROGUE = v4(203, 0, 113, 66);
  static final int ROTATED = v4(192, 0, 2, 50);
  static final int ATTACKER = v4(198, 51, 100, 200);

  @TempDir Path tmp;

  @Test
  void anAnswerFromAServerNoOneMayAskExplainsNothing() throws IOException {
    Path pcap = tmp.resolve("rogue.pcap");
    try (PcapWriter w = PcapWriter.toFile(pcap, 1, PcapWriter.Precision.MICROS)) {
      long t = 1_700_000_000_000_000_000L;
      // The site resolver: api.example.test moved to a new address; the host connects to it.
      exchange(w, t, RESOLVER, 40000, "api.example.test", ROTATED);
      connect(w, t + 2_000_000_000L, 40001, ROTATED);
      // The host's own DNS server: the same name, the attacker's address.
      exchange(w, t + 3_000_000_000L, ROGUE, 40002, "api.example.test", ATTACKER);
      connect(w, t + 4_000_000_000L, 40003, ATTACKER);
      w.commit();
    }
    Run r = Run.of("check", "--policy", POLICY, "--csv", pcap.toString());
    assertEquals(1, r.exit(), r.toString());
    assertEquals(
        "host,destination,protocol,port,flows,first_seen,names,uid\n"
            + "10.0.0.5,198.51.100.200,tcp,443,1,2023-11-14T22:13:24Z,api.example.test,\n"
            + "10.0.0.5,203.0.113.66,udp,53,1,2023-11-14T22:13:23Z,,\n",
        r.out().replaceAll("\\.\\d+Z", "Z"));
  }

  private static void exchange(PcapWriter w, long t, int server, int port, String name, int addr)
      throws IOException {
    byte[] q = dns(name, false, 0);
    byte[] a = dns(name, true, addr);
    frame(w, t, ipv4(HOST, server, 17, udp(port, 53, q)));
    frame(w, t + 1_000_000L, ipv4(server, HOST, 17, udp(53, port, a)));
  }

  private static void connect(PcapWriter w, long t, int port, int server) throws IOException {
    frame(w, t, ipv4(HOST, server, 6, tcp(port, 443, 0x02, 1000, 0)));
    frame(w, t + 1_000_000L, ipv4(server, HOST, 6, tcp(443, port, 0x12, 5000, 1001)));
    frame(w, t + 2_000_000L, ipv4(HOST, server, 6, tcp(port, 443, 0x10, 1001, 5001)));
  }

  private static void frame(PcapWriter w, long t, byte[] ip) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.writeBytes(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00});
    f.writeBytes(ip);
    byte[] b = f.toByteArray();
    w.write(t, b, 0, b.length);
  }

  /** A DNS query for {@code name} A, or its answer with one address and a 300 s TTL. */
  static byte[] dns(String name, boolean response, int addr) {
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(
        new byte[] {0x12, 0x34, (byte) (response ? 0x81 : 0x01), (byte) (response ? 0x80 : 0)});
    m.writeBytes(new byte[] {0, 1, 0, (byte) (response ? 1 : 0), 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      m.write(label.length());
      m.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    m.writeBytes(new byte[] {0, 0, 1, 0, 1});
    if (response) {
      m.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4});
      m.writeBytes(be32(addr));
    }
    return m.toByteArray();
  }

  static byte[] udp(int sport, int dport, byte[] payload) {
    ByteArrayOutputStream u = new ByteArrayOutputStream();
    u.writeBytes(be16(sport));
    u.writeBytes(be16(dport));
    u.writeBytes(be16(8 + payload.length));
    u.writeBytes(be16(0));
    u.writeBytes(payload);
    return u.toByteArray();
  }

  static byte[] tcp(int sport, int dport, int flags, int seq, int ack) {
    ByteArrayOutputStream t = new ByteArrayOutputStream();
    t.writeBytes(be16(sport));
    t.writeBytes(be16(dport));
    t.writeBytes(be32(seq));
    t.writeBytes(be32(ack));
    t.writeBytes(new byte[] {0x50, (byte) flags});
    t.writeBytes(be16(65535));
    t.writeBytes(new byte[] {0, 0, 0, 0});
    return t.toByteArray();
  }

  static byte[] ipv4(int src, int dst, int proto, byte[] payload) {
    byte[] h = new byte[20];
    h[0] = 0x45;
    int len = 20 + payload.length;
    h[2] = (byte) (len >> 8);
    h[3] = (byte) len;
    h[8] = 64;
    h[9] = (byte) proto;
    System.arraycopy(be32(src), 0, h, 12, 4);
    System.arraycopy(be32(dst), 0, h, 16, 4);
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += (h[i] & 0xff) << 8 | h[i + 1] & 0xff;
    }
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
    h[10] = (byte) (sum >> 8);
    h[11] = (byte) sum;
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.writeBytes(h);
    p.writeBytes(payload);
    return p.toByteArray();
  }

  static int v4(int a, int b, int c, int d) {
    return a << 24 | b << 16 | c << 8 | d;
  }

  static byte[] be16(int v) {
    return new byte[] {(byte) (v >> 8), (byte) v};
  }

  static byte[] be32(int v) {
    return new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
  }
}
