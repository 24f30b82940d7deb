package dev.egret.synth;

import dev.egret.synth.SiteWorld.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The medical practice of the {@link SiteOptions.Profile#CLINIC} profile: its devices and the
 * outside services they use. The router (10.1.0.53) is the site's resolver and forwards upstream; a
 * NAS backs up to cloud storage every night; a lab-interface server keeps an HL7 link (tcp/2575) to
 * one partner address; card terminals, printers, IP cameras and VoIP phones have fixed addresses in
 * 10.1.0.0/24 and 10.1.1.0/24; reception PCs (Windows, dual-stack) are at 10.1.2.10 onwards; the
 * doctors' laptops take their addresses from a DHCP pool from 10.1.2.100 ({@link ClinicLeases}), so
 * an address is a different laptop on different days. Outside addresses come only from RFC 5737,
 * RFC 2544's 198.18.0.0/15 and RFC 3849's 2001:db8::/32, names only from reserved names (RFC 2606,
 * RFC 6761).
 */
final class ClinicWorld {
  static final int ROUTER = 0;
  static final int NAS = 1;
  static final int LAB = 2;
  static final int CARD = 3;
  static final int PRINTER = 4;
  static final int CAMERA = 5;
  static final int PHONE = 6;
  static final int RECEPTION = 7;
  static final int LAPTOP = 8;

  static final int[] UPSTREAM_DNS = {Catalog.v4(192, 0, 2, 53), Catalog.v4(192, 0, 2, 54)};
  static final int PUBLIC_RESOLVER_V4 = Catalog.v4(192, 0, 2, 153);
  static final int HL7_PARTNER_V4 = Catalog.v4(192, 0, 2, 75);
  static final int HL7_PORT = 2575;
  static final int SIP_PORT = 5060;
  static final int SIP_TLS_PORT = 5061;

  /** The VoIP provider's media servers, 198.18.160.0/22: named only in SIP's SDP, never in DNS. */
  static final int MEDIA_BASE = Catalog.v4(198, 18, 160, 0);

  static final int MEDIA_NETS = 4;

  /** The phones' local RTP ports (a desk phone's default range). */
  static final int RTP_LOW = 11780;

  static final int POOL_BASE = Catalog.v4(10, 1, 2, 100);

  private static final String[] POPULAR = {
    "portal.labpartner.example",
    "claims.insurer.example.org",
    "eprescribe.pharmacy.example.net",
    "medref.example.org",
    "guidelines.health.example",
    "mail.example.com",
    "news.example.com",
    "maps.example",
    "bank.example.org",
    "search.example",
    "weather.example.net",
    "supplies.example.com",
  };
  private static final String[] SYLLABLES = {
    "aspen", "brook", "cedar", "dune", "elm", "fern", "glen", "heath", "iris", "jade", "kelp",
    "linden", "moss", "nettle", "olive", "pine", "quill", "reed", "sage", "thyme",
  };

  final List<Host> hosts = new ArrayList<>();
  final List<Host> printers = new ArrayList<>();
  final List<Host> cards = new ArrayList<>();
  final List<Host> cameras = new ArrayList<>();
  final List<Host> phones = new ArrayList<>();
  final List<Host> receptions = new ArrayList<>();

  /** The laptops, with no address of their own: {@link ClinicLeases} gives one each day. */
  final List<Host> laptops = new ArrayList<>();

  final Host router;
  final Host nas;

  /** The lab-interface server; on a small site the first reception PC runs the interface. */
  final Host lab;

  final int poolSize;

  /** Sites the desks visit, at stable addresses; even ones also answer AAAA. */
  final Service[] popular = new Service[POPULAR.length];

  /** Which of {@link #popular} each reception PC, then each laptop, uses. */
  final int[][] profiles;

  final Service practice;
  final Service practiceApi;
  final Service sip;
  final Service provisioning;
  final Service payment;
  final Service tms;
  final Service hl7;
  final Service winTime;
  final Service printerCloud;
  final Service nasUpdate;
  final Service routerUpdate;

  private int fresh;

  ClinicWorld(SiteOptions options, SplittableRandom rnd) {
    int n = options.hosts();
    router = add(ROUTER, Catalog.RESOLVER_V4);
    nas = add(NAS, Catalog.v4(10, 1, 0, 20));
    int receptionCount = Math.max(1, n / 8);
    int phoneCount = Math.max(1, n / 5);
    int cameraCount = Math.max(1, n / 10);
    int printerCount = n >= 8 ? Math.max(1, n / 15) : 0;
    int cardCount = n >= 8 ? Math.max(1, n / 20) : 0;
    Host labHost = n >= 12 ? add(LAB, Catalog.v4(10, 1, 0, 25)) : null;
    for (int i = 0; i < cardCount; i++) {
      cards.add(add(CARD, Catalog.v4(10, 1, 0, 40 + i)));
    }
    for (int i = 0; i < printerCount; i++) {
      printers.add(add(PRINTER, Catalog.v4(10, 1, 0, 60 + i)));
    }
    for (int i = 0; i < cameraCount; i++) {
      cameras.add(add(CAMERA, Catalog.v4(10, 1, 1, 20 + i)));
    }
    for (int i = 0; i < phoneCount; i++) {
      phones.add(add(PHONE, Catalog.v4(10, 1, 1, 100 + i)));
    }
    for (int i = 0; i < receptionCount; i++) {
      receptions.add(add(RECEPTION, Catalog.v4(10, 1, 2, 10 + i)));
    }
    while (hosts.size() < n) {
      laptops.add(add(LAPTOP, 0));
    }
    lab = labHost != null ? labHost : receptions.get(0);
    poolSize = laptops.size() + 2;
    for (int k = 0; k < POPULAR.length; k++) {
      long[] v6 =
          k % 2 == 0
              ? new long[] {0x20010db8_00b00000L | k, 1, 0x20010db8_00b00000L | k, 2}
              : new long[0];
      popular[k] =
          Service.of(
              POPULAR[k],
              Service.WEB,
              443,
              new String[0],
              new int[] {Catalog.v4(198, 18, 240, 1 + 2 * k), Catalog.v4(198, 18, 240, 2 + 2 * k)},
              v6,
              null);
    }
    profiles = SiteWorld.profiles(receptions.size() + laptops.size(), 4, POPULAR.length, rnd);
    practice =
        Service.of(
            "app.practicecloud.example",
            Service.TLS,
            443,
            new String[] {"lb.practicecloud.example"},
            new int[] {Catalog.v4(192, 0, 2, 100), Catalog.v4(192, 0, 2, 101)},
            new long[] {0x20010db8_00500000L, 0x100, 0x20010db8_00500000L, 0x101},
            null);
    practiceApi = fixed("api.practicecloud.example", Service.TLS, 443, Catalog.v4(192, 0, 2, 102));
    sip =
        Service.of(
            "sip.voicecarrier.example",
            Service.TLS,
            SIP_PORT,
            new String[0],
            new int[] {Catalog.v4(192, 0, 2, 60), Catalog.v4(192, 0, 2, 61)},
            new long[0],
            null);
    provisioning =
        fixed("prov.voicecarrier.example", Service.TLS, 443, Catalog.v4(192, 0, 2, 62)).ttl(3600);
    payment =
        Service.of(
            "pay.cardproc.example",
            Service.TLS,
            443,
            new String[0],
            new int[] {Catalog.v4(192, 0, 2, 80), Catalog.v4(192, 0, 2, 81)},
            new long[0],
            null);
    tms = fixed("tms.cardproc.example", Service.TLS, 443, Catalog.v4(192, 0, 2, 82));
    hl7 = fixed("hl7-partner", Service.TLS, HL7_PORT, HL7_PARTNER_V4);
    winTime = fixed("time.winsoft.example", Service.NTP, 123, Catalog.v4(192, 0, 2, 123)).ttl(3600);
    printerCloud =
        fixed("telemetry.printvendor.example", Service.TLS, 443, Catalog.v4(192, 0, 2, 91));
    nasUpdate = fixed("update.nasvendor.example", Service.TLS, 443, Catalog.v4(192, 0, 2, 92));
    routerUpdate = fixed("fw.routervendor.example", Service.TLS, 443, Catalog.v4(192, 0, 2, 93));
  }

  private Host add(int role, int v4) {
    Host h = new Host(hosts.size(), role, v4);
    hosts.add(h);
    return h;
  }

  /** Reception PCs are dual-stack (a stable address in fd00:1:0:1::/64). */
  static boolean hasV6(Host h) {
    return h.role() == RECEPTION;
  }

  /** Desk {@code w}'s popular sites: reception PCs first, then laptops. */
  int[] profile(Host h) {
    int w = h.role() == RECEPTION ? receptions.indexOf(h) : receptions.size() + laptopIndex(h);
    return profiles[w];
  }

  /** Which laptop {@code h} is (its MAC, not its address of the day). */
  int laptopIndex(Host h) {
    return h.index() - laptops.get(0).index();
  }

  /** The operating system updater's names on one day: Windows Update and Defender, 20-30 s TTLs. */
  static Service winUpdate(SplittableRandom rnd) {
    return OfficeWorld.cdn(
        "update.winsoft.example",
        "wu.edge.example.net",
        Service.TLS,
        443,
        Catalog.v4(198, 18, 0, 0),
        16,
        0x20010db8_00a10000L,
        8,
        30,
        rnd);
  }

  static Service defender(SplittableRandom rnd) {
    return OfficeWorld.cdn(
        "defs.winsoft.example",
        "wu.edge.example.net",
        Service.TLS,
        443,
        Catalog.v4(198, 18, 0, 0),
        16,
        0,
        4,
        20,
        rnd);
  }

  /** The office suite's mail and files, answered with new addresses every hour (TTL 60 s). */
  static Service suite(SplittableRandom rnd) {
    return OfficeWorld.cdn(
        "outlook.office-suite.example",
        "outlook.ha.example.net",
        Service.TLS,
        443,
        Catalog.v4(198, 18, 64, 0),
        32,
        0x20010db8_00c10000L,
        4,
        60,
        rnd);
  }

  static Service suiteLogin(SplittableRandom rnd) {
    return OfficeWorld.cdn(
        "login.office-suite.example",
        null,
        Service.TLS,
        443,
        Catalog.v4(198, 18, 96, 0),
        8,
        0x20010db8_00c20000L,
        4,
        60,
        rnd);
  }

  static Service macUpdate(SplittableRandom rnd) {
    return OfficeWorld.cdn(
        "swupdate.fruit.example",
        "swupdate.cdn.example.net",
        Service.TLS,
        443,
        Catalog.v4(198, 18, 128, 0),
        8,
        0,
        2,
        120,
        rnd);
  }

  static Service cameraMqtt(SplittableRandom rnd) {
    return OfficeWorld.cdn(
        "mqtt.camcloud.example",
        null,
        Service.TLS,
        8883,
        Catalog.v4(198, 18, 176, 0),
        16,
        0,
        4,
        60,
        rnd);
  }

  static Service cameraUpload(SplittableRandom rnd) {
    return OfficeWorld.cdn(
        "upload.camcloud.example",
        "upload.lb.example.net",
        Service.TLS,
        443,
        Catalog.v4(198, 18, 192, 0),
        16,
        0,
        2,
        60,
        rnd);
  }

  static Service backup(SplittableRandom rnd) {
    return OfficeWorld.cdn(
        "backup.objstore.example",
        "s3.objstore.example",
        Service.TLS,
        443,
        Catalog.v4(198, 18, 208, 0),
        16,
        0x20010db8_00d10000L,
        4,
        60,
        rnd);
  }

  /** A name never seen before, at an address of its own: a new site. */
  Service newSite(SplittableRandom rnd) {
    String name =
        "www."
            + SYLLABLES[rnd.nextInt(SYLLABLES.length)]
            + SYLLABLES[rnd.nextInt(SYLLABLES.length)]
            + (fresh++)
            + ".example";
    int a = Catalog.v4(198, 19, 0, 0) + rnd.nextInt(0x8000);
    if ((a & 0xff) == 0 || (a & 0xff) == 255) {
      a ^= 1;
    }
    return Service.of(name, Service.WEB, 443, new String[0], new int[] {a}, new long[0], null);
  }

  /** One media server of the VoIP provider, as SIP's SDP names it for one call. */
  static int mediaServer(SplittableRandom rnd) {
    return MEDIA_BASE + (rnd.nextInt(MEDIA_NETS) << 8) + 1 + rnd.nextInt(254);
  }

  static Service fixed(String name, int kind, int port, int v4) {
    return OfficeWorld.fixed(name, kind, port, v4, null);
  }
}
