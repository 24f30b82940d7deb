package dev.egret.synth;

import static dev.egret.synth.ClinicPlanner.HOUR;
import static dev.egret.synth.ClinicPlanner.MINUTE;
import static dev.egret.synth.Scripts.SEC;

import dev.egret.synth.ClinicPlanner.Kind;
import dev.egret.synth.ClinicPlanner.Visit;
import dev.egret.synth.SiteWorld.Host;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The clinic's desks ({@link ClinicPlanner}). Reception PCs (Windows, dual-stack) are on through
 * opening hours: Windows Update and Defender on boot and through the day, the office suite's mail
 * and sign-in, the practice-management SaaS every few minutes, their usual sites and new ones,
 * printing and the NAS's file share. Doctors' laptops come some days only, at a time of their own,
 * on the address the DHCP pool gives them that day; half run Windows, half another OS with its own
 * updater.
 */
final class ClinicDesks {
  private final ClinicWorld world;

  ClinicDesks(ClinicWorld world) {
    this.world = world;
  }

  void reception(List<Visit> v, Host h, ClinicDay today, SplittableRandom rnd) {
    if (!today.isOpen()) {
      return;
    }
    long from = today.open() - 15 * MINUTE;
    long to = today.close() + 15 * MINUTE;
    windows(v, h, today, from, to, HOUR, rnd);
    work(v, h, today, from, to, 3, 8, rnd);
    browse(v, h, today, from, to, 5 + rnd.nextInt(11), 2 + rnd.nextInt(7), rnd);
    files(v, h, today, from, to, 5 + rnd.nextInt(16), 10 + rnd.nextInt(21), rnd);
  }

  void laptop(List<Visit> v, Host h, ClinicDay today, SplittableRandom rnd) {
    long from = today.open() + rnd.nextInt(2 * 3600) * SEC;
    long to = Math.min(today.close() + 30 * MINUTE, from + (4 + rnd.nextInt(6)) * HOUR);
    if (world.laptopIndex(h) % 2 == 0) {
      windows(v, h, today, from, to, 3 * HOUR, rnd);
    } else {
      v.add(visit(v, rnd, today, from + 2 * MINUTE, Kind.MAC_UPDATE, h, today.macUpdate()));
    }
    work(v, h, today, from, to, 4, 10, rnd);
    browse(v, h, today, from, to, 5 + rnd.nextInt(11), 3 + rnd.nextInt(8), rnd);
    files(v, h, today, from, to, rnd.nextInt(5), rnd.nextInt(4), rnd);
  }

  /** The clock on boot (from port 123), the updaters on boot and every {@code period}. */
  private void windows(
      List<Visit> v,
      Host h,
      ClinicDay today,
      long from,
      long to,
      long period,
      SplittableRandom rnd) {
    v.add(visit(v, rnd, today, from + 20 * SEC, Kind.NTP_WIN, h, world.winTime).ports(123, 123));
    for (long t = from + MINUTE; t < to; t += period + rnd.nextInt(600) * SEC) {
      int hour = ClinicDay.hour(t);
      v.add(visit(v, rnd, today, t, Kind.WIN_UPDATE, h, today.winUpdate()[hour]));
      v.add(visit(v, rnd, today, t + 40 * SEC, Kind.DEFENDER, h, today.defender()[hour]));
      if (rnd.nextDouble() < 0.5) {
        v.add(visit(v, rnd, today, t + 90 * SEC, Kind.WIN_UPDATE, h, today.winUpdate()[hour]));
      }
    }
  }

  /** The practice SaaS every {@code practice} minutes, mail every {@code mail}, sign-in hourly. */
  private void work(
      List<Visit> v,
      Host h,
      ClinicDay today,
      long from,
      long to,
      double practice,
      double mail,
      SplittableRandom rnd) {
    for (long t = from + MINUTE; t < to; t += HOUR) {
      v.add(visit(v, rnd, today, t, Kind.SUITE_LOGIN, h, today.login()[ClinicDay.hour(t)]));
    }
    for (long t = from + ClinicPlanner.gap(rnd, practice); t < to; ) {
      v.add(visit(v, rnd, today, t, Kind.PRACTICE, h, world.practice));
      t += ClinicPlanner.gap(rnd, practice);
    }
    for (long t = from + ClinicPlanner.gap(rnd, mail); t < to; ) {
      v.add(visit(v, rnd, today, t, Kind.SUITE, h, today.suite()[ClinicDay.hour(t)]));
      t += ClinicPlanner.gap(rnd, mail);
    }
  }

  private void browse(
      List<Visit> v,
      Host h,
      ClinicDay today,
      long from,
      long to,
      int usual,
      int fresh,
      SplittableRandom rnd) {
    int[] profile = world.profile(h);
    for (int i = 0; i < usual; i++) {
      Service site = world.popular[profile[rnd.nextInt(profile.length)]];
      v.add(visit(v, rnd, today, between(from, to, rnd), Kind.BROWSE, h, site));
    }
    for (int i = 0; i < fresh; i++) {
      Service site = world.newSite(rnd);
      v.add(visit(v, rnd, today, between(from, to, rnd), Kind.BROWSE_NEW, h, site));
    }
  }

  /** Print jobs to the desk's printer (tcp/9100), files on the NAS's share (tcp/445). */
  private void files(
      List<Visit> v,
      Host h,
      ClinicDay today,
      long from,
      long to,
      int prints,
      int shares,
      SplittableRandom rnd) {
    if (!world.printers.isEmpty()) {
      Host p = world.printers.get(h.index() % world.printers.size());
      Service printer = ClinicWorld.fixed("printer", Service.TLS, 9100, p.v4());
      for (int i = 0; i < prints; i++) {
        long t = today.dayStart() + between(from, to, rnd);
        v.add(new Visit(t, Kind.PRINT, h, printer, today.day(), false, 9100, 0, -1));
      }
    }
    Service share = ClinicWorld.fixed("nas", Service.TLS, 445, world.nas.v4());
    for (int i = 0; i < shares; i++) {
      long t = today.dayStart() + between(from, to, rnd);
      v.add(new Visit(t, Kind.SMB, h, share, today.day(), false, 445, 0, -1));
    }
  }

  private Visit visit(
      List<Visit> v,
      SplittableRandom rnd,
      ClinicDay today,
      long t,
      Kind kind,
      Host h,
      Service svc) {
    return ClinicPlanner.visit(world, v, rnd, today.dayStart() + t, kind, h, svc, today.day());
  }

  private static long between(long from, long to, SplittableRandom rnd) {
    return from + (long) (rnd.nextDouble() * (to - from));
  }
}
