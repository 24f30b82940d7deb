package dev.egret.synth;

import java.util.SplittableRandom;

/**
 * Decides what each new session is and writes its script: which host, which destination, whether it
 * resolves the name first, how much data flows and with what delays. Each host has a stable set of
 * destinations, so the same ones recur day after day.
 */
final class Planner {
  private static final long US = 1_000L;
  private static final long MS = 1_000_000L;
  private static final long SEC = 1_000_000_000L;
  private static final long DAY = 86_400L * SEC;
  private static final int INBOUND_HOST = 0;

  private final SplittableRandom rnd;
  private final Catalog catalog;
  private final SynthOptions options;
  private final int[][] profiles;
  private final int maxSegments;
  private final int trojanHost;
  private final Service[] ntp;
  private final Service[] pingable;
  private int hostileCursor;

  Planner(SplittableRandom rnd, Catalog catalog, SynthOptions options) {
    this.rnd = rnd;
    this.catalog = catalog;
    this.options = options;
    int n = catalog.services.size();
    profiles = new int[options.hosts()][];
    int[] tmp = new int[n];
    for (int h = 0; h < options.hosts(); h++) {
      int k = 0;
      for (int s = 0; s < n; s++) {
        if (rnd.nextDouble() < catalog.popularity[s]) {
          tmp[k++] = s;
        }
      }
      if (k == 0) {
        tmp[k++] = 0;
      }
      profiles[h] = java.util.Arrays.copyOf(tmp, k);
    }
    long bySize = options.targetBytes() / 100_000;
    long byCount = options.targetPackets() / 150;
    maxSegments = (int) Math.max(2, Math.min(200, Math.max(bySize, byCount)));
    trojanHost = 1 % options.hosts();
    ntp = catalog.services.stream().filter(v -> v.kind == Service.NTP).toArray(Service[]::new);
    pingable = catalog.services.stream().filter(v -> v.v4.length > 0).toArray(Service[]::new);
  }

  /** Fills {@code s} with a fresh conversation starting at {@code now}. */
  void plan(Session s, long now) {
    s.reset();
    s.trojan = false;
    double r = rnd.nextDouble();
    if (options.hostile() && hostileCursor < 2 * catalog.hostile.size()) {
      hostileFirstPass(s);
    } else if (r < 0.10) {
      inbound(s);
    } else if (r < 0.70) {
      outbound(s, pickService(s), rnd.nextDouble() < 0.6);
    } else if (r < 0.80) {
      dnsOnly(s);
    } else if (r < 0.85) {
      echo(s);
    } else if (r < 0.89) {
      failed(s, catalog.refused, true);
    } else if (r < 0.92) {
      failed(s, catalog.dead, false);
    } else if (r < 0.96) {
      int day = (int) Math.min(options.days() - 1, (now - startNanos()) / DAY);
      Service[] today = catalog.oneOffs[Math.max(0, day)];
      host(s, rnd.nextInt(options.hosts()));
      outbound(s, today[rnd.nextInt(today.length)], true);
    } else {
      host(s, rnd.nextInt(options.hosts()));
      outbound(s, ntp[rnd.nextInt(ntp.length)], rnd.nextDouble() < 0.6);
    }
    s.begin(now);
  }

  /** The trojan's next SYN to port 25, {@code now} being when it is sent. */
  void planTrojan(Session s, long now) {
    s.reset();
    s.trojan = true;
    host(s, trojanHost);
    s.v6 = false;
    s.server4 = Catalog.TROJAN_TARGET_V4;
    s.serverPort = Catalog.TROJAN_PORT;
    tcpStart(s);
    s.add(Session.SYN, 0, 0);
    s.begin(now);
  }

  private long startNanos() {
    return options.start().getEpochSecond() * SEC + options.start().getNano();
  }

  /**
   * Hostile mode opens with every hostile name once over TLS, then once over HTTP, each looked up
   * first, so a short capture already holds them all in DNS, SNI and Host.
   */
  private void hostileFirstPass(Session s) {
    int n = catalog.hostile.size();
    int i = hostileCursor++;
    host(s, rnd.nextInt(options.hosts()));
    server(s, catalog.hostile.get(i % n));
    lookup(s);
    tcp(s, i < n ? Session.APP_TLS : Session.APP_HTTP, i < n ? 443 : 80);
  }

  private Service pickService(Session s) {
    host(s, rnd.nextInt(options.hosts()));
    if (options.hostile() && rnd.nextDouble() < 0.2) {
      return catalog.hostile.get(rnd.nextInt(catalog.hostile.size()));
    }
    int[] p = profiles[s.host];
    return catalog.services.get(p[rnd.nextInt(p.length)]);
  }

  private void host(Session s, int h) {
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
  private void server(Session s, Service svc) {
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

  private void outbound(Session s, Service svc, boolean resolve) {
    server(s, svc);
    if (resolve || svc.kind == Service.NXDOMAIN) {
      lookup(s);
    }
    switch (svc.kind) {
      case Service.NXDOMAIN -> {}
      case Service.NTP -> {
        s.clientPort = rnd.nextDouble() < 0.3 ? 123 : ephemeral();
        s.serverPort = 123;
        s.add(Session.NTP_REQUEST, 0, 200 * US);
        s.add(Session.NTP_RESPONSE, 0, rtt());
      }
      case Service.BANNER -> tcp(s, Session.APP_BANNER, svc.port);
      case Service.HTTP -> tcp(s, Session.APP_HTTP, 80);
      case Service.WEB -> {
        boolean http = rnd.nextDouble() < 0.3;
        tcp(s, http ? Session.APP_HTTP : Session.APP_TLS, http ? 80 : 443);
      }
      default -> tcp(s, Session.APP_TLS, svc.port);
    }
  }

  private void inbound(Session s) {
    host(s, INBOUND_HOST);
    s.inbound = true;
    s.service = catalog.inbound;
    // The external client is the session's client; the internal host serves.
    s.serverHi = s.clientHi;
    s.serverLo = s.clientLo;
    s.server4 = s.client4;
    s.v6 = rnd.nextDouble() < 0.06;
    s.client4 = Catalog.v4(198, 51, 100, 200 + rnd.nextInt(50));
    s.clientHi = 0x20010db8_00990000L;
    s.clientLo = 1 + rnd.nextInt(0xffff);
    boolean http = rnd.nextDouble() < 0.3;
    tcp(s, http ? Session.APP_HTTP : Session.APP_TLS, http ? 80 : 443);
  }

  private void dnsOnly(Session s) {
    host(s, rnd.nextInt(options.hosts()));
    int[] p = profiles[s.host];
    s.service = catalog.services.get(p[rnd.nextInt(p.length)]);
    s.v6 = rnd.nextDouble() < 0.06;
    lookup(s);
  }

  private void echo(Session s) {
    host(s, rnd.nextInt(options.hosts()));
    server(s, pingable[rnd.nextInt(pingable.length)]);
    if (!s.v6 && rnd.nextDouble() < 0.3) {
      s.server4 = Catalog.ICMP_ONLY_V4;
    }
    s.echoId = rnd.nextInt(0x10000);
    int count = 1 + rnd.nextInt(4);
    long rtt = rtt();
    for (int i = 1; i <= count; i++) {
      s.add(Session.ECHO_REQUEST, i, i == 1 ? 0 : SEC - rtt);
      s.add(Session.ECHO_REPLY, i, rtt);
    }
  }

  /** A connection refused with a reset, or SYNs nobody answers (RFC 6298 5.5 backoff). */
  private void failed(Session s, Service svc, boolean refused) {
    host(s, rnd.nextInt(options.hosts()));
    server(s, svc);
    if (rnd.nextDouble() < 0.5) {
      lookup(s);
    }
    s.serverPort = refused ? Catalog.REFUSED_PORT : svc.port;
    tcpStart(s);
    s.add(Session.SYN, 0, 300 * US);
    if (refused) {
      s.add(Session.SERVER_RST, 0, rtt());
    } else {
      s.add(Session.SYN, 1, SEC);
      s.add(Session.SYN, 1, 2 * SEC);
    }
  }

  /** The host asks its resolver for A (and sometimes AAAA), AAAA first on IPv6 sessions. */
  private void lookup(Session s) {
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

  private void tcpStart(Session s) {
    s.clientPort = ephemeral();
    s.clientSeq = rnd.nextLong() & 0xffff_ffffL;
    s.isn = s.clientSeq;
    s.serverSeq = rnd.nextLong() & 0xffff_ffffL;
  }

  /** Handshake, the application's exchange, and an orderly close (RFC 9293 3.5, 3.6). */
  private void tcp(Session s, int app, int port) {
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
    s.add(Session.CLIENT_FIN, 0, 10 * MS + (long) (rnd.nextDouble() * 2 * SEC));
    s.add(Session.SERVER_FIN, 0, rtt);
    s.add(Session.CLIENT_ACK, 0, rtt / 2);
  }

  /**
   * Server segments answering a client request, the client acking every second one (RFC 5681 4.2).
   */
  private void serverBurst(Session s, int mss, long rtt, int total) {
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
  private int segments() {
    double r = rnd.nextDouble();
    if (r < 0.7) {
      return 1 + rnd.nextInt(2);
    }
    if (r < 0.95) {
      return 1 + rnd.nextInt(Math.max(1, maxSegments / 8));
    }
    return 1 + rnd.nextInt(maxSegments);
  }

  private int bytesFor(int segments, int mss) {
    return (segments - 1) * mss + 200 + rnd.nextInt(mss - 200);
  }

  private long rtt() {
    return 8 * MS + (long) (rnd.nextDouble() * 110 * MS);
  }

  /** A cache hit at the resolver is sub-millisecond; a miss goes out to the authorities. */
  private long dnsRtt() {
    return rnd.nextDouble() < 0.7
        ? 200 * US + rnd.nextInt(1300) * US
        : 10 * MS + (long) (rnd.nextDouble() * 70 * MS);
  }

  private int ephemeral() {
    return 32768 + rnd.nextInt(60999 - 32768 + 1);
  }
}
