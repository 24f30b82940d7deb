package dev.egret.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The site of the scenario: its hosts by role and the outside world they talk to. Internal hosts
 * are in 10.1.0.0/16 (servers in 10.1.0.0/24, workstations from 10.1.2.0); outside addresses come
 * only from ranges reserved for documentation and benchmarking (RFC 5737, RFC 2544's
 * 198.18.0.0/15), names only from reserved top-level names (RFC 2606 {@code .example}).
 */
final class SiteWorld {
  static final int WEB = 0;
  static final int MAIL = 1;
  static final int DB = 2;
  static final int RESOLVER = 3;
  static final int WORKSTATION = 4;

  static final String[] ROLE_NAMES = {"web", "mail", "db", "resolver", "workstation"};

  /** An internal host; {@code index} also picks its MAC address. */
  record Host(int index, int role, int v4) {}

  static final int DB_PORT = 5432;
  static final int[] UPSTREAM_DNS = {Catalog.v4(192, 0, 2, 53), Catalog.v4(192, 0, 2, 54)};
  static final int PAYLOAD_V4 = Catalog.v4(198, 51, 100, 66);
  static final int BEACON_TLS_V4 = Catalog.v4(203, 0, 113, 99);
  static final int BEACON_SMTP_V4 = Catalog.v4(203, 0, 113, 25);
  static final int SHELL_V4 = Catalog.v4(203, 0, 113, 7);
  static final int SHELL_PORT = 4444;
  static final int SCAN_PORT = 445;

  private static final String[] SYLLABLES = {
    "blue", "fox", "mint", "oak", "star", "lake", "pixel", "north", "river", "stone", "maple",
    "cloud", "iron", "sun", "leaf", "wave", "bright", "quick", "green", "bay",
  };
  private static final String[] POPULAR = {
    "chat.example.com", "portal.example.net", "docs.example.org", "video.example.net",
    "search.example", "wiki.example.org", "crm.example.com", "files.example.net",
    "calendar.example.com", "news.example.org", "maps.example", "shop.example.com",
    "weather.example.net", "code.example.org", "tickets.example.com", "learn.example.net",
  };

  final List<Host> hosts = new ArrayList<>();
  final List<Host> webs = new ArrayList<>();
  final List<Host> workstations = new ArrayList<>();
  final Host mail;
  final Host db;
  final Host resolver;

  /** Sites every workstation may visit, at stable addresses. */
  final Service[] popular = new Service[POPULAR.length];

  final Service partnerApi;
  final Service partnerMx;
  final Service backup;
  final Service[] ntp;
  final Service database;
  final Service shop;
  final Service payload;
  final Service beaconTls;
  final Service beaconSmtp;
  final Service shell;
  final Service scan;

  /** Which of each workstation's popular sites it uses. */
  final int[][] profiles;

  private int fresh;

  SiteWorld(SiteOptions options, SplittableRandom rnd) {
    int n = options.hosts();
    int webCount = Math.min(40, Math.max(2, n / 10));
    for (int i = 0; i < webCount; i++) {
      webs.add(add(WEB, Catalog.v4(10, 1, 0, 80 + i)));
    }
    mail = add(MAIL, Catalog.v4(10, 1, 0, 25));
    db = add(DB, Catalog.v4(10, 1, 0, 5));
    resolver = add(RESOLVER, Catalog.RESOLVER_V4);
    for (int i = 0; hosts.size() < n; i++) {
      workstations.add(add(WORKSTATION, Catalog.v4(10, 1, 2 + i / 250, 1 + i % 250)));
    }
    for (int k = 0; k < POPULAR.length; k++) {
      popular[k] =
          Service.of(
              POPULAR[k],
              Service.WEB,
              443,
              new String[0],
              new int[] {Catalog.v4(198, 18, 1, 1 + 2 * k), Catalog.v4(198, 18, 1, 2 + 2 * k)},
              new long[0],
              null);
    }
    profiles = profiles(workstations.size(), 6, POPULAR.length, rnd); // [0], chat: everyone's
    partnerApi = tls("api.partner.example.net", Catalog.v4(203, 0, 113, 40));
    partnerMx = banner("mx.partner.example.org", Catalog.v4(203, 0, 113, 50), 25, smtp("partner"));
    backup =
        banner(
            "backup.offsite.example",
            Catalog.v4(203, 0, 113, 80),
            22,
            "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
    ntp =
        new Service[] {
          Service.of(
              "ntp1.time.example",
              Service.NTP,
              123,
              new String[0],
              new int[] {Catalog.v4(192, 0, 2, 123)},
              new long[0],
              null),
          Service.of(
              "ntp2.time.example",
              Service.NTP,
              123,
              new String[0],
              new int[] {Catalog.v4(192, 0, 2, 124)},
              new long[0],
              null),
        };
    database = banner("db.corp.example", db.v4(), DB_PORT, "R\0\0\0\010\0\0\0\0");
    shop = tls("www.shop.example", webs.get(0).v4());
    payload =
        Service.of(
            "198.51.100.66",
            Service.HTTP,
            80,
            new String[0],
            new int[] {PAYLOAD_V4},
            new long[0],
            null);
    beaconTls = tls("sync.cdn-telemetry.example", BEACON_TLS_V4);
    beaconSmtp = banner("smtp.bulk-mail.example", BEACON_SMTP_V4, 25, smtp("bulk"));
    shell = tls("203.0.113.7", SHELL_V4);
    scan = tls("scan.example", Catalog.v4(198, 51, 100, 1));
  }

  private Host add(int role, int v4) {
    Host h = new Host(hosts.size(), role, v4);
    hosts.add(h);
    return h;
  }

  /** A web site never seen before, at an address of its own. */
  Service newSite(SplittableRandom rnd) {
    return Service.of(
        "www." + freshName(rnd) + ".example",
        Service.WEB,
        443,
        new String[0],
        new int[] {wideAddress(rnd)},
        new long[0],
        null);
  }

  /** A mail exchanger of a domain never seen before. */
  Service newMx(SplittableRandom rnd) {
    String domain = freshName(rnd) + ".example";
    return banner("mx1." + domain, wideAddress(rnd), 25, smtp(domain));
  }

  /**
   * A CDN-backed API whose two addresses change every day, answered through a CNAME (the name the
   * host asks for stays the same).
   */
  Service api(String name, String edge, int[] prefixes, SplittableRandom rnd) {
    int[] v4 = new int[2];
    for (int i = 0; i < v4.length; i++) {
      v4[i] = prefixes[rnd.nextInt(prefixes.length)] | (1 + rnd.nextInt(254));
    }
    return Service.of(name, Service.TLS, 443, new String[] {edge}, v4, new long[0], null);
  }

  private String freshName(SplittableRandom rnd) {
    return SYLLABLES[rnd.nextInt(SYLLABLES.length)]
        + SYLLABLES[rnd.nextInt(SYLLABLES.length)]
        + (fresh++);
  }

  /** An address in 198.18.16.0 - 198.19.255.255, away from the fixed ones. */
  private static int wideAddress(SplittableRandom rnd) {
    int base = Catalog.v4(198, 18, 16, 0);
    int span = 2 * 65536 - 16 * 256;
    int a = base + rnd.nextInt(span);
    int last = a & 0xff;
    return last == 0 || last == 255 ? a ^ 1 : a;
  }

  private static Service tls(String name, int v4) {
    return Service.of(name, Service.TLS, 443, new String[0], new int[] {v4}, new long[0], null);
  }

  private static Service banner(String name, int v4, int port, String banner) {
    return Service.of(
        name, Service.BANNER, port, new String[0], new int[] {v4}, new long[0], banner);
  }

  private static String smtp(String domain) {
    return "220 " + domain + " ESMTP ready\r\n";
  }

  /**
   * Each workstation's usual sites: {@code least} to {@code least + 4} indices into a list of
   * {@code popular} sites, the first (index 0) everyone's, the others drawn at random (repeats
   * allowed).
   */
  static int[][] profiles(int workstations, int least, int popular, SplittableRandom rnd) {
    int[][] out = new int[workstations][];
    for (int w = 0; w < out.length; w++) {
      int[] pick = new int[least + rnd.nextInt(5)];
      for (int i = 1; i < pick.length; i++) {
        pick[i] = 1 + rnd.nextInt(popular - 1);
      }
      out[w] = pick;
    }
    return out;
  }
}
