package dev.egret.synth;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * Synthesises a LAN's traffic as seen at its gateway, deterministically from a seed: internal hosts
 * resolving names and making TLS, HTTP, SSH, SMTP and NTP connections (some refused, some never
 * answered), pings, and external clients calling the internal web server. Sessions overlap in time;
 * frames come out in timestamp order. Memory is constant: a fixed pool of sessions and one frame
 * buffer, whatever the output size.
 */
public final class TrafficGenerator {
  /** How many conversations may be open at once. */
  static final int SLOTS = 64;

  /** The trojan's retry interval. */
  static final long TROJAN_PERIOD = 30_000_000_000L;

  private static final long PCAP_FILE_HEADER = 24;
  private static final long PCAP_RECORD_HEADER = 16;
  private static final long DAY = 86_400_000_000_000L;
  private static final double PACE = 0.95;

  /** The first guess of a session's share of the output, before any has been measured. */
  private static final long GUESS_SESSION_BYTES = 4_000;

  private static final long GUESS_SESSION_PACKETS = 12;

  private final SynthOptions options;

  /** What a run produced. */
  public record Summary(
      long packets, long fileBytes, long sessions, long firstNanos, long lastNanos) {}

  public TrafficGenerator(SynthOptions options) {
    this.options = options;
  }

  /** Generates every frame into {@code sink}; the byte count assumes a classic pcap file. */
  public Summary run(FrameSink sink) throws IOException {
    SplittableRandom rnd = new SplittableRandom(options.seed());
    Catalog catalog = new Catalog(options.days());
    Planner planner = new Planner(rnd.split(), catalog, options);
    FrameBuilder frames = new FrameBuilder();
    Emitter emitter = new Emitter(frames, new Payloads(rnd.split()));
    SplittableRandom arrivals = rnd.split();

    Session[] pool = new Session[SLOTS];
    for (int i = 0; i < SLOTS; i++) {
      pool[i] = new Session();
    }
    long start = options.start().getEpochSecond() * 1_000_000_000L + options.start().getNano();
    // Pace to a little under the span, since open sessions run on after the last arrival.
    double span = PACE * options.days() * DAY;
    long end = start + options.days() * DAY;
    Session trojan = null;
    if (options.trojan()) {
      trojan = new Session();
      planner.planTrojan(trojan, start + (long) (arrivals.nextDouble() * TROJAN_PERIOD));
    }

    long bytes = PCAP_FILE_HEADER;
    long packets = 0;
    long sessions = 0;
    long now = start;
    long first = -1;
    long arrival = start;
    boolean admitting = true;
    while (true) {
      admitting = admitting && !reached(bytes, packets) && arrival < end;
      Session best = null;
      long bestTime = Long.MAX_VALUE;
      Session free = null;
      for (Session s : pool) {
        if (s.active) {
          if (s.nextTime < bestTime) {
            best = s;
            bestTime = s.nextTime;
          }
        } else if (free == null) {
          free = s;
        }
      }
      if (admitting && trojan != null && trojan.nextTime < bestTime) {
        best = trojan;
        bestTime = trojan.nextTime;
      }
      if (admitting && free != null && arrival <= bestTime) {
        planner.plan(free, Math.max(arrival, now));
        sessions++;
        arrival = nextArrival(arrivals, arrival, start, span, progress(bytes, packets), sessions);
        continue;
      }
      if (best == null) {
        break;
      }
      now = bestTime;
      int len = emitter.emit(best, now);
      sink.frame(now, frames.buf, len);
      if (first < 0) {
        first = now;
      }
      packets++;
      bytes += PCAP_RECORD_HEADER + len;
      best.advance();
      if (best == trojan && !best.active) {
        planner.planTrojan(trojan, now + TROJAN_PERIOD);
      }
    }
    return new Summary(packets, bytes, sessions, first < 0 ? start : first, now);
  }

  private boolean reached(long bytes, long packets) {
    return options.targetBytes() > 0 && bytes >= options.targetBytes()
        || options.targetPackets() > 0 && packets >= options.targetPackets();
  }

  /** The share of the target produced so far, 0 to 1. */
  private double progress(long bytes, long packets) {
    double p = 0;
    if (options.targetBytes() > 0) {
      p = Math.max(p, (double) bytes / options.targetBytes());
    }
    if (options.targetPackets() > 0) {
      p = Math.max(p, (double) packets / options.targetPackets());
    }
    return Math.min(1, p);
  }

  /**
   * Poisson arrivals whose rate is tuned from the output so far so that the target is reached at
   * the end of the span; never behind the point the output has reached, so traffic covers every
   * day.
   */
  private long nextArrival(
      SplittableRandom rnd, long arrival, long start, double span, double progress, long sessions) {
    double share;
    if (sessions > 32 && progress > 0) {
      share = progress / sessions;
    } else {
      double byBytes =
          options.targetBytes() > 0 ? (double) GUESS_SESSION_BYTES / options.targetBytes() : 0;
      double byPackets =
          options.targetPackets() > 0
              ? (double) GUESS_SESSION_PACKETS / options.targetPackets()
              : 0;
      share = Math.max(byBytes, byPackets);
    }
    double meanGap = span * share;
    long paced = start + (long) (span * progress);
    double exp = -Math.log(1 - rnd.nextDouble()) * meanGap;
    return Math.max(arrival, paced) + (long) exp;
  }
}
