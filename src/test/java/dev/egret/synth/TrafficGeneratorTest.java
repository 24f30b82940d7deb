package dev.egret.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.io.PcapWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {
  private static List<Frame> frames;

  @BeforeAll
  static void generate() throws IOException {
    frames = Frame.generate(Frame.packets(6000, 7));
  }

  private static String sha256(SynthOptions o) throws IOException, NoSuchAlgorithmException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (PcapWriter w = PcapWriter.toStream(bos, 1, PcapWriter.Precision.MICROS)) {
      new TrafficGenerator(o).run((t, f, len) -> w.write(t, f, 0, len));
      w.commit();
    }
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bos.toByteArray()));
  }

  @Test
  void sameSeedGivesIdenticalBytes() throws Exception {
    String a = sha256(Frame.packets(2000, 42));
    String b = sha256(Frame.packets(2000, 42));
    String c = sha256(Frame.packets(2000, 43));
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void ipv4HeaderChecksumsAreValid() {
    int checked = 0;
    for (Frame f : frames) {
      if (!f.v6) {
        assertEquals(0xffff, sum(f.b, f.ipOff, 20, 0), "IPv4 header checksum at " + f.time);
        checked++;
      }
    }
    assertTrue(checked > 1000, "only " + checked + " IPv4 packets");
  }

  /** RFC 9293 3.1, RFC 768, RFC 4443 2.3: the sum over pseudo-header and segment is all ones. */
  @Test
  void transportChecksumsAreValid() {
    Map<Integer, Integer> checked = new TreeMap<>();
    for (Frame f : frames) {
      long pseudo;
      if (f.v6) {
        pseudo = sum(f.b, f.ipOff + 8, 32, 0); // RFC 8200 8.1
      } else {
        pseudo = sum(f.b, f.ipOff + 12, 8, 0);
      }
      long total;
      if (f.proto == 1) {
        total = sum(f.b, f.l4Off, f.l4Len, 0); // ICMPv4: no pseudo-header
      } else {
        total = sum(f.b, f.l4Off, f.l4Len, pseudo + f.proto + f.l4Len);
      }
      assertEquals(
          0xffff, fold(total), "protocol " + f.proto + " checksum at " + f.time + " v6=" + f.v6);
      checked.merge(f.proto * (f.v6 ? -1 : 1), 1, Integer::sum);
    }
    // TCP, UDP and ICMP over IPv4 and TCP and UDP over IPv6 all appear.
    assertTrue(checked.keySet().containsAll(Set.of(6, 17, 1, -6, -17)), checked.toString());
  }

  @Test
  void mixIncludesVlanIpv6HandshakesResetsAndDns() {
    long vlan = frames.stream().filter(f -> f.vlan).count();
    long v6 = frames.stream().filter(f -> f.v6).count();
    long syn = frames.stream().filter(f -> f.proto == 6 && f.tcpFlags == 0x02).count();
    long synAck = frames.stream().filter(f -> f.proto == 6 && f.tcpFlags == 0x12).count();
    long rst = frames.stream().filter(f -> f.proto == 6 && (f.tcpFlags & 0x04) != 0).count();
    long fin = frames.stream().filter(f -> f.proto == 6 && (f.tcpFlags & 0x01) != 0).count();
    long dns =
        frames.stream().filter(f -> f.proto == 17 && (f.sport == 53 || f.dport == 53)).count();
    long ntp = frames.stream().filter(f -> f.proto == 17 && f.dport == 123).count();
    int n = frames.size();
    assertTrue(vlan > n / 100 && vlan < n / 5, "VLAN-tagged " + vlan + " of " + n);
    assertTrue(v6 > n / 100 && v6 < n / 5, "IPv6 " + v6 + " of " + n);
    assertTrue(syn > synAck, "unanswered SYNs: " + syn + " SYN vs " + synAck + " SYN-ACK");
    assertTrue(
        rst > 0 && fin > 0 && dns > 0 && ntp > 0, "rst " + rst + " fin " + fin + " dns " + dns);
  }

  @Test
  void timestampsNeverGoBackwards() {
    for (int i = 1; i < frames.size(); i++) {
      assertTrue(frames.get(i).time >= frames.get(i - 1).time, "frame " + i + " goes back in time");
    }
  }

  @Test
  void httpRequestsCarryHost() {
    long withHost =
        frames.stream()
            .filter(f -> f.proto == 6 && f.dport == 80 && f.payloadLen > 0)
            .map(f -> new String(f.payload(), StandardCharsets.ISO_8859_1))
            .filter(s -> s.startsWith("GET ") && s.contains("\r\nHost: "))
            .count();
    assertTrue(withHost > 0, "no HTTP GET with a Host header");
  }

  @Test
  void destinationsRecurOnEveryDay() throws IOException {
    SynthOptions o =
        new SynthOptions(3, 400_000, 0, Instant.parse("2024-03-04T00:00:00Z"), 3, 6, false, false);
    Map<Long, Set<String>> byDay = new TreeMap<>();
    long start = o.start().getEpochSecond();
    for (Frame f : Frame.generate(o)) {
      String sni = Tls.sni(f);
      if (sni != null) {
        long day = (f.time / 1_000_000_000L - start) / 86_400;
        byDay.computeIfAbsent(day, d -> new TreeSet<>()).add(sni);
      }
    }
    assertEquals(Set.of(0L, 1L, 2L), byDay.keySet(), "days with TLS: " + byDay.keySet());
    Set<String> everyDay = new TreeSet<>(byDay.get(0L));
    byDay.values().forEach(everyDay::retainAll);
    assertTrue(everyDay.contains("api.example.com"), "recurring: " + everyDay);
    assertTrue(byDay.get(1L).stream().anyMatch(s -> s.startsWith("d2-")), "no day-2 one-off");
    assertTrue(byDay.get(0L).stream().noneMatch(s -> s.startsWith("d2-")), "day-2 name on day 1");
  }

  @Test
  void trojanRetriesPort25EveryThirtySeconds() throws IOException {
    SynthOptions o =
        new SynthOptions(5, 0, 3000, Instant.parse("2024-01-15T00:00:00Z"), 1, 10, false, true);
    List<Frame> trojan =
        Frame.generate(o).stream().filter(f -> f.proto == 6 && f.dport == 25).toList();
    assertTrue(trojan.size() > 10, "trojan SYNs: " + trojan.size());
    for (int i = 0; i < trojan.size(); i++) {
      Frame f = trojan.get(i);
      assertEquals(0x02, f.tcpFlags, "only SYNs, never answered");
      assertEquals("203.0.113.25", dst4(f));
      if (i > 0) {
        assertEquals(30_000_000_000L, f.time - trojan.get(i - 1).time);
      }
    }
  }

  static String dst4(Frame f) {
    int o = f.ipOff + 16;
    return (f.b[o] & 0xff)
        + "."
        + (f.b[o + 1] & 0xff)
        + "."
        + (f.b[o + 2] & 0xff)
        + "."
        + (f.b[o + 3] & 0xff);
  }

  static long sum(byte[] b, int off, int len, long start) {
    long s = start;
    for (int i = 0; i < len; i += 2) {
      int hi = b[off + i] & 0xff;
      int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
      s += (hi << 8) | lo;
    }
    return fold(s);
  }

  static long fold(long s) {
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return s;
  }
}
