package dev.egret.synth;

import static dev.egret.synth.ClinicPlanner.DAY;
import static dev.egret.synth.ClinicPlanner.HOUR;
import static dev.egret.synth.ClinicPlanner.MINUTE;
import static dev.egret.synth.Scripts.MS;
import static dev.egret.synth.Scripts.SEC;

import dev.egret.synth.ClinicPlanner.Kind;
import dev.egret.synth.ClinicPlanner.Visit;
import dev.egret.synth.SiteWorld.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The clinic's devices that work around the clock ({@link ClinicPlanner}): VoIP phones and IP
 * cameras, and the SNTP clients of the embedded devices.
 *
 * <p>Even phones speak SIP over UDP from port 5060 to the provider's port 5060: a registration
 * every 5 minutes and, in opening hours, calls (an INVITE, the media, a BYE when the call ends).
 * The media is RTP and RTCP from the phone's port range to a media server of the provider that
 * SIP's SDP names, a different address and port each call, never looked up. Odd phones hold a
 * SIP-over-TLS connection (tcp/5061), renewed every hour, that carries their signalling; their
 * media is the same. Every SIP exchange of a UDP phone is at least 90 s from the next, so that each
 * is one flow (the UDP idle timeout is 60 s). Phones fetch their provisioning once a night.
 *
 * <p>Cameras keep an MQTT-over-TLS connection (tcp/8883) to their vendor's cloud, renewed every two
 * hours at the address the name has then, and upload motion clips over HTTPS, mostly in opening
 * hours.
 */
final class ClinicDevices {
  static final long REGISTER_PERIOD = 5 * MINUTE;
  static final long SIP_GAP = 90 * SEC;
  static final long MQTT_LENGTH = 2 * HOUR;

  private final ClinicWorld world;

  ClinicDevices(ClinicWorld world) {
    this.world = world;
  }

  /** An SNTP client: looks the pool up and asks one of its addresses every {@code period}. */
  void sntp(List<Visit> v, Host h, ClinicDay today, long period, SplittableRandom rnd) {
    int source = h.role() == ClinicWorld.NAS ? 123 : -1;
    Scripts.jittered(
        DAY,
        period,
        period / 10,
        rnd,
        at -> {
          Service pool = OfficeWorld.ntpPool(ClinicPlanner.NTP_SOURCES, rnd);
          v.add(
              ClinicPlanner.visit(
                      world, v, rnd, today.dayStart() + at, Kind.NTP_POOL, h, pool, today.day())
                  .ports(123, source));
        });
  }

  void phone(List<Visit> v, Host h, ClinicDay today, SplittableRandom rnd) {
    int d = today.day();
    long night = today.dayStart() + 3 * HOUR + rnd.nextInt(3600) * SEC;
    v.add(ClinicPlanner.visit(world, v, rnd, night, Kind.PROVISION, h, world.provisioning, d));
    sntp(v, h, today, HOUR, rnd);
    boolean udp = world.phones.indexOf(h) % 2 == 0;
    List<Long> sip = new ArrayList<>();
    if (today.isOpen()) {
      long hours = (today.close() - today.open()) / HOUR;
      int calls = hours >= 6 ? 4 + rnd.nextInt(17) : 1 + rnd.nextInt(6);
      double mean = (double) hours * 60 / calls;
      long t = today.open() + ClinicPlanner.gap(rnd, mean / 2);
      for (int c = 0, port = 0; c < calls && t < today.close(); c++, port = (port + 2) % 1000) {
        long length = (90 + rnd.nextInt(510)) * SEC;
        call(v, h, today, today.dayStart() + t, length, ClinicWorld.RTP_LOW + port, udp, rnd);
        sip.add(t);
        sip.add(t + length);
        t += length + SIP_GAP + ClinicPlanner.gap(rnd, mean);
      }
    }
    if (udp) {
      long phase = rnd.nextInt(300) * SEC;
      for (long t = phase; t < DAY - MINUTE; t += REGISTER_PERIOD + (rnd.nextInt(41) - 20) * SEC) {
        if (clear(sip, t)) {
          v.add(
              ClinicPlanner.visit(
                      world, v, rnd, today.dayStart() + t, Kind.SIP_REGISTER, h, world.sip, d)
                  .ports(ClinicWorld.SIP_PORT, ClinicWorld.SIP_PORT));
        }
      }
    } else {
      long phase = rnd.nextInt(60) * SEC;
      for (long t = phase; t < DAY - HOUR + phase; t += HOUR) {
        v.add(
            ClinicPlanner.visit(world, v, rnd, today.dayStart() + t, Kind.SIP_TLS, h, world.sip, d)
                .ports(ClinicWorld.SIP_TLS_PORT, -1)
                .lasting(57 * MINUTE));
      }
    }
  }

  /** No SIP exchange of the phone within {@link #SIP_GAP} of {@code t}. */
  private static boolean clear(List<Long> sip, long t) {
    for (long s : sip) {
      if (Math.abs(s - t) < SIP_GAP) {
        return false;
      }
    }
    return true;
  }

  /** A call: the INVITE (UDP phones), RTP and RTCP to a media server, the BYE when it ends. */
  private void call(
      List<Visit> v,
      Host h,
      ClinicDay today,
      long t,
      long length,
      int rtp,
      boolean udp,
      SplittableRandom rnd) {
    int d = today.day();
    if (udp) {
      // The BYE goes to the proxy the INVITE went to (RFC 3261 12.2.1.1: the dialog's route set).
      int proxy = world.sip.v4[rnd.nextInt(world.sip.v4.length)];
      v.add(
          ClinicPlanner.visit(world, v, rnd, t, Kind.SIP_CALL, h, world.sip, d)
              .ports(ClinicWorld.SIP_PORT, ClinicWorld.SIP_PORT)
              .to(proxy));
      v.add(
          new Visit(
              t + length,
              Kind.SIP_CALL,
              h,
              world.sip,
              d,
              false,
              ClinicWorld.SIP_PORT,
              proxy,
              ClinicWorld.SIP_PORT));
    }
    int media = ClinicWorld.mediaServer(rnd);
    int remote = 16384 + 2 * rnd.nextInt(8192);
    v.add(new Visit(t + 1500 * MS, Kind.RTP, h, world.sip, d, false, remote, media, rtp, length));
    v.add(
        new Visit(
            t + 1600 * MS, Kind.RTCP, h, world.sip, d, false, remote + 1, media, rtp + 1, length));
  }

  /** A camera: the MQTT connection renewed every two hours, motion clips, SNTP every hour. */
  void camera(List<Visit> v, Host h, ClinicDay today, SplittableRandom rnd) {
    int d = today.day();
    long t = rnd.nextInt(60) * SEC;
    while (t < DAY - 5 * MINUTE) {
      long length = Math.min(MQTT_LENGTH, DAY - 2 * MINUTE - t);
      Service mqtt = today.mqtt()[ClinicDay.hour(t)];
      v.add(
          ClinicPlanner.visit(world, v, rnd, today.dayStart() + t, Kind.MQTT, h, mqtt, d)
              .ports(8883, -1)
              .lasting(length));
      t += length + (5 + rnd.nextInt(25)) * SEC;
    }
    int clips = today.isOpen() ? 10 + rnd.nextInt(31) : 0;
    for (int i = 0; i < clips; i++) {
      long at = today.open() + (long) (rnd.nextDouble() * (today.close() - today.open()));
      upload(v, h, today, at, rnd);
    }
    for (int i = 2 + rnd.nextInt(5); i > 0; i--) {
      upload(v, h, today, ClinicPlanner.anytime(rnd), rnd);
    }
    sntp(v, h, today, HOUR, rnd);
  }

  private void upload(List<Visit> v, Host h, ClinicDay today, long at, SplittableRandom rnd) {
    Service up = today.upload()[ClinicDay.hour(at)];
    v.add(
        ClinicPlanner.visit(
            world, v, rnd, today.dayStart() + at, Kind.CAMERA_UPLOAD, h, up, today.day()));
  }
}
