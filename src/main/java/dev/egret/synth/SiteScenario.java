package dev.egret.synth;

import dev.egret.io.AtomicFile;
import dev.egret.io.PcapWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A multi-day capture of a small site, seen at its gateway, with the ground truth of every flow
 * ({@link Labels}): web servers calling CDN-backed APIs whose addresses change daily and called by
 * outside clients, a mail relay delivering to new MX hosts every day, a database that never talks
 * outward, a resolver forwarding upstream, workstations browsing new sites every day, NTP, a weekly
 * backup, connections already open when the capture starts, and hostile behaviour on the last day
 * only (see {@link SitePlanner}). The same options always give the same bytes and labels. Days are
 * planned one at a time, so memory grows with a day's conversations, not with the number of days.
 */
public final class SiteScenario {
  private final SiteOptions options;

  /** What a run produced. */
  public record Summary(long packets, long conversations, long firstNanos, long lastNanos) {}

  public SiteScenario(SiteOptions options) {
    this.options = options;
  }

  /** Day {@code d}'s capture file name (1-based). */
  public static String dayFile(int day) {
    return "day" + day + ".pcap";
  }

  public static final String LABELS_FILE = "labels.csv";

  /** Writes {@code day1.pcap} .. {@code dayN.pcap} and {@code labels.csv} into {@code dir}. */
  public Summary write(Path dir, PcapWriter.Precision precision) throws IOException {
    long start = startNanos();
    PcapWriter[] files = new PcapWriter[options.days()];
    try {
      for (int d = 0; d < files.length; d++) {
        files[d] =
            PcapWriter.toFile(dir.resolve(dayFile(d + 1)), PcapWriter.LINKTYPE_ETHERNET, precision);
      }
      Labels labels = new Labels();
      Summary summary =
          run(
              labels,
              (t, frame, len) -> {
                int d =
                    (int) Math.min(files.length - 1, Math.max(0, (t - start) / SitePlanner.DAY));
                files[d].write(t, frame, 0, len);
              });
      for (PcapWriter w : files) {
        w.commit();
      }
      AtomicFile.write(
          dir.resolve(LABELS_FILE),
          out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            labels.write(w);
            w.flush();
          });
      return summary;
    } finally {
      for (PcapWriter w : files) {
        if (w != null) {
          w.close();
        }
      }
    }
  }

  /**
   * Generates every frame, in time order, into {@code sink} and every label into {@code labels}.
   */
  public Summary run(Labels labels, FrameSink sink) throws IOException {
    SplittableRandom rnd = new SplittableRandom(options.seed());
    SplittableRandom worldRnd = rnd.split();
    Scripts scripts = new Scripts(rnd.split(), 40);
    FrameBuilder frames = new FrameBuilder();
    Emitter emitter = new Emitter(frames, new Payloads(rnd.split()));
    SplittableRandom days = rnd.split();
    if (options.profile() == SiteOptions.Profile.CLINIC) {
      ClinicWorld world = new ClinicWorld(options, worldRnd);
      return run(new ClinicPlanner(world, options, scripts, labels), days, frames, emitter, sink);
    }
    if (options.profile() == SiteOptions.Profile.OFFICE) {
      OfficeWorld world = new OfficeWorld(options, worldRnd);
      return run(new OfficePlanner(world, options, scripts, labels), days, frames, emitter, sink);
    }
    SiteWorld world = new SiteWorld(options, worldRnd);
    SitePlanner planner = new SitePlanner(world, options, scripts, labels, days.nextInt(7));
    return run(planner, days, frames, emitter, sink);
  }

  private <V extends SitePlan.Timed> Summary run(
      SitePlan<V> planner,
      SplittableRandom days,
      FrameBuilder frames,
      Emitter emitter,
      FrameSink sink)
      throws IOException {
    PriorityQueue<Session> active =
        new PriorityQueue<>(
            Comparator.comparingLong((Session s) -> s.nextTime).thenComparingLong(s -> s.serial));
    ArrayDeque<Session> free = new ArrayDeque<>();
    long start = startNanos();
    long packets = 0;
    long conversations = 0;
    long first = -1;
    long now = start;
    long serial = 0;
    for (int d = 0; d <= options.days(); d++) {
      List<V> visits =
          d < options.days()
              ? planner.day(d, start + d * SitePlanner.DAY, days.split())
              : new ArrayList<V>();
      visits.sort(Comparator.comparingLong(SitePlan.Timed::start));
      int i = 0;
      while (i < visits.size() || d == options.days() && !active.isEmpty()) {
        Session next = active.peek();
        if (i < visits.size() && (next == null || visits.get(i).start() <= next.nextTime)) {
          V v = visits.get(i++);
          Session s = free.isEmpty() ? new Session() : free.poll();
          planner.script(s, v);
          s.serial = serial++;
          s.begin(Math.max(now, v.start()));
          conversations++;
          if (s.active) {
            active.add(s);
          }
          continue;
        }
        Session s = active.poll();
        now = s.nextTime;
        int len = emitter.emit(s, now);
        sink.frame(now, frames.buf, len);
        if (first < 0) {
          first = now;
        }
        packets++;
        s.advance();
        if (s.active) {
          active.add(s);
        } else {
          free.add(s);
        }
      }
    }
    return new Summary(packets, conversations, first < 0 ? start : first, now);
  }

  private long startNanos() {
    return options.start().getEpochSecond() * 1_000_000_000L + options.start().getNano();
  }
}
