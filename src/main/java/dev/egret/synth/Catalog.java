package dev.egret.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed world the synthetic hosts live in: the internal network, its resolver and gateway, and
 * the external destinations. Internal addresses are 10.1.0.0/16 and fd00:1::/48; external ones come
 * from the documentation ranges (RFC 5737, RFC 3849) so no real host is ever named.
 */
final class Catalog {
  static final long GATEWAY_MAC = 0x02_00_5e_00_01_01L;
  static final long RESOLVER_MAC = 0x02_00_0a_01_00_35L;
  static final int RESOLVER_V4 = v4(10, 1, 0, 53);

  /** fd00:1:0:1::/64, the internal IPv6 prefix. */
  static final long INTERNAL_V6_HI = 0xfd00_0001_0000_0001L;

  static final long RESOLVER_V6_LO = 0x53;
  static final int TROJAN_TARGET_V4 = v4(203, 0, 113, 25);
  static final int TROJAN_PORT = 25;
  static final int ICMP_ONLY_V4 = v4(192, 0, 2, 1);

  /** Destinations every run knows, most popular first. */
  final List<Service> services = new ArrayList<>();

  private final List<Double> weights = new ArrayList<>();

  /** How likely a host is to use each of {@link #services}. */
  final double[] popularity;

  /** The name behind the refused connections (port {@link #REFUSED_PORT} is closed there). */
  final Service refused;

  static final int REFUSED_PORT = 8443;

  /** A dead service: SYNs to it are never answered. */
  final Service dead;

  /** What external clients reach on the internal web server (host 0). */
  final Service inbound;

  /** Rule-injection names, used only in hostile mode. */
  final List<Service> hostile = new ArrayList<>();

  /** Names seen on one day only, {@link #ONE_OFFS_PER_DAY} a day. */
  final Service[][] oneOffs;

  static final int ONE_OFFS_PER_DAY = 4;

  Catalog(int days) {
    add(
        0.9,
        "api.example.com",
        Service.TLS,
        443,
        cn("api.edge.example-cdn.net"),
        a(203, 0, 113, 10, 203, 0, 113, 11),
        v6(0x20010db8_00100000L, 0x10),
        null);
    add(
        0.8,
        "www.example.org",
        Service.WEB,
        443,
        cn("www.example.org.cdn.example.net", "e1234.a.example-cdn.net"),
        a(203, 0, 113, 20),
        v6(0x20010db8_00100000L, 0x20),
        null);
    add(
        0.5,
        "login.example.com",
        Service.TLS,
        443,
        cn(),
        a(203, 0, 113, 30),
        v6(0x20010db8_00100000L, 0x30),
        null);
    add(
        0.7,
        "telemetry.example.io",
        Service.TLS,
        443,
        cn("collector.telemetry.example.io"),
        a(198, 51, 100, 40, 198, 51, 100, 41),
        v6(),
        null);
    add(
        0.3,
        "registry.example.com",
        Service.TLS,
        443,
        cn("registry.example-cdn.net"),
        a(203, 0, 113, 50),
        v6(0x20010db8_00100000L, 0x50),
        null);
    add(
        0.8,
        "updates.example.net",
        Service.HTTP,
        80,
        cn(),
        a(198, 51, 100, 20),
        v6(0x20010db8_00200000L, 0x20),
        null);
    add(
        0.2,
        "mirror.example.edu",
        Service.HTTP,
        80,
        cn("mirror-1.example.edu"),
        a(198, 51, 100, 21),
        v6(0x20010db8_00200000L, 0x21),
        null);
    add(
        0.2,
        "git.example.dev",
        Service.BANNER,
        22,
        cn(),
        a(198, 51, 100, 30),
        v6(0x20010db8_00200000L, 0x30),
        "SSH-2.0-OpenSSH_9.6\r\n");
    add(
        0.3,
        "smtp.example.com",
        Service.BANNER,
        587,
        cn(),
        a(198, 51, 100, 25),
        v6(),
        "220 smtp.example.com ESMTP ready\r\n");
    add(
        0.6,
        "pool.ntp.example.org",
        Service.NTP,
        123,
        cn(),
        a(192, 0, 2, 123, 192, 0, 2, 124),
        v6(),
        null);
    add(
        0.3,
        "time.example.com",
        Service.NTP,
        123,
        cn(),
        a(192, 0, 2, 125),
        v6(0x20010db8_00300000L, 0x125),
        null);
    add(0.2, "wpad.corp.example", Service.NXDOMAIN, 0, cn(), a(), v6(), null);
    popularity = new double[weights.size()];
    for (int i = 0; i < popularity.length; i++) {
      popularity[i] = weights.get(i);
    }
    refused = services.get(2);
    dead = Service.of("stale.example.net", Service.TLS, 443, cn(), a(192, 0, 2, 99), v6(), null);
    inbound = Service.of("www.corp.example", Service.WEB, 443, cn(), a(), v6(), null);
    oneOffs = new Service[days][ONE_OFFS_PER_DAY];
    for (int d = 0; d < days; d++) {
      for (int k = 0; k < ONE_OFFS_PER_DAY; k++) {
        int n = d * ONE_OFFS_PER_DAY + k;
        oneOffs[d][k] =
            Service.of(
                "d" + (d + 1) + "-" + k + ".oneoff.example.net",
                Service.TLS,
                443,
                cn(),
                a(203, 0, 113, 100 + n % 90),
                v6(0x20010db8_00400000L, n),
                null);
      }
    }
    String longLabel = "a".repeat(300);
    String l63 = "b".repeat(Service.MAX_LABEL);
    String[][] bad = {
      {"x\n-A OUTPUT -j ACCEPT\n#", "example", "com"},
      {"quote\"'`", "example", "com"},
      {"semi;colon; drop", "example", "com"},
      {"hash#comment", "example", "com"},
      {"brace}; flush ruleset; {", "example", "com"},
      {"$(reboot)", "example", "com"},
      {"nul\0byte", "example", "com"},
      {"cr\rback\\slash\ttab", "example", "com"},
      {"b\u00fccher", "\u4f8b\u3048", "example"},
      {"\u202eevil", "example", "com"},
      {"dot.in.label", "example", "com"},
      {longLabel, "example", "com"},
      // RFC 1035 2.3.4 caps a name at 255 octets; this one is 269 in wire form.
      {l63, l63, l63, l63, "example", "com"},
      // Markup for the HTML report: inert text there, never an element or an attribute.
      {"<script>alert(1)</script>", "example", "com"},
      {"\"onmouseover=alert(1) x=\"", "example", "com"},
    };
    for (int i = 0; i < bad.length; i++) {
      hostile.add(
          Service.labels(
              bad[i],
              Service.WEB,
              443,
              cn(),
              a(203, 0, 113, 200 + i),
              v6(0x20010db8_00660000L, i),
              null));
    }
  }

  private void add(
      double weight,
      String name,
      int kind,
      int port,
      String[] cn,
      int[] v4,
      long[] v6,
      String banner) {
    services.add(Service.of(name, kind, port, cn, v4, v6, banner));
    weights.add(weight);
  }

  static int v4(int a, int b, int c, int d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
  }

  /** Host {@code i}: 10.1.(1 + i/200).(10 + i%200). */
  static int hostV4(int i) {
    return v4(10, 1, 1 + i / 200, 10 + i % 200);
  }

  static long hostV6Lo(int i) {
    return 0x100L + i;
  }

  static long hostMac(int i) {
    return 0x02_00_0a_01_00_00L | (i & 0xffff);
  }

  private static String[] cn(String... names) {
    return names;
  }

  private static int[] a(int... octets) {
    int[] out = new int[octets.length / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = v4(octets[4 * i], octets[4 * i + 1], octets[4 * i + 2], octets[4 * i + 3]);
    }
    return out;
  }

  private static long[] v6(long... hiLo) {
    return hiLo;
  }
}
