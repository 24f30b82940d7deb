package dev.egret.synth;

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
 * A workstation's day in the office ({@link OfficePlanner}): away on most weekends and, for a
 * laptop, on some weekdays; otherwise logon to the directory server, NTP from it, its usual sites
 * and new ones over HTTPS, HTTP or QUIC, software updaters, video calls, printing, and for two of
 * them lookups that skip the site resolver (an outside resolver, DNS over TLS).
 */
final class OfficeDesks {
  private final OfficeWorld world;

  OfficeDesks(OfficeWorld world) {
    this.world = world;
  }

  void day(
      List<Visit> v,
      Host h,
      int d,
      long dayStart,
      boolean weekend,
      Service browserUpdate,
      Service suiteUpdate,
      SplittableRandom rnd) {
    int w = world.workstations.indexOf(h);
    boolean laptop = w % 5 == 4;
    if (weekend ? rnd.nextDouble() >= 0.15 : laptop && rnd.nextDouble() < 0.3) {
      return; // away today
    }
    long from = weekend ? (9 + rnd.nextInt(8)) * HOUR : 8 * HOUR + rnd.nextInt(3600) * SEC;
    long length = weekend ? 2 * HOUR : 9 * HOUR;
    long to = from + length;
    v.add(new Visit(dayStart + from, Kind.DIRECTORY_UDP, h, world.directory, d, false, 88, 0));
    v.add(
        new Visit(
            dayStart + from + 50 * MS, Kind.DIRECTORY_TCP, h, world.directory, d, false, 88, 0));
    v.add(
        new Visit(
            dayStart + from + 90 * MS, Kind.DIRECTORY_UDP, h, world.directory, d, false, 389, 0));
    for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
      long t = from + (long) (rnd.nextDouble() * length);
      v.add(new Visit(dayStart + t, Kind.DIRECTORY_TCP, h, world.directory, d, false, 389, 0));
      v.add(
          new Visit(
              dayStart + t + 200 * MS, Kind.DIRECTORY_TCP, h, world.directory, d, false, 445, 0));
    }
    for (long t = from + rnd.nextInt(3600) * SEC; t < to; t += HOUR) {
      v.add(new Visit(dayStart + t, Kind.NTP_DC, h, world.directory, d, false, 123, 0));
    }
    int[] profile = world.profiles[w];
    for (int i = weekend ? 3 + rnd.nextInt(6) : 15 + rnd.nextInt(16); i > 0; i--) {
      int k = profile[rnd.nextInt(profile.length)];
      boolean quic = k % 3 != 2 && rnd.nextDouble() < 0.6;
      long t = dayStart + from + (long) (rnd.nextDouble() * length);
      browse(v, h, d, t, quic ? Kind.QUIC : Kind.BROWSE, world.popular[k], w, 0.6, rnd);
    }
    for (int i = weekend ? 1 + rnd.nextInt(3) : 4 + rnd.nextInt(9); i > 0; i--) {
      boolean quic = rnd.nextDouble() < 0.15;
      long t = dayStart + from + (long) (rnd.nextDouble() * length);
      browse(v, h, d, t, quic ? Kind.QUIC : Kind.BROWSE, world.newSite("www", rnd), w, 1, rnd);
    }
    for (int i = 2; i > 0; i--) {
      long t = dayStart + from + (long) (rnd.nextDouble() * length);
      v.add(OfficePlanner.visit(world, v, rnd, t, Kind.UPDATER, h, browserUpdate, d));
    }
    v.add(
        OfficePlanner.visit(
            world, v, rnd, dayStart + from + 5 * MINUTE, Kind.UPDATER, h, suiteUpdate, d));
    if (!weekend && w % 10 < 7) {
      for (int c = rnd.nextInt(4); c > 0; c--) {
        call(v, h, d, dayStart + from + (long) (rnd.nextDouble() * (length - HOUR)), rnd);
      }
    }
    for (int i = weekend ? 0 : rnd.nextInt(3); i > 0; i--) {
      Host p = world.printers.get(w % world.printers.size());
      Service printer = OfficeWorld.fixed("printer", Service.TLS, 9100, p.v4(), null);
      long t = dayStart + from + (long) (rnd.nextDouble() * length);
      v.add(new Visit(t, Kind.PRINT, h, printer, d, false, 9100, 0));
    }
    if (w == OfficeWorld.DOT_USER) {
      for (long t = from; t < to; t += 40 * MINUTE + rnd.nextInt(600) * SEC) {
        v.add(new Visit(dayStart + t, Kind.DOT, h, world.dot, d, false, 853, 0));
      }
    }
  }

  /** A visit to a web site; the lookup goes where this workstation sends it. */
  private void browse(
      List<Visit> v,
      Host h,
      int d,
      long t,
      Kind kind,
      Service site,
      int w,
      double lookup,
      SplittableRandom rnd) {
    boolean resolve = rnd.nextDouble() < lookup;
    if (resolve && w == OfficeWorld.OUTSIDE_DNS_USER && rnd.nextDouble() < 0.4) {
      v.add(new Visit(t - 30 * MS, Kind.OUTSIDE_DNS, h, site, d, false, 53, 0));
      resolve = false;
    }
    if (w == OfficeWorld.DOT_USER) {
      resolve = false; // its browser asks over the DoT connection
    }
    v.add(
        resolve
            ? OfficePlanner.visit(world, v, rnd, t, kind, h, site, d)
            : new Visit(t, kind, h, site, d, false, 0, 0));
  }

  /** A video call: signalling to the provider by name, STUN and media to a relay by address. */
  private void call(List<Visit> v, Host h, int d, long t, SplittableRandom rnd) {
    v.add(OfficePlanner.visit(world, v, rnd, t, Kind.MEET, h, world.meet, d));
    int relay =
        OfficeWorld.MEDIA_RELAYS
            + (rnd.nextInt(OfficeWorld.MEDIA_RELAY_NETS) << 8)
            + 1
            + rnd.nextInt(254);
    v.add(new Visit(t + 400 * MS, Kind.MEDIA, h, world.meet, d, false, 3478, relay));
    v.add(
        new Visit(
            t + 900 * MS, Kind.MEDIA, h, world.meet, d, false, 3478 + 1 + rnd.nextInt(3), relay));
  }
}
