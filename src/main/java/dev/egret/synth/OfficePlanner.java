package dev.egret.synth;

import static dev.egret.synth.Scripts.MS;
import static dev.egret.synth.Scripts.SEC;

import dev.egret.synth.SiteWorld.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What each host of the office ({@link OfficeWorld}) does on each day. Servers work every day;
 * workstations work office hours on weekdays, a few on weekends, and laptops are away some days.
 * Names behind CDNs get new addresses every day, the cloud API every hour, with TTLs of 60 s; NTP
 * sources come from a huge pool, new each day. The last day adds hostile behaviour ({@link
 * #hostile}). Scripts and labels are {@link OfficeScripts}'.
 */
final class OfficePlanner implements SitePlan<OfficePlanner.Visit> {
  static final long MINUTE = 60 * SEC;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;
  static final long BEACON_PERIOD = 60 * SEC;
  static final long BEACON_JITTER = 10 * SEC;
  static final int NTP_SOURCES = 4;
  static final long NTP_POLL = 1024 * SEC;

  /** What a visit is, with the behaviour its flows are labelled with. */
  enum Kind {
    CLOUD_API("cloud-api"),
    IDP("identity-provider"),
    MONITOR("monitoring-agent"),
    MIRROR("package-mirror"),
    SMARTHOST("smarthost"),
    NTP_POOL("ntp-pool"),
    NTP_DC("ntp"),
    FORWARD("dns-forward"),
    DIRECTORY_TCP("directory"),
    DIRECTORY_UDP("directory"),
    REGISTRY("package-registry"),
    DOWNLOAD("build-download"),
    GIT("git-ssh"),
    BROWSE("browse"),
    QUIC("browse-quic"),
    MEET("video-call"),
    MEDIA("video-call-media"),
    UPDATER("software-update"),
    OUTSIDE_DNS("dns-outside-resolver"),
    DOT("dns-over-tls"),
    PRINT("print"),
    FIRMWARE("firmware-check"),
    BEACON("beacon-https"),
    TUNNEL("dns-tunnel"),
    BRUTE_FORCE("ssh-brute-force"),
    PAYLOAD("payload-http"),
    SHELL("reverse-shell-443"),
    SOURCE_PORT("udp-source-port-trick"),
    LAN_SCAN("lan-scan"),
    ROGUE("unknown-device");

    final String behaviour;

    Kind(String behaviour) {
      this.behaviour = behaviour;
    }

    boolean malicious() {
      return compareTo(BEACON) >= 0;
    }
  }

  /**
   * One conversation to script at {@code start}; {@code resolve}: looked up first (through the site
   * resolver); {@code port} the destination port where the kind does not fix it; {@code address} a
   * fixed IPv4 destination, 0 for one of the service's.
   */
  record Visit(
      long start,
      Kind kind,
      Host host,
      Service service,
      int day,
      boolean resolve,
      int port,
      int address)
      implements SitePlan.Timed {}

  private final OfficeWorld world;
  private final SiteOptions options;
  private final OfficeScripts scripts;
  private final OfficeDesks desks;

  /** Each NTP client's pool sources, carried from one day to the next. */
  private final Service[] ntpSources;

  OfficePlanner(OfficeWorld world, SiteOptions options, Scripts scripts, Labels labels) {
    this.world = world;
    this.options = options;
    this.scripts = new OfficeScripts(world, scripts, labels);
    this.ntpSources = new Service[world.hosts.size()];
    this.desks = new OfficeDesks(world);
  }

  @Override
  public void script(Session s, Visit v) {
    scripts.script(s, v);
  }

  @Override
  public List<Visit> day(int d, long dayStart, SplittableRandom rnd) {
    List<Visit> v = new ArrayList<>();
    boolean weekend = weekend(d);
    Service[] cloud = new Service[24];
    for (int i = 0; i < cloud.length; i++) {
      cloud[i] =
          OfficeWorld.cdn(
              "api.cloudstore.example",
              "cloudstore.edge.example.net",
              Service.TLS,
              443,
              Catalog.v4(198, 18, 32, 0),
              32,
              0x20010db8_0c100000L,
              2,
              60,
              rnd);
    }
    Service monitor =
        OfficeWorld.cdn(
            "ingest.monitor.example",
            "ingest.lb.example.net",
            Service.TLS,
            443,
            Catalog.v4(198, 18, 68, 0),
            3,
            0,
            2,
            60,
            rnd);
    Service mirror =
        OfficeWorld.cdn(
            "deb.mirror.example",
            "mirror.cdn.example.net",
            Service.HTTP,
            80,
            Catalog.v4(198, 18, 72, 0),
            4,
            0,
            2,
            300,
            rnd);
    Service browserUpdate =
        OfficeWorld.cdn(
            "update.browser.example",
            "browser.cdn.example.net",
            Service.TLS,
            443,
            Catalog.v4(198, 18, 76, 0),
            2,
            0x20010db8_0b000000L,
            2,
            300,
            rnd);
    Service suiteUpdate =
        OfficeWorld.cdn(
            "update.suite.example",
            null,
            Service.TLS,
            443,
            Catalog.v4(198, 18, 78, 0),
            2,
            0,
            2,
            300,
            rnd);
    Service[] registries = world.registries(rnd);
    for (Host h : world.hosts) {
      switch (h.role()) {
        case OfficeWorld.DC -> ntp(v, h, d, dayStart, rnd);
        case OfficeWorld.APP -> {
          double busy = weekend ? 0.5 : 1;
          for (long t = gap(rnd, 4 / busy); t < DAY - MINUTE; t += gap(rnd, 4 / busy)) {
            v.add(
                visit(world, v, rnd, dayStart + t, Kind.CLOUD_API, h, cloud[(int) (t / HOUR)], d));
          }
          every(v, h, d, dayStart, 30 * MINUTE, 3 * MINUTE, Kind.IDP, world.idp, true, 0, rnd);
          every(v, h, d, dayStart, 10 * MINUTE, 20 * SEC, Kind.MONITOR, monitor, true, 0, rnd);
          mirror(v, h, d, dayStart, mirror, rnd);
          int mails = weekend ? rnd.nextInt(3) : 3 + rnd.nextInt(8);
          for (int i = 0; i < mails; i++) {
            v.add(
                visit(
                    world, v, rnd, dayStart + anytime(rnd), Kind.SMARTHOST, h, world.smarthost, d));
          }
          every(
              v,
              h,
              d,
              dayStart,
              15 * MINUTE,
              MINUTE,
              Kind.DIRECTORY_TCP,
              world.directory,
              false,
              389,
              rnd);
          every(
              v,
              h,
              d,
              dayStart,
              2 * HOUR,
              5 * MINUTE,
              Kind.DIRECTORY_TCP,
              world.directory,
              false,
              88,
              rnd);
          ntp(v, h, d, dayStart, rnd);
        }
        case OfficeWorld.CI -> {
          int builds = weekend ? rnd.nextInt(5) : 15 + rnd.nextInt(26);
          for (int b = 0; b < builds; b++) {
            build(v, h, d, dayStart + office(rnd), registries, rnd);
          }
          mirror(v, h, d, dayStart, mirror, rnd);
          every(
              v,
              h,
              d,
              dayStart,
              30 * MINUTE,
              2 * MINUTE,
              Kind.DIRECTORY_TCP,
              world.directory,
              false,
              389,
              rnd);
          ntp(v, h, d, dayStart, rnd);
        }
        case OfficeWorld.PRINTER -> {
          every(v, h, d, dayStart, HOUR, 2 * MINUTE, Kind.NTP_DC, world.directory, false, 123, rnd);
          v.add(visit(world, v, rnd, dayStart + anytime(rnd), Kind.FIRMWARE, h, world.firmware, d));
          for (int i = weekend ? 0 : rnd.nextInt(4); i > 0; i--) {
            v.add(
                visit(
                    world, v, rnd, dayStart + office(rnd), Kind.SMARTHOST, h, world.smarthost, d));
          }
          for (int i = weekend ? 0 : rnd.nextInt(5); i > 0; i--) {
            v.add(
                new Visit(
                    dayStart + office(rnd),
                    Kind.DIRECTORY_TCP,
                    h,
                    world.directory,
                    d,
                    false,
                    445,
                    0));
          }
        }
        default -> desks.day(v, h, d, dayStart, weekend, browserUpdate, suiteUpdate, rnd);
      }
    }
    if (d == options.days() - 1) {
      OfficeAttacks.add(world, v, d, dayStart, rnd);
    }
    SitePlan.forwardCacheMisses(
        v,
        Visit::resolve,
        x -> x.kind() == Kind.FORWARD,
        Visit::service,
        x ->
            new Visit(
                x.start() - SitePlanner.FORWARD_LEAD,
                Kind.FORWARD,
                world.dc,
                x.service(),
                x.day(),
                false,
                53,
                0));
    return v;
  }

  /** A CI build: git over SSH, then packages from two to four registries, rarely a new host. */
  private void build(
      List<Visit> v, Host h, int d, long t, Service[] registries, SplittableRandom rnd) {
    v.add(visit(world, v, rnd, t, Kind.GIT, h, world.git, d));
    for (int r = 2 + rnd.nextInt(3); r > 0; r--) {
      Service reg = registries[rnd.nextInt(registries.length)];
      long at = t + (5 + rnd.nextInt(60)) * SEC;
      v.add(visit(world, v, rnd, at, Kind.REGISTRY, h, reg, d));
      for (int i = rnd.nextInt(3); i > 0; i--) {
        v.add(new Visit(at + (i + 1) * 300 * MS, Kind.REGISTRY, h, reg, d, false, 0, 0));
      }
    }
    if (rnd.nextDouble() < 0.08) {
      v.add(visit(world, v, rnd, t + 90 * SEC, Kind.DOWNLOAD, h, world.newSite("dl", rnd), d));
    }
  }

  /** apt twice a day: three fetches from the mirror each time. */
  private void mirror(
      List<Visit> v, Host h, int d, long dayStart, Service m, SplittableRandom rnd) {
    for (long base : new long[] {6 * HOUR, 18 * HOUR}) {
      long t = dayStart + base + rnd.nextInt(3600) * SEC;
      v.add(visit(world, v, rnd, t, Kind.MIRROR, h, m, d));
      v.add(new Visit(t + 2 * SEC, Kind.MIRROR, h, m, d, false, 0, 0));
      v.add(new Visit(t + 4 * SEC, Kind.MIRROR, h, m, d, false, 0, 0));
    }
  }

  /**
   * A server's NTP client: it looks the pool up once a day at a random hour and polls its four
   * sources every 1024 s, the previous day's sources until then.
   */
  private void ntp(List<Visit> v, Host h, int d, long dayStart, SplittableRandom rnd) {
    long switchAt = d == 0 ? rnd.nextInt(60) * SEC : rnd.nextInt(6 * 3600) * SEC;
    Service fresh = OfficeWorld.ntpPool(NTP_SOURCES, rnd);
    Service old = ntpSources[h.index()];
    if (h.role() == OfficeWorld.DC) {
      v.add(new Visit(dayStart + switchAt, Kind.FORWARD, h, fresh, d, false, 53, 0));
    }
    for (int i = 0; i < NTP_SOURCES; i++) {
      long phase = rnd.nextInt(1024) * SEC;
      for (long t = phase; t < DAY - SEC; t += NTP_POLL) {
        Service set = t < switchAt ? old : fresh;
        if (set == null) {
          continue;
        }
        boolean lookup =
            set == fresh && i == 0 && t - switchAt < NTP_POLL && h.role() != OfficeWorld.DC;
        long at = lookup ? switchAt : t;
        v.add(new Visit(dayStart + at, Kind.NTP_POOL, h, set, d, lookup, 123, set.v4[i]));
        if (lookup && rnd.nextDouble() < 0.8) {
          v.add(
              new Visit(
                  dayStart + at - SitePlanner.FORWARD_LEAD,
                  Kind.FORWARD,
                  world.dc,
                  set,
                  d,
                  false,
                  53,
                  0));
        }
      }
    }
    ntpSources[h.index()] = fresh;
  }

  /** A visit looked up first, plus the resolver's forwarded query when the answer is not cached. */
  static Visit visit(
      OfficeWorld world,
      List<Visit> v,
      SplittableRandom rnd,
      long at,
      Kind kind,
      Host h,
      Service svc,
      int d) {
    if (rnd.nextDouble() < (svc.ttl <= 60 ? 0.8 : 0.35)) {
      v.add(new Visit(at - SitePlanner.FORWARD_LEAD, Kind.FORWARD, world.dc, svc, d, false, 53, 0));
    }
    return new Visit(at, kind, h, svc, d, true, 0, 0);
  }

  private void every(
      List<Visit> v,
      Host h,
      int d,
      long dayStart,
      long period,
      long jitter,
      Kind kind,
      Service svc,
      boolean resolve,
      int port,
      SplittableRandom rnd) {
    Scripts.jittered(
        DAY,
        period,
        jitter,
        rnd,
        at ->
            v.add(
                resolve
                    ? visit(world, v, rnd, dayStart + at, kind, h, svc, d)
                    : new Visit(dayStart + at, kind, h, svc, d, false, port, 0)));
  }

  /** An exponential gap of mean {@code minutes}, in nanoseconds, at least a second. */
  private static long gap(SplittableRandom rnd, double minutes) {
    return SEC + (long) (-Math.log(1 - rnd.nextDouble()) * minutes * MINUTE);
  }

  /** Saturday or Sunday (UTC). */
  private boolean weekend(int d) {
    long epochDay = Math.floorDiv(options.start().getEpochSecond(), 86_400L) + d;
    return Math.floorMod(epochDay + 3, 7L) >= 5; // 1970-01-01 was a Thursday
  }

  /** 08:00 to 19:00. */
  private static long office(SplittableRandom rnd) {
    return 8 * HOUR + (long) (rnd.nextDouble() * 11 * HOUR);
  }

  private static long anytime(SplittableRandom rnd) {
    return (long) (rnd.nextDouble() * (DAY - MINUTE));
  }
}
