package dev.egret.synth;

import static dev.egret.synth.Scripts.SEC;

import dev.egret.synth.SiteWorld.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What each device of the clinic ({@link ClinicWorld}) does on each day. The practice opens on
 * weekdays 08:00-18:00 and Saturday mornings, and is closed on Sundays; the router, the NAS, the
 * lab interface, the card terminals' management link, the phones and the cameras work around the
 * clock. Names behind CDNs get new addresses every hour (TTLs of 20-60 s), the backup store every
 * day; NTP comes from a huge pool. The desks are {@link ClinicDesks}', the phones and cameras
 * {@link ClinicDevices}', the last day's attacks {@link ClinicAttacks}', scripts and labels {@link
 * ClinicScripts}'.
 */
final class ClinicPlanner implements SitePlan<ClinicPlanner.Visit> {
  static final long MINUTE = 60 * SEC;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;
  static final int NTP_SOURCES = 4;
  static final long NTP_POLL = 1024 * SEC;

  /** What a visit is, with the behaviour its flows are labelled with. */
  enum Kind {
    FORWARD("dns-forward"),
    NTP_POOL("ntp-pool"),
    NTP_WIN("ntp"),
    ROUTER_UPDATE("firmware-check"),
    BACKUP("nas-backup"),
    NAS_UPDATE("nas-update"),
    SMB("file-share"),
    HL7("hl7-lab"),
    PRACTICE("practice-saas"),
    PRACTICE_API("practice-api"),
    PAYMENT("card-payment"),
    TMS("card-terminal-management"),
    PRINT("print"),
    PRINTER_CLOUD("printer-telemetry"),
    MQTT("camera-mqtt"),
    CAMERA_UPLOAD("camera-upload"),
    SIP_REGISTER("sip-register"),
    SIP_CALL("sip-call"),
    SIP_TLS("sip-tls"),
    RTP("rtp-media"),
    RTCP("rtcp-media"),
    PROVISION("phone-provisioning"),
    WIN_UPDATE("windows-update"),
    DEFENDER("defender-update"),
    SUITE("office-suite"),
    SUITE_LOGIN("office-suite-login"),
    MAC_UPDATE("os-update"),
    BROWSE("browse"),
    BROWSE_NEW("browse-new"),
    MIRAI_SCAN("mirai-telnet-scan"),
    MIRAI_C2("mirai-c2"),
    BEACON("ransomware-beacon"),
    EXFIL("ransomware-exfil"),
    SMB_SWEEP("ransomware-smb-sweep"),
    TOLL_SIP("toll-fraud-sip"),
    TOLL_MEDIA("toll-fraud-media"),
    TUNNEL("dns-tunnel"),
    TUNNEL_FORWARD("dns-tunnel-forward"),
    ATTACK_FORWARD("attack-dns-forward"),
    SOURCE_PORT("source-port-trick"),
    OUTSIDE_DNS("outside-resolver"),
    RAW_TLS("tls-unnamed-address"),
    SPOOFED_SNI("tls-spoofed-sni"),
    SHELL("reverse-shell-443");

    final String behaviour;

    Kind(String behaviour) {
      this.behaviour = behaviour;
    }

    boolean malicious() {
      return compareTo(MIRAI_SCAN) >= 0;
    }

    boolean forward() {
      return this == FORWARD || this == TUNNEL_FORWARD || this == ATTACK_FORWARD;
    }
  }

  /**
   * One conversation to script at {@code start}; {@code resolve}: looked up first (through the site
   * resolver); {@code port} the destination port where the kind does not fix it; {@code address} a
   * fixed IPv4 destination, 0 for one of the service's; {@code sourcePort} a fixed source port, -1
   * for an ephemeral one; {@code length} how long a call's media or a long-lived connection lasts
   * (0: as its script makes it). A laptop's {@code host} carries its address of the day.
   */
  record Visit(
      long start,
      Kind kind,
      Host host,
      Service service,
      int day,
      boolean resolve,
      int port,
      int address,
      int sourcePort,
      long length)
      implements SitePlan.Timed {
    Visit(
        long start,
        Kind kind,
        Host host,
        Service service,
        int day,
        boolean resolve,
        int port,
        int address,
        int sourcePort) {
      this(start, kind, host, service, day, resolve, port, address, sourcePort, 0);
    }

    /** The same visit with a length. */
    Visit lasting(long nanos) {
      return new Visit(start, kind, host, service, day, resolve, port, address, sourcePort, nanos);
    }

    /** The same visit to one fixed address. */
    Visit to(int v4) {
      return new Visit(start, kind, host, service, day, resolve, port, v4, sourcePort, length);
    }

    /** The same visit to {@code port} from {@code source}. */
    Visit ports(int dst, int source) {
      return new Visit(start, kind, host, service, day, resolve, dst, address, source, length);
    }
  }

  private final ClinicWorld world;
  private final SiteOptions options;
  private final ClinicScripts scripts;
  private final ClinicDesks desks;
  private final ClinicDevices devices;
  private final ClinicLeases leases;
  private final Service[] routerSources = new Service[1];

  ClinicPlanner(ClinicWorld world, SiteOptions options, Scripts scripts, Labels labels) {
    this.world = world;
    this.options = options;
    this.scripts = new ClinicScripts(world, scripts, labels);
    this.desks = new ClinicDesks(world);
    this.devices = new ClinicDevices(world);
    this.leases = new ClinicLeases(ClinicWorld.POOL_BASE, world.poolSize);
  }

  @Override
  public void script(Session s, Visit v) {
    scripts.script(s, v);
  }

  @Override
  public List<Visit> day(int d, long dayStart, SplittableRandom rnd) {
    List<Visit> v = new ArrayList<>();
    ClinicDay today = today(d, dayStart, rnd);
    router(v, today, rnd);
    nas(v, today, rnd);
    lab(v, today, rnd);
    for (Host h : world.cards) {
      if (today.isOpen()) {
        for (int i = (int) ((today.close() - today.open()) / HOUR) * 3 + rnd.nextInt(15);
            i > 0;
            i--) {
          long t = today.open() + (long) (rnd.nextDouble() * (today.close() - today.open()));
          v.add(visit(v, rnd, dayStart + t, Kind.PAYMENT, h, world.payment, d));
        }
      }
      every(v, h, today, HOUR, 5 * MINUTE, Kind.TMS, world.tms, rnd);
    }
    for (Host h : world.printers) {
      v.add(visit(v, rnd, dayStart + anytime(rnd), Kind.PRINTER_CLOUD, h, world.printerCloud, d));
      devices.sntp(v, h, today, 6 * HOUR, rnd);
    }
    for (Host h : world.phones) {
      devices.phone(v, h, today, rnd);
    }
    for (Host h : world.cameras) {
      devices.camera(v, h, today, rnd);
    }
    for (Host h : world.receptions) {
      desks.reception(v, h, today, rnd);
    }
    boolean[] present = new boolean[world.laptops.size()];
    for (int i = 0; i < present.length; i++) {
      double p = !today.isOpen() ? 0 : today.close() - today.open() < 6 * HOUR ? 0.25 : 0.75;
      present[i] = rnd.nextDouble() < p;
    }
    List<Host> laptops = leases.day(world.laptops, present, rnd);
    for (Host h : laptops) {
      desks.laptop(v, h, today, rnd);
    }
    if (d == options.days() - 1) {
      ClinicAttacks.add(world, v, today, laptops, rnd);
    }
    SitePlan.forwardCacheMisses(
        v,
        Visit::resolve,
        x -> x.kind().forward(),
        Visit::service,
        x ->
            new Visit(
                x.start() - SitePlanner.FORWARD_LEAD,
                x.kind() == Kind.TUNNEL
                    ? Kind.TUNNEL_FORWARD
                    : x.kind().malicious() ? Kind.ATTACK_FORWARD : Kind.FORWARD,
                world.router,
                x.service(),
                x.day(),
                false,
                53,
                0,
                -1));
    return v;
  }

  private ClinicDay today(int d, long dayStart, SplittableRandom rnd) {
    long epochDay = Math.floorDiv(options.start().getEpochSecond(), 86_400L) + d;
    int weekday = (int) Math.floorMod(epochDay + 3, 7L); // 0 = Monday; 1970-01-01 was a Thursday
    long open = weekday == 6 ? -1 : 8 * HOUR;
    long close = weekday == 6 ? -1 : weekday == 5 ? 12 * HOUR : 18 * HOUR;
    Service[] winUpdate = new Service[24];
    Service[] defender = new Service[24];
    Service[] suite = new Service[24];
    Service[] login = new Service[24];
    Service[] mqtt = new Service[24];
    Service[] upload = new Service[24];
    for (int i = 0; i < 24; i++) {
      winUpdate[i] = ClinicWorld.winUpdate(rnd);
      defender[i] = ClinicWorld.defender(rnd);
      suite[i] = ClinicWorld.suite(rnd);
      login[i] = ClinicWorld.suiteLogin(rnd);
      mqtt[i] = ClinicWorld.cameraMqtt(rnd);
      upload[i] = ClinicWorld.cameraUpload(rnd);
    }
    return new ClinicDay(
        d,
        dayStart,
        open,
        close,
        winUpdate,
        defender,
        suite,
        login,
        ClinicWorld.macUpdate(rnd),
        mqtt,
        upload,
        ClinicWorld.backup(rnd));
  }

  /**
   * The router: its NTP daemon looks the pool up once a day and polls four sources every 1024 s
   * from port 123 (the previous day's until then), and it checks for firmware once a day, asking
   * upstream for the name itself first.
   */
  private void router(List<Visit> v, ClinicDay today, SplittableRandom rnd) {
    Host h = world.router;
    int d = today.day();
    long switchAt = d == 0 ? rnd.nextInt(60) * SEC : rnd.nextInt(6 * 3600) * SEC;
    Service fresh = OfficeWorld.ntpPool(NTP_SOURCES, rnd);
    Service old = routerSources[0];
    v.add(new Visit(today.dayStart() + switchAt, Kind.FORWARD, h, fresh, d, false, 53, 0, -1));
    for (int i = 0; i < NTP_SOURCES; i++) {
      long phase = rnd.nextInt(1024) * SEC;
      for (long t = phase; t < DAY - SEC; t += NTP_POLL) {
        Service set = t < switchAt ? old : fresh;
        if (set != null) {
          v.add(
              new Visit(
                  today.dayStart() + t, Kind.NTP_POOL, h, set, d, false, 123, set.v4[i], 123));
        }
      }
    }
    routerSources[0] = fresh;
    long check = today.dayStart() + anytime(rnd);
    v.add(
        new Visit(
            check - SitePlanner.FORWARD_LEAD,
            Kind.FORWARD,
            h,
            world.routerUpdate,
            d,
            false,
            53,
            0,
            -1));
    v.add(new Visit(check, Kind.ROUTER_UPDATE, h, world.routerUpdate, d, false, 443, 0, -1));
  }

  /**
   * The NAS: a nightly backup to cloud storage in six to ten long uploads from 01:00, a daily
   * update check, SNTP every six hours.
   */
  private void nas(List<Visit> v, ClinicDay today, SplittableRandom rnd) {
    Host h = world.nas;
    int d = today.day();
    long t = today.dayStart() + HOUR + rnd.nextInt(1800) * SEC;
    for (int i = 6 + rnd.nextInt(5); i > 0; i--) {
      v.add(visit(v, rnd, t, Kind.BACKUP, h, today.backup(), d));
      t += (1 + rnd.nextInt(4)) * MINUTE;
    }
    v.add(visit(v, rnd, today.dayStart() + anytime(rnd), Kind.NAS_UPDATE, h, world.nasUpdate, d));
    devices.sntp(v, h, today, 6 * HOUR, rnd);
  }

  /**
   * The lab interface: the HL7 link to the partner every 10 minutes around the clock (by address,
   * never looked up), results posted to the practice's API every 5 minutes, and Windows' updaters
   * and clock.
   */
  private void lab(List<Visit> v, ClinicDay today, SplittableRandom rnd) {
    Host h = world.lab;
    int d = today.day();
    Scripts.jittered(
        DAY,
        10 * MINUTE,
        2 * MINUTE,
        rnd,
        at ->
            v.add(
                new Visit(
                    today.dayStart() + at,
                    Kind.HL7,
                    h,
                    world.hl7,
                    d,
                    false,
                    ClinicWorld.HL7_PORT,
                    0,
                    -1)));
    every(v, h, today, 5 * MINUTE, MINUTE, Kind.PRACTICE_API, world.practiceApi, rnd);
    if (h.role() == ClinicWorld.LAB) {
      Scripts.jittered(
          DAY,
          4 * HOUR,
          30 * MINUTE,
          rnd,
          at -> {
            long t = today.dayStart() + at;
            v.add(visit(v, rnd, t, Kind.WIN_UPDATE, h, today.winUpdate()[ClinicDay.hour(at)], d));
            v.add(
                visit(
                    v, rnd, t + MINUTE, Kind.DEFENDER, h, today.defender()[ClinicDay.hour(at)], d));
          });
      every(v, h, today, 8 * HOUR, HOUR, Kind.NTP_WIN, world.winTime, rnd);
    }
  }

  private Visit visit(
      List<Visit> v, SplittableRandom rnd, long at, Kind kind, Host h, Service svc, int d) {
    return visit(world, v, rnd, at, kind, h, svc, d);
  }

  /** A visit looked up first, plus now and then the resolver's forward (a cache miss). */
  static Visit visit(
      ClinicWorld world,
      List<Visit> v,
      SplittableRandom rnd,
      long at,
      Kind kind,
      Host h,
      Service svc,
      int d) {
    if (rnd.nextDouble() < (svc.ttl <= 60 ? 0.8 : 0.35)) {
      v.add(
          new Visit(
              at - SitePlanner.FORWARD_LEAD, Kind.FORWARD, world.router, svc, d, false, 53, 0, -1));
    }
    return new Visit(at, kind, h, svc, d, true, 0, 0, -1);
  }

  private void every(
      List<Visit> v,
      Host h,
      ClinicDay today,
      long period,
      long jitter,
      Kind kind,
      Service svc,
      SplittableRandom rnd) {
    every(world, v, h, today, period, jitter, kind, svc, rnd);
  }

  /** Visits every {@code period} (jittered) around the clock, each looked up first. */
  static void every(
      ClinicWorld world,
      List<Visit> v,
      Host h,
      ClinicDay today,
      long period,
      long jitter,
      Kind kind,
      Service svc,
      SplittableRandom rnd) {
    Scripts.jittered(
        DAY,
        period,
        jitter,
        rnd,
        at -> v.add(visit(world, v, rnd, today.dayStart() + at, kind, h, svc, today.day())));
  }

  /** An exponential gap of mean {@code minutes}, in nanoseconds, at least a second. */
  static long gap(SplittableRandom rnd, double minutes) {
    return SEC + (long) (-Math.log(1 - rnd.nextDouble()) * minutes * MINUTE);
  }

  static long anytime(SplittableRandom rnd) {
    return (long) (rnd.nextDouble() * (DAY - MINUTE));
  }
}
