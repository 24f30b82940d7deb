package dev.egret.synth;

import static dev.egret.synth.Scripts.MS;
import static dev.egret.synth.Scripts.SEC;

import dev.egret.synth.Labels.Direction;
import dev.egret.synth.SiteWorld.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What each host of the site does on each day ({@link #day}) and the script of each of those
 * conversations ({@link #script}), labelling every flow as it is scripted. The last day adds the
 * hostile behaviour: a payload download by a web server, two beacons every 30 s with jitter (one
 * answered over TLS from a web server, one never answered on tcp/25 from a workstation), a scan
 * from a workstation and a reverse shell from the database, which otherwise never talks outward.
 */
final class SitePlanner implements SitePlan<SitePlanner.Visit> {
  /**
   * How long before a client's query the resolver's forwarded query goes out: its answer comes 10
   * ms plus a quarter of a round trip (at most 118 ms) after it, so before the client's query.
   */
  static final long FORWARD_LEAD = 50 * Scripts.MS;

  static final long MINUTE = 60 * SEC;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;
  static final long BEACON_PERIOD = 30 * SEC;
  static final long BEACON_JITTER = 3 * SEC;

  /** What a visit is. */
  enum Kind {
    BROWSE,
    API,
    DATABASE,
    MAIL,
    NTP,
    INBOUND,
    BACKUP,
    OPEN,
    FORWARD,
    PAYLOAD,
    BEACON_TLS,
    BEACON_SMTP,
    SCAN,
    SHELL,
  }

  /** One conversation to script at {@code start}; {@code resolve}: looked up first. */
  record Visit(long start, Kind kind, Host host, Service service, int day, boolean resolve)
      implements SitePlan.Timed {}

  private final SiteWorld world;
  private final SiteOptions options;
  private final Scripts scripts;
  private final Labels labels;
  private final int backupDay;
  private final Conversations conversations;

  /** Each host's next source port: handed out in turn, so two flows never share a 5-tuple. */
  private final int[] nextPort;

  SitePlanner(SiteWorld world, SiteOptions options, Scripts scripts, Labels labels, int backupDay) {
    this.world = world;
    this.options = options;
    this.scripts = scripts;
    this.labels = labels;
    this.backupDay = backupDay;
    this.conversations = new Conversations(scripts);
    nextPort = new int[world.hosts.size()];
    for (int i = 0; i < nextPort.length; i++) {
      nextPort[i] = scripts.ephemeral();
    }
  }

  private int port(Host h) {
    int p = nextPort[h.index()];
    nextPort[h.index()] = p == 60999 ? 32768 : p + 1;
    return p;
  }

  @Override
  public List<Visit> day(int d, long dayStart, SplittableRandom rnd) {
    List<Visit> v = new ArrayList<>();
    Service payments =
        world.api(
            "api.payments.example",
            "payments.edge.cdn.example",
            new int[] {Catalog.v4(198, 18, 2, 0), Catalog.v4(198, 18, 4, 0)},
            rnd);
    Service updates =
        world.api(
            "updates.vendor.example",
            "vendor.edge.cdn.example",
            new int[] {Catalog.v4(198, 18, 3, 0)},
            rnd);
    for (Host h : world.hosts) {
      switch (h.role()) {
        case SiteWorld.WORKSTATION -> {
          int[] profile = world.profiles[world.workstations.indexOf(h)];
          for (int i = 15 + rnd.nextInt(15); i > 0; i--) {
            Service site = world.popular[profile[rnd.nextInt(profile.length)]];
            v.add(
                visit(
                    v,
                    rnd,
                    dayStart + office(rnd),
                    Kind.BROWSE,
                    h,
                    site,
                    d,
                    rnd.nextDouble() < 0.7));
          }
          for (int i = 8 + rnd.nextInt(10); i > 0; i--) {
            v.add(
                visit(v, rnd, dayStart + office(rnd), Kind.BROWSE, h, world.newSite(rnd), d, true));
          }
          every(v, h, d, dayStart, 2 * HOUR, 10 * MINUTE, Kind.NTP, null, rnd);
          if (d == 0) {
            v.add(
                new Visit(
                    dayStart + rnd.nextInt(2000) * MS, Kind.OPEN, h, world.popular[0], d, false));
          }
        }
        case SiteWorld.WEB -> {
          every(v, h, d, dayStart, 15 * MINUTE, 2 * MINUTE, Kind.API, payments, rnd);
          every(v, h, d, dayStart, HOUR, 5 * MINUTE, Kind.API, updates, rnd);
          every(v, h, d, dayStart, 30 * MINUTE, 3 * MINUTE, Kind.API, world.partnerApi, rnd);
          every(v, h, d, dayStart, 10 * MINUTE, MINUTE, Kind.DATABASE, world.database, rnd);
          every(v, h, d, dayStart, HOUR, 5 * MINUTE, Kind.NTP, null, rnd);
          for (int i = 80 + rnd.nextInt(40); i > 0; i--) {
            v.add(new Visit(dayStart + anytime(rnd), Kind.INBOUND, h, world.shop, d, false));
          }
          if (d == 0) {
            v.add(
                new Visit(
                    dayStart + rnd.nextInt(2000) * MS, Kind.OPEN, h, world.database, d, false));
          }
        }
        case SiteWorld.MAIL -> {
          for (int i = 4 + rnd.nextInt(5); i > 0; i--) {
            v.add(visit(v, rnd, dayStart + anytime(rnd), Kind.MAIL, h, world.partnerMx, d, true));
          }
          for (int i = 10 + rnd.nextInt(11); i > 0; i--) {
            v.add(visit(v, rnd, dayStart + anytime(rnd), Kind.MAIL, h, world.newMx(rnd), d, true));
          }
          every(v, h, d, dayStart, HOUR, 5 * MINUTE, Kind.NTP, null, rnd);
        }
        case SiteWorld.RESOLVER -> every(v, h, d, dayStart, HOUR, 5 * MINUTE, Kind.NTP, null, rnd);
        default -> {} // the database never starts a conversation
      }
    }
    if (weekday(d) == backupDay) {
      long at = dayStart + 2 * HOUR + rnd.nextInt(600) * SEC;
      v.add(visit(v, rnd, at, Kind.BACKUP, world.webs.get(0), world.backup, d, true));
    }
    if (d == options.days() - 1) {
      hostile(v, d, dayStart, rnd);
    }
    SitePlan.forwardCacheMisses(
        v,
        Visit::resolve,
        x -> x.kind() == Kind.FORWARD,
        Visit::service,
        x ->
            new Visit(
                x.start() - FORWARD_LEAD,
                Kind.FORWARD,
                world.resolver,
                x.service(),
                x.day(),
                false));
    return v;
  }

  private void hostile(List<Visit> v, int d, long dayStart, SplittableRandom rnd) {
    Host web = world.webs.get(world.webs.size() - 1);
    v.add(
        new Visit(
            dayStart + 10 * HOUR + rnd.nextInt(3600) * SEC,
            Kind.PAYLOAD,
            world.webs.get(0),
            world.payload,
            d,
            false));
    beacon(v, web, world.beaconTls, Kind.BEACON_TLS, dayStart + HOUR, 6 * HOUR, d, rnd);
    Host ws = world.workstations.get(0);
    beacon(v, ws, world.beaconSmtp, Kind.BEACON_SMTP, dayStart + 13 * HOUR, 3 * HOUR, d, rnd);
    Host scanner = world.workstations.get(world.workstations.size() - 1);
    long t = dayStart + 11 * HOUR + rnd.nextInt(3600) * SEC;
    for (int i = 1; i <= 120; i++) {
      v.add(new Visit(t + i * 100 * MS, Kind.SCAN, scanner, world.scan, d, false));
    }
    v.add(
        new Visit(dayStart + 3 * HOUR + 17 * MINUTE, Kind.SHELL, world.db, world.shell, d, false));
  }

  private static void beacon(
      List<Visit> v,
      Host h,
      Service svc,
      Kind kind,
      long from,
      long length,
      int d,
      SplittableRandom rnd) {
    for (long t = from; t < from + length; t += BEACON_PERIOD) {
      long jitter = (long) ((rnd.nextDouble() * 2 - 1) * BEACON_JITTER);
      v.add(new Visit(t + jitter, kind, h, svc, d, false));
    }
  }

  /**
   * A visit, plus the resolver's forwarded query when the lookup misses its cache. The resolver's
   * exchange upstream ({@link #FORWARD_LEAD} before the client's query, its answer at most 40 ms
   * after the query) is over before the client connects, as a resolver answers a miss only once
   * upstream has: a sensor at the site's edge, which sees only that exchange, sees the answer
   * first.
   */
  private Visit visit(
      List<Visit> v,
      SplittableRandom rnd,
      long at,
      Kind kind,
      Host h,
      Service svc,
      int d,
      boolean resolve) {
    if (resolve && rnd.nextDouble() < 0.35) {
      v.add(new Visit(at - FORWARD_LEAD, Kind.FORWARD, world.resolver, svc, d, false));
    }
    return new Visit(at, kind, h, svc, d, resolve);
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
      SplittableRandom rnd) {
    Service s = svc != null ? svc : world.ntp[h.index() % world.ntp.length];
    Scripts.jittered(
        DAY,
        period,
        jitter,
        rnd,
        at ->
            v.add(
                kind == Kind.API
                    ? visit(v, rnd, dayStart + at, kind, h, s, d, true)
                    : new Visit(dayStart + at, kind, h, s, d, false)));
  }

  private int weekday(int d) {
    long epochDay = Math.floorDiv(options.start().getEpochSecond(), 86_400L) + d;
    return (int) Math.floorMod(epochDay, 7L);
  }

  /** 08:00 to 18:00. */
  private static long office(SplittableRandom rnd) {
    return 8 * HOUR + (long) (rnd.nextDouble() * 10 * HOUR);
  }

  private static long anytime(SplittableRandom rnd) {
    return (long) (rnd.nextDouble() * (DAY - MINUTE));
  }

  @Override
  public void script(Session s, Visit v) {
    s.reset();
    s.trojan = false;
    Host h = v.host();
    scripts.host(s, h.index());
    s.vlan = -1;
    s.client4 = h.v4();
    s.clientLo = 0x100L + h.index();
    s.dnsPort = port(h);
    if (v.resolve()) {
      scripts.lookup(s);
      label(v, s.client4, Catalog.RESOLVER_V4, "udp", 53, "dns-lookup", Direction.INTERNAL);
    }
    switch (v.kind()) {
      case BROWSE -> {
        scripts.server(s, v.service());
        boolean http = scripts.rnd().nextDouble() < 0.12;
        scripts.tcp(s, http ? Session.APP_HTTP : Session.APP_TLS, http ? 80 : 443);
      }
      case API, PAYLOAD, BEACON_TLS -> {
        scripts.server(s, v.service());
        boolean http = v.kind() == Kind.PAYLOAD;
        scripts.tcp(s, http ? Session.APP_HTTP : Session.APP_TLS, v.service().port);
      }
      case DATABASE, MAIL, BACKUP -> {
        scripts.server(s, v.service());
        scripts.tcp(s, Session.APP_BANNER, v.service().port);
      }
      case NTP -> {
        scripts.server(s, v.service());
        s.clientPort = h.role() == SiteWorld.WORKSTATION ? scripts.ephemeral() : 123;
        s.serverPort = 123;
        s.add(Session.NTP_REQUEST, 0, 0);
        s.add(Session.NTP_RESPONSE, 0, scripts.rtt());
      }
      case FORWARD -> {
        s.service = v.service();
        s.server4 = SiteWorld.UPSTREAM_DNS[scripts.rnd().nextInt(SiteWorld.UPSTREAM_DNS.length)];
        s.clientPort = scripts.ephemeral();
        s.serverPort = 53;
        scripts.upstream(s);
      }
      case INBOUND -> conversations.inbound(s, v);
      case OPEN -> conversations.open(s, v);
      case BEACON_SMTP -> conversations.unanswered(s, v, 25, true);
      case SCAN -> conversations.scanProbe(s, v);
      case SHELL -> conversations.shell(s, v);
      default -> throw new IllegalStateException("unplanned " + v.kind());
    }
    if (s.clientPort != 123) {
      s.clientPort = port(h);
    }
    boolean malicious = v.kind().compareTo(Kind.PAYLOAD) >= 0;
    if (v.kind() == Kind.INBOUND) {
      label(v, s.client4, s.server4, "tcp", s.serverPort, "inbound-web", Direction.INBOUND);
    } else {
      String proto = v.kind() == Kind.NTP || v.kind() == Kind.FORWARD ? "udp" : "tcp";
      Direction dir =
          v.kind() == Kind.DATABASE || v.kind() == Kind.OPEN && h.role() == SiteWorld.WEB
              ? Direction.INTERNAL
              : Direction.EGRESS;
      label(v, s.client4, s.server4, proto, s.serverPort, malicious, behaviour(v), dir);
    }
  }

  private void label(
      Visit v, int src, int dst, String proto, int port, String behaviour, Direction dir) {
    label(v, src, dst, proto, port, false, behaviour, dir);
  }

  private void label(
      Visit v,
      int src,
      int dst,
      String proto,
      int port,
      boolean malicious,
      String behaviour,
      Direction dir) {
    labels.add(v.day() + 1, src, dst, proto, port, malicious, behaviour, dir);
  }

  private static String behaviour(Visit v) {
    return switch (v.kind()) {
      case BROWSE -> "browse";
      case API -> "api";
      case DATABASE -> "database";
      case MAIL -> "mail-delivery";
      case NTP -> "ntp";
      case BACKUP -> "weekly-backup";
      case OPEN -> "open-at-start";
      case FORWARD -> "dns-forward";
      case PAYLOAD -> "payload-download";
      case BEACON_TLS -> "beacon-tls";
      case BEACON_SMTP -> "beacon-smtp";
      case SCAN -> "scan";
      case SHELL -> "reverse-shell";
      case INBOUND -> "inbound-web";
    };
  }
}
