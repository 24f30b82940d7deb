package dev.egret.synth;

import dev.egret.synth.SiteWorld.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The office of the {@link SiteOptions.Profile#OFFICE} profile: its hosts and the outside services
 * they use. A directory server (Kerberos, LDAP, SMB, NTP, and the site's resolver at 10.1.0.53),
 * application servers calling cloud APIs, a build host, printers in 10.1.1.0/24 and workstations
 * from 10.1.2.0. Some hosts also have a stable IPv6 address in fd00:1:0:1::/64, and some services
 * answer AAAA as well as A. Outside addresses come only from RFC 5737, RFC 2544's 198.18.0.0/15 and
 * RFC 3849's 2001:db8::/32, names only from reserved names (RFC 2606, RFC 6761).
 */
final class OfficeWorld {
  static final int DC = 0;
  static final int APP = 1;
  static final int CI = 2;
  static final int PRINTER = 3;
  static final int WORKSTATION = 4;

  /** A workstation whose user resolves some names through an outside resolver directly. */
  static final int OUTSIDE_DNS_USER = 1;

  /** A workstation whose browser speaks DNS over TLS (tcp/853) to an outside resolver. */
  static final int DOT_USER = 2;

  static final int PUBLIC_RESOLVER_V4 = Catalog.v4(192, 0, 2, 153);
  static final int[] UPSTREAM_DNS = {Catalog.v4(192, 0, 2, 53), Catalog.v4(192, 0, 2, 54)};

  /** Media relays of the video-call provider: reached by address, never looked up. */
  static final int MEDIA_RELAYS = Catalog.v4(198, 18, 200, 0);

  static final int MEDIA_RELAY_NETS = 4;

  private static final String[] POPULAR = {
    "mail.example.com", "chat.example.net", "docs.example.org", "video.example.com",
    "search.example", "wiki.example.net", "crm.example.org", "news.example.com",
    "maps.example", "shop.example.net", "bank.example.org", "travel.example.com",
  };
  private static final String[] SYLLABLES = {
    "amber", "birch", "coral", "delta", "ember", "fjord", "gale", "harbor", "indigo", "juniper",
    "kite", "lumen", "meadow", "nova", "orbit", "prism", "quartz", "ridge", "sable", "tundra",
  };
  private static final String[] REGISTRIES = {
    "registry.npm.example", "files.pypi.example", "repo.maven.example.org",
    "proxy.golang.example", "ghcr.example.com", "objects.githubusercontent.example",
  };

  final List<Host> hosts = new ArrayList<>();
  final List<Host> apps = new ArrayList<>();
  final List<Host> printers = new ArrayList<>();
  final List<Host> workstations = new ArrayList<>();
  final Host dc;
  final Host ci;

  /** Sites every workstation may visit, at stable addresses; even ones also answer AAAA. */
  final Service[] popular = new Service[POPULAR.length];

  /** Which of {@link #popular} each workstation uses. */
  final int[][] profiles;

  /** The directory server's services, as destinations. */
  final Service directory;

  final Service idp;
  final Service smarthost;
  final Service git;
  final Service firmware;
  final Service dot;
  final Service meet;
  final Service publicResolver;

  private int fresh;

  OfficeWorld(SiteOptions options, SplittableRandom rnd) {
    int n = options.hosts();
    dc = add(DC, Catalog.RESOLVER_V4);
    ci = add(CI, Catalog.v4(10, 1, 0, 60));
    int appCount = Math.max(2, Math.min(20, n / 8));
    for (int i = 0; i < appCount; i++) {
      apps.add(add(APP, Catalog.v4(10, 1, 0, 100 + i)));
    }
    int printerCount = Math.max(1, Math.min(10, n / 15));
    for (int i = 0; i < printerCount; i++) {
      printers.add(add(PRINTER, Catalog.v4(10, 1, 1, 10 + i)));
    }
    for (int i = 0; hosts.size() < n; i++) {
      workstations.add(add(WORKSTATION, Catalog.v4(10, 1, 2 + i / 250, 1 + i % 250)));
    }
    for (int k = 0; k < POPULAR.length; k++) {
      long[] v6 =
          k % 2 == 0
              ? new long[] {0x20010db8_00a00000L | k, 1, 0x20010db8_00a00000L | k, 2}
              : new long[0];
      popular[k] =
          Service.of(
              POPULAR[k],
              Service.WEB,
              443,
              new String[0],
              new int[] {Catalog.v4(198, 18, 10, 1 + 2 * k), Catalog.v4(198, 18, 10, 2 + 2 * k)},
              v6,
              null);
    }
    profiles = SiteWorld.profiles(workstations.size(), 4, POPULAR.length, rnd); // [0], mail
    directory = fixed("dc1.corp.example", Service.TLS, 0, dc.v4(), null);
    idp =
        Service.of(
            "login.idp.example",
            Service.TLS,
            443,
            new String[0],
            new int[] {Catalog.v4(192, 0, 2, 40), Catalog.v4(192, 0, 2, 41)},
            new long[] {0x20010db8_00400000L, 0x40, 0x20010db8_00400000L, 0x41},
            null);
    smarthost =
        fixed(
                "smtp.relay.example.net",
                Service.BANNER,
                587,
                Catalog.v4(192, 0, 2, 25),
                "220 smtp.relay.example.net ESMTP\r\n")
            .ttl(3600);
    git =
        fixed(
            "git.example.com",
            Service.BANNER,
            22,
            Catalog.v4(192, 0, 2, 22),
            "SSH-2.0-babeld-8a4d8c0c\r\n");
    firmware = fixed("fw.printvendor.example", Service.TLS, 443, Catalog.v4(192, 0, 2, 90), null);
    dot = fixed("dns.resolver.example", Service.TLS, 853, Catalog.v4(192, 0, 2, 253), null);
    meet =
        Service.of(
            "meet.example.com",
            Service.TLS,
            443,
            new String[] {"meet.edge.example.net"},
            new int[] {Catalog.v4(198, 18, 199, 10), Catalog.v4(198, 18, 199, 11)},
            new long[0],
            null);
    publicResolver = fixed("resolver", Service.TLS, 53, PUBLIC_RESOLVER_V4, null);
  }

  private Host add(int role, int v4) {
    Host h = new Host(hosts.size(), role, v4);
    hosts.add(h);
    return h;
  }

  /** Application servers with an even index and every third workstation also speak IPv6. */
  boolean hasV6(Host h) {
    return switch (h.role()) {
      case APP -> apps.indexOf(h) % 2 == 0;
      case WORKSTATION -> workstations.indexOf(h) % 3 == 0;
      default -> false;
    };
  }

  /**
   * A name behind a CDN: {@code count} addresses from {@code nets} /24s starting at {@code base}
   * (and as many IPv6 ones under {@code v6Hi} when it is not 0), answered through {@code edge}.
   */
  static Service cdn(
      String name,
      String edge,
      int kind,
      int port,
      int base,
      int nets,
      long v6Hi,
      int count,
      int ttl,
      SplittableRandom rnd) {
    int[] v4 = new int[count];
    long[] v6 = new long[v6Hi == 0 ? 0 : 2 * count];
    for (int i = 0; i < count; i++) {
      v4[i] = base + (rnd.nextInt(nets) << 8) + 1 + rnd.nextInt(254);
      if (v6Hi != 0) {
        v6[2 * i] = v6Hi | rnd.nextInt(0x10000);
        v6[2 * i + 1] = 1 + rnd.nextInt(0xffff);
      }
    }
    String[] cn = edge == null ? new String[0] : new String[] {edge};
    return Service.of(name, kind, port, cn, v4, v6, null).ttl(ttl);
  }

  /** The package registries the build host fetches from, as they answer on one day. */
  Service[] registries(SplittableRandom rnd) {
    Service[] out = new Service[REGISTRIES.length];
    for (int i = 0; i < out.length; i++) {
      int base = Catalog.v4(198, 18, 80 + 8 * i, 0);
      out[i] =
          cdn(
              REGISTRIES[i],
              "r" + i + ".edge.example.net",
              Service.TLS,
              443,
              base,
              8,
              0,
              4,
              60,
              rnd);
    }
    return out;
  }

  /** A name never seen before, at an address of its own: a new site or download host. */
  Service newSite(String prefix, SplittableRandom rnd) {
    String name =
        prefix
            + "."
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

  /** {@code count} addresses of a huge NTP pool (198.19.128.0/17), new on every call. */
  static Service ntpPool(int count, SplittableRandom rnd) {
    int[] v4 = new int[count];
    for (int i = 0; i < count; i++) {
      v4[i] = Catalog.v4(198, 19, 128, 0) + rnd.nextInt(0x8000);
      if ((v4[i] & 0xff) == 0 || (v4[i] & 0xff) == 255) {
        v4[i] ^= 1;
      }
    }
    return Service.of("pool.ntp.example", Service.NTP, 123, new String[0], v4, new long[0], null)
        .ttl(150);
  }

  /** One address of {@code svc}, as a service of its own (an NTP source, a media relay). */
  static Service one(Service svc, int v4) {
    return Service.of(
        svc.name, svc.kind, svc.port, new String[0], new int[] {v4}, new long[0], null);
  }

  static Service fixed(String name, int kind, int port, int v4, String banner) {
    return Service.of(name, kind, port, new String[0], new int[] {v4}, new long[0], banner);
  }
}
