package dev.egret.synth;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The building blocks of a session's script, shared by the LAN mix ({@link Planner}) and the site
 * scenario ({@link SitePlanner}): a host's addressing, a name lookup, a TCP conversation with its
 * handshake, exchange and close, and the delays between steps. Every random choice comes from the
 * one generator given, in a fixed order, so a seed always gives the same script.
 */
final class Scripts {
  static final long US = 1_000L;
  static final long MS = 1_000_000L;
  static final long SEC = 1_000_000_000L;

  private final SplittableRandom rnd;
  private final int maxSegments;

  Scripts(SplittableRandom rnd, int maxSegments) {
    this.rnd = rnd;
    this.maxSegments = maxSegments;
  }

  SplittableRandom rnd() {
    return rnd;
  }

  /** Host {@code h} at its default address (see {@link Catalog#hostV4}) opens the session. */
  void host(Session s, int h) {
    s.host = h;
    s.vlan = h % 20 == 3 ? 30 : -1;
    s.client4 = Catalog.hostV4(h);
    s.clientHi = Catalog.INTERNAL_V6_HI;
    s.clientLo = Catalog.hostV6Lo(h);
    s.v6 = false;
    s.remoteTtl = 40 + rnd.nextInt(21);
    s.clientIpId = rnd.nextInt(0x10000);
    s.serverIpId = rnd.nextInt(0x10000);
    s.resolverIpId = rnd.nextInt(0x10000);
    s.dnsPort = ephemeral();
    s.dnsId = rnd.nextInt(0x10000);
  }

  /** Chooses the server address; IPv6 for about one session in twenty when it has one. */
  void server(Session s, Service svc) {
    s.service = svc;
    s.v6 = svc.hasV6() && rnd.nextDouble() < 0.06;
    if (s.v6) {
      int i = rnd.nextInt(svc.v6.length / 2);
      s.serverHi = svc.v6[2 * i];
      s.serverLo = svc.v6[2 * i + 1];
    } else if (svc.v4.length > 0) {
      s.server4 = svc.v4[rnd.nextInt(svc.v4.length)];
    }
  }

  /** The host asks its resolver for A (and sometimes AAAA), AAAA first on IPv6 sessions. */
  void lookup(Session s) {
    long first = s.steps == 0 ? 0 : 100 * US;
    boolean both = s.v6 || rnd.nextDouble() < 0.25;
    int primary = s.v6 ? DnsWriter.TYPE_AAAA : DnsWriter.TYPE_A;
    s.add(Session.DNS_QUERY, primary, first);
    s.add(Session.DNS_RESPONSE, primary, dnsRtt());
    if (both) {
      int other = s.v6 ? DnsWriter.TYPE_A : DnsWriter.TYPE_AAAA;
      s.add(Session.DNS_QUERY, other, 30 * US);
      s.add(Session.DNS_RESPONSE, other, dnsRtt());
    }
  }

  /**
   * The site resolver asks upstream for A, and for AAAA too where the service has IPv6 addresses (a
   * dual-stack host may ask for either), both answered 10 ms plus a quarter of a round trip later:
   * at most 40 ms after the first query.
   */
  void upstream(Session s) {
    boolean both = s.service.v6 != null && s.service.v6.length > 0;
    s.add(Session.UPSTREAM_QUERY, DnsWriter.TYPE_A, 0);
    if (both) {
      s.add(Session.UPSTREAM_QUERY, DnsWriter.TYPE_AAAA, 30 * US);
    }
    s.add(Session.UPSTREAM_RESPONSE, DnsWriter.TYPE_A, 10 * MS + rtt() / 4);
    if (both) {
      s.add(Session.UPSTREAM_RESPONSE, DnsWriter.TYPE_AAAA, 200 * US);
    }
  }

  void tcpStart(Session s) {
    s.clientPort = ephemeral();
    s.clientSeq = rnd.nextLong() & 0xffff_ffffL;
    s.isn = s.clientSeq;
    s.serverSeq = rnd.nextLong() & 0xffff_ffffL;
  }

  /** Handshake, the application's exchange, and an orderly close (RFC 9293 3.5, 3.6). */
  void tcp(Session s, int app, int port) {
    s.app = app;
    s.serverPort = port;
    tcpStart(s);
    long rtt = rtt();
    int mss = s.v6 ? 1440 : 1460;
    s.add(Session.SYN, 0, s.steps == 0 ? 0 : 300 * US);
    s.add(Session.SYN_ACK, 0, rtt);
    s.add(Session.CLIENT_ACK, 0, 40 * US);
    switch (app) {
      case Session.APP_TLS -> {
        s.add(Session.CLIENT_DATA, 0, 150 * US);
        s.add(Session.SERVER_DATA, 1200 + rnd.nextInt(mss - 1200), rtt);
        s.add(Session.CLIENT_ACK, 0, 40 * US);
        s.add(Session.CLIENT_DATA, 80 + rnd.nextInt(520), 2 * MS);
        serverBurst(s, mss, rtt, 0);
      }
      case Session.APP_HTTP -> {
        s.add(Session.CLIENT_DATA, 0, 150 * US);
        int body = bytesFor(segments(), mss);
        s.httpBody = body;
        serverBurst(s, mss, rtt, Payloads.httpResponseHeadSize(body) + body);
      }
      default -> {
        s.add(Session.SERVER_DATA, s.service.banner.length, 2 * MS);
        s.add(Session.CLIENT_DATA, 0, 5 * MS);
        s.add(Session.SERVER_ACK, 0, rtt);
        s.add(Session.CLIENT_DATA, 40 + rnd.nextInt(400), 20 * MS);
        serverBurst(s, mss, rtt, 0);
      }
    }
    close(s, rtt);
  }

  /** The client closes, the server follows (RFC 9293 3.6). */
  void close(Session s, long rtt) {
    s.add(Session.CLIENT_FIN, 0, 10 * MS + (long) (rnd.nextDouble() * 2 * SEC));
    s.add(Session.SERVER_FIN, 0, rtt);
    s.add(Session.CLIENT_ACK, 0, rtt / 2);
  }

  /**
   * Server segments answering a client request, the client acking every second one (RFC 5681 4.2).
   */
  void serverBurst(Session s, int mss, long rtt, int total) {
    if (total == 0) {
      total = bytesFor(segments(), mss);
    }
    int k = 0;
    while (total > 0 && s.room() > 8) {
      int len = Math.min(mss, total);
      total -= len;
      s.add(Session.SERVER_DATA, len, k == 0 ? rtt : 20 * US + rnd.nextInt(200) * US);
      if (++k % 2 == 0 || total == 0) {
        s.add(Session.CLIENT_ACK, 0, 40 * US);
      }
    }
  }

  /** Most transfers are a segment or two, some tens, a few bulk downloads. */
  int segments() {
    double r = rnd.nextDouble();
    if (r < 0.7) {
      return 1 + rnd.nextInt(2);
    }
    if (r < 0.95) {
      return 1 + rnd.nextInt(Math.max(1, maxSegments / 8));
    }
    return 1 + rnd.nextInt(maxSegments);
  }

  int bytesFor(int segments, int mss) {
    return (segments - 1) * mss + 200 + rnd.nextInt(mss - 200);
  }

  long rtt() {
    return 8 * MS + (long) (rnd.nextDouble() * 110 * MS);
  }

  /** A cache hit at the resolver is sub-millisecond; a miss goes out to the authorities. */
  long dnsRtt() {
    return rnd.nextDouble() < 0.7
        ? 200 * US + rnd.nextInt(1300) * US
        : 10 * MS + (long) (rnd.nextDouble() * 70 * MS);
  }

  int ephemeral() {
    return 32768 + rnd.nextInt(60999 - 32768 + 1);
  }

  /**
   * Calls {@code at} with times into a day of {@code day} nanoseconds: from a random phase every
   * {@code period}, each moved by up to {@code jitter} either way and kept within the day. The
   * random draws come in the order the site planners made them (the phase, then each time's jitter
   * before {@code at} runs), so their output stays the same.
   */
  static void jittered(
      long day,
      long period,
      long jitter,
      SplittableRandom rnd,
      java.util.function.LongConsumer at) {
    long phase = (long) (rnd.nextDouble() * period);
    for (long t = phase; t < day - SEC; t += period) {
      at.accept(Math.max(0, Math.min(day - SEC, t + (long) ((rnd.nextDouble() * 2 - 1) * jitter))));
    }
  }

  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  /**
   * A query carrying data in two long random labels (RFC 1035: 63 a label) under {@code domain}, as
   * DNS tunnels do, sent to {@code serverV4}.
   */
  static Service tunnelQuery(SplittableRandom rnd, List<String> domain, int serverV4) {
    List<String> l = new java.util.ArrayList<>();
    l.add(base32(rnd, 50 + rnd.nextInt(14)));
    l.add(base32(rnd, 20 + rnd.nextInt(30)));
    l.addAll(domain);
    return Service.labels(
            l.toArray(new String[0]),
            Service.TLS,
            53,
            new String[0],
            new int[] {serverV4},
            new long[0],
            null)
        .ttl(0);
  }

  private static String base32(SplittableRandom rnd, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = BASE32[rnd.nextInt(BASE32.length)];
    }
    return new String(c);
  }
}
