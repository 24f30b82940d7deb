package dev.egret.live;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Learner;
import dev.egret.baseline.SourceRecord;
import dev.egret.capture.CaptureStats;
import dev.egret.capture.PacketHandler;
import dev.egret.capture.PacketSource;
import dev.egret.capture.PcapRing;
import dev.egret.flow.FlowConfig;
import dev.egret.flow.FlowPipeline;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowSink;
import dev.egret.flow.NameObserver;
import dev.egret.policy.PolicyChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Learns a baseline from live interfaces for as long as asked: the same decoder, flow tracker and
 * learner as offline replay, fed through {@link LiveCapture}; checkpoints every interval and at the
 * end, resuming from what the baseline file already holds; a status every interval; drift alerts
 * when a policy is given. Everything mutable runs on the thread that calls {@link #run()}.
 */
public final class LiveLearning {
  private static final long TICK_NANOS = 250_000_000L;

  /** A packet may sit in the queue this long: flow time on a quiet link trails the clock by it. */
  private static final long CLOCK_LAG_NANOS = 1_000_000_000L;

  /**
   * @param baseline the baseline file: read at start when it exists, replaced at each checkpoint
   * @param checkpointNanos checkpoint interval
   * @param statusNanos status interval
   * @param stopAtWallNanos when to stop (ns since the epoch), or {@link Long#MAX_VALUE}
   * @param queueSize packets queued per interface between capture and processing
   * @param clock what ends idle flows on a quiet link
   * @param version the egret version written into the baseline
   */
  public record Settings(
      Path baseline,
      long checkpointNanos,
      long statusNanos,
      long stopAtWallNanos,
      int queueSize,
      FlowClock clock,
      String version) {
    public Settings {
      if (checkpointNanos < 1_000_000_000L || statusNanos < 100_000_000L) {
        throw new IllegalArgumentException("checkpoint under 1 s or status under 100 ms");
      }
    }
  }

  /** What ends idle flows when no packet comes. */
  public enum FlowClock {
    /** The wall clock: live sources, whose packets carry the current time. */
    WALL,
    /** Packets only: a capture file through the live path, whose packets carry old times. */
    PACKETS
  }

  /**
   * Drift alerts against a policy.
   *
   * @param checker the policy
   * @param everyNanos at most one alert per (host, destination, protocol, port) this often
   * @param sink receives the alerts, on the processing thread
   * @param held where the flows the policy would block are learned instead of the baseline (read at
   *     start when it exists, replaced at each checkpoint); null to learn them into the baseline
   *     too, so that the next policy made from it allows them
   */
  public record Drift(
      PolicyChecker checker, long everyNanos, Consumer<DriftAlerts.Alert> sink, Path held) {
    public Drift {
      if (checker == null || sink == null) {
        throw new IllegalArgumentException("drift alerts need a policy and a sink");
      }
    }
  }

  /** Where status lines and warnings go; called on the processing thread. */
  public interface Reporter {
    void status(Status s);

    void warning(String message);
  }

  /**
   * How a run ended.
   *
   * @param baseline what was written last
   * @param last the final figures
   * @param failure the capture error that ended the run, or null when it was stopped
   * @param heldBack flows the policy would block, kept out of the baseline in this run
   */
  public record Result(Baseline baseline, Status last, RuntimeException failure, long heldBack) {}

  private final Settings settings;
  private final Learner learner;
  private final FlowPipeline pipeline;
  private final LiveCapture capture;
  private final List<PcapRing> saves;
  private final List<Saving> savings = new ArrayList<>();
  private final DriftAlerts alerts;
  private final Learner heldLearner;
  private final HoldBack holdBack;
  private final Checkpointer heldCheckpointer;
  private final Reporter reporter;
  private final Checkpointer checkpointer;
  private final long startWall = Times.now();
  private final long startMono = System.nanoTime();
  private long nextStatus;
  private long nextCheckpoint;
  private long lastStatusMono;
  private long lastStatusPackets;
  private IOException reportedError;
  private volatile boolean finished;

  /**
   * @param sources opened interfaces (or any source), one capture thread each, and per source its
   *     raw capture ring; no rings for none
   * @param drift drift alerts against a policy, or null for none
   * @throws IOException when the existing baseline (or held-back file) cannot be read
   */
  public LiveLearning(
      Settings settings,
      EgretConfig config,
      FlowConfig flows,
      LiveSources sources,
      Drift drift,
      Reporter reporter)
      throws IOException {
    this.settings = settings;
    this.reporter = reporter;
    this.saves = sources.saves();
    this.learner = new Learner(config);
    this.checkpointer = checkpointer(settings.baseline(), config, settings.version());
    FlowSink sink = learner;
    NameObserver names = learner;
    if (drift == null) {
      alerts = null;
      heldLearner = null;
      holdBack = null;
      heldCheckpointer = null;
    } else {
      alerts = new DriftAlerts(drift.checker(), learner, drift.everyNanos(), drift.sink());
      if (drift.held() == null) {
        heldLearner = null;
        holdBack = null;
        heldCheckpointer = null;
      } else {
        heldLearner = new Learner(config);
        holdBack = new HoldBack(alerts, learner, heldLearner);
        heldCheckpointer = checkpointer(drift.held(), config, settings.version());
        sink = holdBack;
        names = holdBack.names();
      }
      names = alerts.names(names);
    }
    this.pipeline = new FlowPipeline(flows, sink, names);
    if (alerts != null) {
      pipeline.tracker().onFlowStart(alerts);
    }
    this.capture = new LiveCapture(sources.sources(), settings.queueSize());
  }

  private static Checkpointer checkpointer(Path file, EgretConfig config, String version)
      throws IOException {
    Checkpointer.removeStaleTemporaries(file);
    Baseline before = Files.exists(file) ? BaselineJson.read(file) : Baseline.empty(version);
    return new Checkpointer(file, before, config, version);
  }

  /** Captures until stopped, the time is up or a capture fails; writes the last checkpoint. */
  public Result run() throws IOException {
    if (!Files.exists(settings.baseline())) {
      // Fail now, not after an interval of capture, when the file cannot be written.
      checkpointer.writeNow(runSnapshot(), List.of());
    }
    if (heldCheckpointer != null && !Files.exists(heldCheckpointer.file())) {
      heldCheckpointer.writeNow(heldSnapshot(), List.of());
    }
    nextStatus = startMono + settings.statusNanos();
    nextCheckpoint = startMono + settings.checkpointNanos();
    lastStatusMono = startMono;
    List<PacketHandler> handlers = new ArrayList<>();
    for (int i = 0; i < capture.sources().size(); i++) {
      PcapRing save = saves.isEmpty() ? null : saves.get(i);
      if (save == null) {
        handlers.add(pipeline);
      } else {
        Saving sv = new Saving(save, pipeline);
        savings.add(sv);
        handlers.add(sv);
      }
    }
    try {
      capture.run(handlers, this::tick, TICK_NANOS);
      pipeline.flush();
      for (Saving sv : savings) {
        sv.close();
      }
      if (capture.ended()) {
        for (PacketSource s : capture.sources()) {
          s.close();
        }
      }
      Baseline written = checkpointer.writeNow(runSnapshot(), List.of());
      if (heldCheckpointer != null) {
        heldCheckpointer.writeNow(heldSnapshot(), List.of());
      }
      Status last = status(System.nanoTime(), true);
      reporter.status(last);
      return new Result(
          written, last, capture.failure(), holdBack == null ? 0 : holdBack.heldFlows());
    } finally {
      checkpointer.close();
      if (heldCheckpointer != null) {
        heldCheckpointer.close();
      }
      finished = true;
    }
  }

  /** Asks {@link #run()} to end; safe from any thread (a signal handler). */
  public void stop() {
    capture.stop();
  }

  /** True once {@link #run()} has written its last checkpoint (or failed). */
  public boolean finished() {
    return finished;
  }

  private void tick(long mono) {
    long wall = Times.now();
    if (settings.clock() == FlowClock.WALL) {
      pipeline.advanceTo(wall - CLOCK_LAG_NANOS);
    }
    for (Saving sv : savings) {
      sv.tick(wall);
    }
    if (wall >= settings.stopAtWallNanos()) {
      capture.stop();
    }
    if (mono - nextCheckpoint >= 0) {
      List<FlowRecord> open = pipeline.tracker().openFlowRecords();
      if (holdBack == null) {
        checkpointer.submit(runSnapshot(), open);
      } else {
        List<List<FlowRecord>> split = holdBack.split(open);
        checkpointer.submit(runSnapshot(), split.get(0));
        heldCheckpointer.submit(heldSnapshot(), split.get(1));
      }
      nextCheckpoint = mono + settings.checkpointNanos();
      IOException e = checkpointer.lastError();
      if (e != null && e != reportedError) {
        reporter.warning(
            "checkpoint to " + settings.baseline() + " failed: " + e.getMessage() + "; will retry");
      }
      reportedError = e;
    }
    if (mono - nextStatus >= 0) {
      reporter.status(status(mono, false));
      nextStatus = mono + settings.statusNanos();
    }
  }

  private CaptureStats totals() {
    CaptureStats t = CaptureStats.EMPTY;
    for (int i = 0; i < capture.sources().size(); i++) {
      t = t.plus(capture.stats(i));
    }
    return t;
  }

  /** What this run learned, with one sensor record per interface. */
  private Baseline runSnapshot() {
    long now = Times.now();
    List<SourceRecord> sources = new ArrayList<>();
    CaptureStats t = CaptureStats.EMPTY;
    for (int i = 0; i < capture.sources().size(); i++) {
      CaptureStats st = capture.stats(i);
      t = t.plus(st);
      sources.add(
          new SourceRecord(
              "sensor", capture.sources().get(i).name(), "", startWall, now, st.packets()));
    }
    long drops = t.kernelDrops() + t.interfaceDrops() + capture.queueDrops();
    return learner.snapshot(
        settings.version(), sources, t.packets(), pipeline.decodeStats().malformed(), drops, 0);
  }

  /**
   * The flows held back in this run, without sensor records or counters (the baseline has them).
   */
  private Baseline heldSnapshot() {
    return heldLearner.snapshot(settings.version(), List.of(), 0, 0, 0, 0);
  }

  private Status status(long mono, boolean done) {
    CaptureStats t = totals();
    double secs = (mono - lastStatusMono) / 1e9;
    double pps = secs > 0 ? (t.packets() - lastStatusPackets) / secs : 0;
    lastStatusMono = mono;
    lastStatusPackets = t.packets();
    return new Status(
        Times.now(),
        mono - startMono,
        t.packets(),
        pps,
        pipeline.tracker().openFlows(),
        pipeline.flowStats().flows(),
        learner.hostCount(),
        learner.nameCount(),
        t.kernelDrops(),
        t.interfaceDrops(),
        capture.queueDrops(),
        alerts == null ? 0 : alerts.blocked(),
        alerts == null ? 0 : alerts.alerts(),
        checkpointer.writes(),
        done);
  }

  /** Writes each packet to the raw capture ring before learning from it. */
  private final class Saving implements PacketHandler {
    private PcapRing ring;
    private final PacketHandler next;

    Saving(PcapRing ring, PacketHandler next) {
      this.ring = ring;
      this.next = next;
    }

    @Override
    public void onPacket(int lt, long ts, byte[] b, int off, int caplen, int orig) {
      if (ring != null) {
        try {
          ring.write(ts, ts, b, off, caplen, orig);
        } catch (IOException e) {
          reporter.warning("raw capture ring stopped: " + e.getMessage());
          closeQuietly();
        }
      }
      next.onPacket(lt, ts, b, off, caplen, orig);
    }

    void tick(long wall) {
      if (ring != null) {
        try {
          ring.tick(wall);
        } catch (IOException e) {
          reporter.warning("raw capture ring stopped: " + e.getMessage());
          closeQuietly();
        }
      }
    }

    void close() {
      if (ring != null) {
        try {
          ring.close();
        } catch (IOException e) {
          reporter.warning("raw capture ring: " + e.getMessage());
        }
        ring = null;
      }
    }

    private void closeQuietly() {
      try {
        ring.close();
      } catch (IOException e) {
        // already reported the write error
      }
      ring = null;
    }
  }
}
