package dev.egret.synth;

import java.util.SplittableRandom;

/**
 * Decides what each new session is and writes its script: which host, which destination, whether it
 * resolves the name first, how much data flows and with what delays. Each host has a stable set of
 * destinations, so the same ones recur day after day.
 */
final class Planner {
  private static final long US = 1_000L;
  private static final long SEC = 1_000_000_000L;
  private static final long DAY = 86_400L * SEC;
  private static final int INBOUND_HOST = 0;

  private final SplittableRandom rnd;
  private final Catalog catalog;
  private final SynthOptions options;
  private final int[][] profiles;
  private final Scripts scripts;
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
    scripts = new Scripts(rnd, (int) Math.max(2, Math.min(200, Math.max(bySize, byCount))));
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
      scripts.host(s, rnd.nextInt(options.hosts()));
      outbound(s, today[rnd.nextInt(today.length)], true);
    } else {
      scripts.host(s, rnd.nextInt(options.hosts()));
      outbound(s, ntp[rnd.nextInt(ntp.length)], rnd.nextDouble() < 0.6);
    }
    s.begin(now);
  }

  /** The trojan's next SYN to port 25, {@code now} being when it is sent. */
  void planTrojan(Session s, long now) {
    s.reset();
    s.trojan = true;
    scripts.host(s, trojanHost);
    s.v6 = false;
    s.server4 = Catalog.TROJAN_TARGET_V4;
    s.serverPort = Catalog.TROJAN_PORT;
    scripts.tcpStart(s);
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
    scripts.host(s, rnd.nextInt(options.hosts()));
    scripts.server(s, catalog.hostile.get(i % n));
    scripts.lookup(s);
    scripts.tcp(s, i < n ? Session.APP_TLS : Session.APP_HTTP, i < n ? 443 : 80);
  }

  private Service pickService(Session s) {
    scripts.host(s, rnd.nextInt(options.hosts()));
    if (options.hostile() && rnd.nextDouble() < 0.2) {
      return catalog.hostile.get(rnd.nextInt(catalog.hostile.size()));
    }
    int[] p = profiles[s.host];
    return catalog.services.get(p[rnd.nextInt(p.length)]);
  }

  private void outbound(Session s, Service svc, boolean resolve) {
    scripts.server(s, svc);
    if (resolve || svc.kind == Service.NXDOMAIN) {
      scripts.lookup(s);
    }
    switch (svc.kind) {
      case Service.NXDOMAIN -> {}
      case Service.NTP -> {
        s.clientPort = rnd.nextDouble() < 0.3 ? 123 : scripts.ephemeral();
        s.serverPort = 123;
        s.add(Session.NTP_REQUEST, 0, 200 * US);
        s.add(Session.NTP_RESPONSE, 0, scripts.rtt());
      }
      case Service.BANNER -> scripts.tcp(s, Session.APP_BANNER, svc.port);
      case Service.HTTP -> scripts.tcp(s, Session.APP_HTTP, 80);
      case Service.WEB -> {
        boolean http = rnd.nextDouble() < 0.3;
        scripts.tcp(s, http ? Session.APP_HTTP : Session.APP_TLS, http ? 80 : 443);
      }
      default -> scripts.tcp(s, Session.APP_TLS, svc.port);
    }
  }

  private void inbound(Session s) {
    scripts.host(s, INBOUND_HOST);
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
    scripts.tcp(s, http ? Session.APP_HTTP : Session.APP_TLS, http ? 80 : 443);
  }

  private void dnsOnly(Session s) {
    scripts.host(s, rnd.nextInt(options.hosts()));
    int[] p = profiles[s.host];
    s.service = catalog.services.get(p[rnd.nextInt(p.length)]);
    s.v6 = rnd.nextDouble() < 0.06;
    scripts.lookup(s);
  }

  private void echo(Session s) {
    scripts.host(s, rnd.nextInt(options.hosts()));
    scripts.server(s, pingable[rnd.nextInt(pingable.length)]);
    if (!s.v6 && rnd.nextDouble() < 0.3) {
      s.server4 = Catalog.ICMP_ONLY_V4;
    }
    s.echoId = rnd.nextInt(0x10000);
    int count = 1 + rnd.nextInt(4);
    long rtt = scripts.rtt();
    for (int i = 1; i <= count; i++) {
      s.add(Session.ECHO_REQUEST, i, i == 1 ? 0 : SEC - rtt);
      s.add(Session.ECHO_REPLY, i, rtt);
    }
  }

  /** A connection refused with a reset, or SYNs nobody answers (RFC 6298 5.5 backoff). */
  private void failed(Session s, Service svc, boolean refused) {
    scripts.host(s, rnd.nextInt(options.hosts()));
    scripts.server(s, svc);
    if (rnd.nextDouble() < 0.5) {
      scripts.lookup(s);
    }
    s.serverPort = refused ? Catalog.REFUSED_PORT : svc.port;
    scripts.tcpStart(s);
    s.add(Session.SYN, 0, 300 * US);
    if (refused) {
      s.add(Session.SERVER_RST, 0, scripts.rtt());
    } else {
      s.add(Session.SYN, 1, SEC);
      s.add(Session.SYN, 1, 2 * SEC);
    }
  }
}
