package dev.egret.synth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One destination the synthetic hosts talk to: its DNS name (wire form), the CNAME chain the
 * resolver answers with, its addresses and what it serves. Built once, read on every packet.
 */
final class Service {
  static final int TLS = 0;
  static final int HTTP = 1;

  /** Serves both TLS on 443 and HTTP on 80. */
  static final int WEB = 2;

  /** A TCP service whose server speaks first (SSH, SMTP). */
  static final int BANNER = 3;

  static final int NTP = 4;

  /** A name that does not exist: the resolver answers NXDOMAIN. */
  static final int NXDOMAIN = 5;

  /** RFC 1035 2.3.4: labels are 63 octets or less. */
  static final int MAX_LABEL = 63;

  static final int DEFAULT_TTL = 300;

  final String name;
  final byte[] dnsName;
  final byte[] host;
  final byte[][] cnames;
  final int[] v4;
  final long[] v6;
  final int kind;
  final int port;
  final byte[] banner;

  /** The TTL of its DNS answers, in seconds. */
  final int ttl;

  private Service(
      String name,
      byte[] dnsName,
      byte[] host,
      byte[][] cnames,
      int[] v4,
      long[] v6,
      int kind,
      int port,
      byte[] banner,
      int ttl) {
    this.name = name;
    this.dnsName = dnsName;
    this.host = host;
    this.cnames = cnames;
    this.v4 = v4;
    this.v6 = v6;
    this.kind = kind;
    this.port = port;
    this.banner = banner;
    this.ttl = ttl;
  }

  /** A service with an ordinary dotted name; {@code v6} holds (hi, lo) pairs. */
  static Service of(
      String name, int kind, int port, String[] cnames, int[] v4, long[] v6, String banner) {
    return labels(name.split("\\."), kind, port, cnames, v4, v6, banner);
  }

  /**
   * A service from explicit labels, which may hold any bytes (dots, NUL, newlines). The DNS form
   * cuts each label to 63 octets; the TLS SNI and HTTP Host form keeps them whole.
   */
  static Service labels(
      String[] labels, int kind, int port, String[] cnames, int[] v4, long[] v6, String banner) {
    byte[][] cn = new byte[cnames.length][];
    for (int i = 0; i < cnames.length; i++) {
      cn[i] = wire(cnames[i].split("\\."));
    }
    return new Service(
        String.join(".", labels),
        wire(labels),
        String.join(".", labels).getBytes(StandardCharsets.UTF_8),
        cn,
        v4,
        v6,
        kind,
        port,
        banner == null ? null : banner.getBytes(StandardCharsets.US_ASCII),
        DEFAULT_TTL);
  }

  /** The same service, its DNS answers given {@code seconds} of TTL. */
  Service ttl(int seconds) {
    return new Service(name, dnsName, host, cnames, v4, v6, kind, port, banner, seconds);
  }

  /** RFC 1035 3.1 name encoding: length-prefixed labels ending in the root's zero octet. */
  static byte[] wire(String... labels) {
    List<byte[]> parts = new ArrayList<>();
    int size = 1;
    for (String l : labels) {
      byte[] b = l.getBytes(StandardCharsets.UTF_8);
      if (b.length > MAX_LABEL) {
        b = Arrays.copyOf(b, MAX_LABEL);
      }
      parts.add(b);
      size += 1 + b.length;
    }
    byte[] out = new byte[size];
    int p = 0;
    for (byte[] b : parts) {
      out[p++] = (byte) b.length;
      System.arraycopy(b, 0, out, p, b.length);
      p += b.length;
    }
    return out;
  }

  boolean hasV6() {
    return v6.length > 0;
  }
}
