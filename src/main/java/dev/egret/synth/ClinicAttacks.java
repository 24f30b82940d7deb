package dev.egret.synth;

import static dev.egret.synth.ClinicPlanner.HOUR;
import static dev.egret.synth.ClinicPlanner.MINUTE;
import static dev.egret.synth.Scripts.MS;
import static dev.egret.synth.Scripts.SEC;

import dev.egret.synth.ClinicPlanner.Kind;
import dev.egret.synth.ClinicPlanner.Visit;
import dev.egret.synth.SiteWorld.Host;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The clinic's last day ({@link ClinicPlanner}). A camera caught by a Mirai-like bot scans random
 * outside addresses on telnet (23, and 2323) at night, then calls its C2 at a raw address on an odd
 * port every minute. Ransomware on a reception PC beacons over HTTPS to a raw address every 30 s
 * (jitter 5 s), sweeps the LAN for SMB and uploads to a file-sharing name never seen before. A
 * phone whose SIP account was taken over places calls through an unknown provider at night. The
 * lab-interface server tunnels data through the site's resolver in long random names. The NAS, with
 * an intruder on it, uses allowed-looking ports: UDP from source ports 53 and 123 and TCP from
 * source port 443 to high ports, DNS to an outside resolver directly, TLS on 443 to addresses that
 * are no learned name's (one with a learned name as its server name) and a reverse shell on 443.
 */
final class ClinicAttacks {
  static final int SCAN_PROBES = 600;
  static final int C2_V4 = Catalog.v4(203, 0, 113, 48);
  static final int C2_PORT = 48101;
  static final int BEACON_V4 = Catalog.v4(203, 0, 113, 99);
  static final int TOLL_SIP_V4 = Catalog.v4(198, 51, 100, 60);
  static final int TOLL_MEDIA_V4 = Catalog.v4(198, 51, 100, 61);
  static final int DROP_V4 = Catalog.v4(203, 0, 113, 53);
  static final int SPOOF_V4 = Catalog.v4(203, 0, 113, 143);

  private ClinicAttacks() {}

  static void add(
      ClinicWorld world, List<Visit> v, ClinicDay today, List<Host> laptops, SplittableRandom rnd) {
    mirai(world, v, today, rnd);
    ransomware(world, v, today, laptops, rnd);
    tollFraud(world, v, today, rnd);
    tunnel(world, v, today, rnd);
    intruder(world, v, today, rnd);
  }

  private static void mirai(
      ClinicWorld world, List<Visit> v, ClinicDay today, SplittableRandom rnd) {
    Host cam = world.cameras.get(0);
    int d = today.day();
    long t = today.dayStart() + 2 * HOUR + rnd.nextInt(600) * SEC;
    for (int k = 0; k < SCAN_PROBES; k++, t += 2 * SEC) {
      int target = Catalog.v4(198, 18, 0, 0) + rnd.nextInt(0x20000);
      String state = rnd.nextDouble() < 0.05 ? "closed" : "dark";
      int port = rnd.nextDouble() < 0.9 ? 23 : 2323;
      Service probe = ClinicWorld.fixed(state, Service.TLS, port, target);
      v.add(
          new Visit(
              t + rnd.nextInt(1000) * MS, Kind.MIRAI_SCAN, cam, probe, d, false, port, 0, -1));
    }
    Service c2 = ClinicWorld.fixed("203.0.113.48", Service.TLS, C2_PORT, C2_V4);
    for (long c = t + 5 * MINUTE; c < t + 3 * HOUR; c += MINUTE) {
      long at = c + (rnd.nextInt(10_000) - 5_000) * MS;
      v.add(new Visit(at, Kind.MIRAI_C2, cam, c2, d, false, C2_PORT, 0, -1));
    }
  }

  private static void ransomware(
      ClinicWorld world, List<Visit> v, ClinicDay today, List<Host> laptops, SplittableRandom rnd) {
    Host pc = world.receptions.get(0);
    int d = today.day();
    long day = today.dayStart();
    Service beacon = ClinicWorld.fixed("203.0.113.99", Service.TLS, 443, BEACON_V4);
    for (long t = day + 10 * HOUR; t < day + 14 * HOUR; t += 30 * SEC) {
      long at = t + (rnd.nextInt(10_000) - 5_000) * MS;
      v.add(new Visit(at, Kind.BEACON, pc, beacon, d, false, 443, 0, -1));
    }
    Set<Integer> open = new HashSet<>();
    Set<Integer> closed = new HashSet<>();
    for (Host h : world.hosts) {
      if (h.v4() == 0) {
        continue;
      }
      boolean smb =
          h.role() == ClinicWorld.NAS
              || h.role() == ClinicWorld.LAB
              || h.role() == ClinicWorld.RECEPTION;
      (smb ? open : closed).add(h.v4());
    }
    for (Host h : laptops) {
      (world.laptopIndex(h) % 2 == 0 ? open : closed).add(h.v4());
    }
    long t = day + 14 * HOUR;
    for (int net = 0; net < 3; net++) {
      for (int i = 1; i < 255; i++, t += 50 * MS) {
        int target = Catalog.v4(10, 1, net, i);
        if (target == pc.v4()) {
          continue;
        }
        String state = open.contains(target) ? "open" : closed.contains(target) ? "closed" : "dark";
        Service probe = ClinicWorld.fixed(state, Service.TLS, 445, target);
        v.add(new Visit(t, Kind.SMB_SWEEP, pc, probe, d, false, 445, 0, -1));
      }
    }
    Service drop =
        ClinicWorld.fixed(
            "upload.filedrop-share.example", Service.TLS, 443, Catalog.v4(198, 51, 100, 140));
    for (long u = day + 14 * HOUR + 30 * MINUTE, k = 0; k < 8; k++, u += 4 * MINUTE) {
      v.add(new Visit(u, Kind.EXFIL, pc, drop, d, true, 443, 0, -1));
    }
  }

  private static void tollFraud(
      ClinicWorld world, List<Visit> v, ClinicDay today, SplittableRandom rnd) {
    Host phone = world.phones.get(0);
    int d = today.day();
    Service provider = ClinicWorld.fixed("198.51.100.60", Service.TLS, 5060, TOLL_SIP_V4);
    int k = 0;
    for (long t = today.dayStart() + 20 * HOUR; t < today.dayStart() + 23 * HOUR; k++) {
      v.add(new Visit(t, Kind.TOLL_SIP, phone, provider, d, false, 5060, TOLL_SIP_V4, 5060));
      int rtp = ClinicWorld.RTP_LOW + 1000 + 2 * k;
      long length = (60 + rnd.nextInt(140)) * SEC;
      v.add(
          new Visit(
              t + 1500 * MS,
              Kind.TOLL_MEDIA,
              phone,
              provider,
              d,
              false,
              16384 + 2 * rnd.nextInt(8192),
              TOLL_MEDIA_V4,
              rtp,
              length));
      t += 4 * MINUTE + (rnd.nextInt(60) - 30) * SEC;
    }
  }

  private static void tunnel(
      ClinicWorld world, List<Visit> v, ClinicDay today, SplittableRandom rnd) {
    for (long t = today.dayStart() + 12 * HOUR; t < today.dayStart() + 13 * HOUR; t += 10 * SEC) {
      Service q = ClinicScripts.tunnelQuery(rnd);
      v.add(
          new Visit(
              t + rnd.nextInt(2000) * MS, Kind.TUNNEL, world.lab, q, today.day(), true, 53, 0, -1));
    }
  }

  private static void intruder(
      ClinicWorld world, List<Visit> v, ClinicDay today, SplittableRandom rnd) {
    Host nas = world.nas;
    int d = today.day();
    long day = today.dayStart();
    Service drop = ClinicWorld.fixed("203.0.113.53", Service.TLS, 41234, DROP_V4);
    v.add(new Visit(day + 15 * HOUR, Kind.SOURCE_PORT, nas, drop, d, false, 41234, 0, 53));
    v.add(
        new Visit(
            day + 15 * HOUR + 7 * MINUTE, Kind.SOURCE_PORT, nas, drop, d, false, 41235, 0, 123));
    Service high =
        ClinicWorld.fixed("203.0.113.44", Service.TLS, 50443, Catalog.v4(203, 0, 113, 44));
    v.add(
        new Visit(
            day + 15 * HOUR + 20 * MINUTE, Kind.SOURCE_PORT, nas, high, d, false, 50443, 0, 443));
    for (int k = 0; k < 20; k++) {
      Service name =
          ClinicWorld.fixed(
              "panel" + k + ".darkstat.example", Service.TLS, 53, Catalog.v4(203, 0, 113, 150 + k));
      v.add(
          new Visit(
              day + 16 * HOUR + k * 30 * SEC,
              Kind.OUTSIDE_DNS,
              nas,
              name,
              d,
              false,
              53,
              ClinicWorld.PUBLIC_RESOLVER_V4,
              -1));
    }
    for (int k = 0; k < 10; k++) {
      int a = Catalog.v4(203, 0, 113, 120 + k);
      Service raw = ClinicWorld.fixed(Labels.text(a), Service.TLS, 443, a);
      v.add(
          new Visit(
              day + 17 * HOUR + k * 5 * MINUTE, Kind.RAW_TLS, nas, raw, d, false, 443, 0, -1));
    }
    Service spoof = ClinicWorld.fixed("backup.objstore.example", Service.TLS, 443, SPOOF_V4);
    for (int k = 0; k < 10; k++) {
      long at = day + HOUR + 30 * MINUTE + k * 7 * MINUTE + rnd.nextInt(60) * SEC;
      v.add(new Visit(at, Kind.SPOOFED_SNI, nas, spoof, d, false, 443, 0, -1));
    }
    Service shell = ClinicWorld.fixed("203.0.113.7", Service.TLS, 443, Catalog.v4(203, 0, 113, 7));
    v.add(new Visit(day + 3 * HOUR + 10 * MINUTE, Kind.SHELL, nas, shell, d, false, 443, 0, -1));
  }
}
