package dev.egret.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HostileTest {
  private static final List<byte[]> dnsPayloads = new ArrayList<>();
  private static final List<byte[]> snis = new ArrayList<>();
  private static final List<byte[]> httpPayloads = new ArrayList<>();

  @BeforeAll
  static void generate() throws IOException {
    SynthOptions o =
        new SynthOptions(11, 0, 4000, Instant.parse("2024-01-15T00:00:00Z"), 1, 10, true, false);
    for (Frame f : Frame.generate(o)) {
      if (f.proto == 17 && (f.sport == 53 || f.dport == 53)) {
        dnsPayloads.add(f.payload());
      }
      byte[] sni = Tls.sniBytes(f);
      if (sni != null) {
        snis.add(sni);
      }
      if (f.proto == 6 && f.dport == 80 && f.payloadLen > 0) {
        httpPayloads.add(f.payload());
      }
    }
  }

  private static boolean anyContains(List<byte[]> haystacks, byte[] needle) {
    return haystacks.stream().anyMatch(h -> indexOf(h, needle) >= 0);
  }

  static int indexOf(byte[] h, byte[] n) {
    outer:
    for (int i = 0; i + n.length <= h.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (h[i + j] != n[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void inDnsAndSni(String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    assertTrue(
        anyContains(dnsPayloads, needle), "not in any DNS payload: " + text.replace("\n", "\\n"));
    assertTrue(anyContains(snis, needle), "not in any SNI: " + text.replace("\n", "\\n"));
  }

  @Test
  void newlineInjection() {
    inDnsAndSni("x\n-A OUTPUT -j ACCEPT\n#");
  }

  @Test
  void quotes() {
    inDnsAndSni("quote\"'`");
  }

  @Test
  void semicolonHashAndBrace() {
    inDnsAndSni("semi;colon; drop");
    inDnsAndSni("hash#comment");
    inDnsAndSni("brace}; flush ruleset; {");
  }

  @Test
  void commandSubstitution() {
    inDnsAndSni("$(reboot)");
  }

  @Test
  void nulByte() {
    inDnsAndSni("nul\0byte");
  }

  @Test
  void nonAsciiAndBidi() {
    inDnsAndSni("b\u00fccher");
    inDnsAndSni("\u4f8b\u3048");
    inDnsAndSni("\u202eevil");
  }

  @Test
  void labelWithADot() {
    // In DNS the dot is label data: 12 bytes after a length octet of 12.
    byte[] wire = "\u000cdot.in.label".getBytes(StandardCharsets.US_ASCII);
    assertTrue(anyContains(dnsPayloads, wire), "no 12-octet label holding dots");
  }

  /** RFC 1035 2.3.4 caps labels at 63 octets: DNS carries a cut label, the SNI all 300 bytes. */
  @Test
  void threeHundredByteLabel() {
    byte[] full = ("a".repeat(300) + ".example.com").getBytes(StandardCharsets.US_ASCII);
    byte[] cut = ("?" + "a".repeat(63) + "\u0007example").getBytes(StandardCharsets.US_ASCII);
    cut[0] = 63;
    assertTrue(anyContains(snis, full), "no SNI with the 300-byte label");
    assertTrue(anyContains(dnsPayloads, cut), "no DNS name with the 63-octet cut label");
  }

  @Test
  void hostHeaderCarriesHostileNames() {
    for (String host :
        new String[] {"$(reboot).example.com", "x\n-A OUTPUT -j ACCEPT\n#.example.com"}) {
      byte[] needle = ("\r\nHost: " + host + "\r\n").getBytes(StandardCharsets.UTF_8);
      assertTrue(anyContains(httpPayloads, needle), "no Host header " + host.replace("\n", "\\n"));
    }
  }
}
