package dev.egret.synth;

import static dev.egret.synth.OfficePlanner.BEACON_JITTER;
import static dev.egret.synth.OfficePlanner.BEACON_PERIOD;
import static dev.egret.synth.OfficePlanner.HOUR;
import static dev.egret.synth.OfficePlanner.MINUTE;
import static dev.egret.synth.Scripts.MS;
import static dev.egret.synth.Scripts.SEC;

import dev.egret.synth.OfficePlanner.Kind;
import dev.egret.synth.OfficePlanner.Visit;
import dev.egret.synth.SiteWorld.Host;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The office's last day ({@link OfficePlanner}): an application server beacons over HTTPS to a new
 * name every 60 s with jitter and fetches a payload over plain HTTP from an address with no name;
 * another tunnels data in long random labels to the outside resolver a workstation uses, and sends
 * UDP from source ports 53 and 123 to a high port; a third brute-forces SSH outward; the build host
 * opens a reverse shell on tcp/443; a printer scans the LAN; a device never seen before calls out.
 */
final class OfficeAttacks {
  private OfficeAttacks() {}

  static void add(OfficeWorld world, List<Visit> v, int d, long dayStart, SplittableRandom rnd) {
    Host app = world.apps.get(0);
    Host app2 = world.apps.get(1);
    Service c2 =
        OfficeWorld.fixed(
                "cdn.statsync-metrics.example", Service.TLS, 443, Catalog.v4(203, 0, 113, 99), null)
            .ttl(60);
    int i = 0;
    for (long t = dayStart + 9 * HOUR; t < dayStart + 15 * HOUR; t += BEACON_PERIOD, i++) {
      long jitter = (long) ((rnd.nextDouble() * 2 - 1) * BEACON_JITTER);
      v.add(new Visit(t + jitter, Kind.BEACON, app, c2, d, i % 5 == 0, 0, 0));
    }
    for (long t = dayStart + 20 * HOUR; t < dayStart + 22 * HOUR; t += 30 * SEC) {
      Service q = OfficeScripts.tunnelQuery(rnd);
      v.add(
          new Visit(
              t + rnd.nextInt(20_000) * MS,
              Kind.TUNNEL,
              app2,
              q,
              d,
              false,
              53,
              OfficeWorld.PUBLIC_RESOLVER_V4));
    }
    Host brute = world.apps.get(world.apps.size() - 1);
    Service sshd =
        OfficeWorld.fixed(
            "203.0.113.22",
            Service.BANNER,
            22,
            Catalog.v4(203, 0, 113, 22),
            "SSH-2.0-OpenSSH_8.9p1\r\n");
    long t = dayStart + 2 * HOUR;
    for (int k = 0; k < 150; k++, t += (2 + rnd.nextInt(4)) * SEC) {
      v.add(new Visit(t, Kind.BRUTE_FORCE, brute, sshd, d, false, 22, 0));
    }
    Service payload =
        OfficeWorld.fixed("198.51.100.80", Service.HTTP, 80, Catalog.v4(198, 51, 100, 80), null);
    v.add(
        new Visit(
            dayStart + 8 * HOUR + rnd.nextInt(3600) * SEC,
            Kind.PAYLOAD,
            app,
            payload,
            d,
            false,
            80,
            0));
    Service shell =
        OfficeWorld.fixed("203.0.113.7", Service.TLS, 443, Catalog.v4(203, 0, 113, 7), null);
    v.add(
        new Visit(
            dayStart + 3 * HOUR + 11 * MINUTE, Kind.SHELL, world.ci, shell, d, false, 443, 0));
    Service exfil =
        OfficeWorld.fixed("203.0.113.53", Service.TLS, 41234, Catalog.v4(203, 0, 113, 53), null);
    v.add(new Visit(dayStart + 4 * HOUR, Kind.SOURCE_PORT, app2, exfil, d, false, 53, 0));
    v.add(
        new Visit(
            dayStart + 4 * HOUR + 7 * MINUTE, Kind.SOURCE_PORT, app2, exfil, d, false, 123, 0));
    Host printer = world.printers.get(0);
    t = dayStart + 13 * HOUR + rnd.nextInt(3600) * SEC;
    for (int k = 1; k <= 100; k++) {
      int target = Catalog.v4(10, 1, 2, k);
      Service probe = OfficeWorld.fixed("probe", Service.TLS, 0, target, null);
      v.add(new Visit(t + k * 100 * MS, Kind.LAN_SCAN, printer, probe, d, false, 23, 0));
      v.add(new Visit(t + k * 100 * MS + 30 * MS, Kind.LAN_SCAN, printer, probe, d, false, 445, 0));
    }
    Host rogue = new Host(world.hosts.size(), OfficeWorld.WORKSTATION, Catalog.v4(10, 1, 3, 77));
    Service cam =
        OfficeWorld.fixed(
            "update.iot-cam.example", Service.TLS, 443, Catalog.v4(198, 51, 100, 150), null);
    for (int k = 0; k < 30; k++) {
      v.add(
          new Visit(
              dayStart + 16 * HOUR + k * 2 * MINUTE, Kind.ROGUE, rogue, cam, d, false, 443, 0));
    }
  }
}
