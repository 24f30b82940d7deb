package dev.egret.live;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Baselines;
import dev.egret.baseline.EgretConfig;
import dev.egret.baseline.Learner;
import dev.egret.flow.FlowRecord;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes the baseline of a live capture: what the file held when the capture started, plus what
 * this run learned, plus the flows still open counted as if they ended now. Every write replaces
 * the file atomically (temporary file, fsync, rename), so a kill at any moment leaves the previous
 * checkpoint or the new one, never a torn file, and loses at most one interval. Open flows are
 * counted afresh at each write, never added to the run's learner, so nothing is counted twice.
 *
 * <p>Merging and writing JSON run on a writer thread so the processing thread only takes the
 * snapshot; a checkpoint asked for while one is being written replaces any that is still waiting.
 */
final class Checkpointer implements AutoCloseable {
  private final Path file;
  private final Baseline before;
  private final EgretConfig config;
  private final String version;
  private final ExecutorService writer;
  private final AtomicReference<Job> waiting = new AtomicReference<>();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicReference<IOException> lastError = new AtomicReference<>();
  private Future<?> inFlight;

  private record Job(Baseline run, List<FlowRecord> open) {}

  Checkpointer(Path file, Baseline before, EgretConfig config, String version) {
    this.file = file;
    this.before = before;
    this.config = config;
    this.version = version;
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "egret-checkpoint");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Temporary files left by a write that a kill interrupted: {@code .NAME.*.tmp} beside the
   * baseline. They were never renamed over it, so they are only removed.
   */
  static int removeStaleTemporaries(Path baseline) throws IOException {
    Path abs = baseline.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    int n = 0;
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(dir, "." + abs.getFileName() + ".*.tmp")) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
        n++;
      }
    }
    return n;
  }

  /** Queues a write; returns at once. */
  synchronized void submit(Baseline run, List<FlowRecord> open) {
    waiting.set(new Job(run, open));
    if (inFlight == null || inFlight.isDone()) {
      inFlight = writer.submit(this::writeWaiting);
    }
  }

  private void writeWaiting() {
    Job j;
    while ((j = waiting.getAndSet(null)) != null) {
      try {
        write(j);
        lastError.set(null);
      } catch (IOException e) {
        lastError.set(e);
      }
    }
  }

  /** Writes now, after any write in progress; the last write of a run. */
  Baseline writeNow(Baseline run, List<FlowRecord> open) throws IOException {
    Future<?> f;
    synchronized (this) {
      waiting.set(null);
      f = inFlight;
    }
    if (f != null) {
      try {
        f.get(5, TimeUnit.MINUTES);
      } catch (ExecutionException | TimeoutException e) {
        // A failed or stuck periodic write: the final one below is what counts.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return write(new Job(run, open));
  }

  /** The baseline a write would produce; for tests and the final summary. */
  Baseline merged(Baseline run, List<FlowRecord> open) {
    Baseline b = Baselines.merge(before, run, version);
    if (open.isEmpty()) {
      return b;
    }
    Learner openLearner = new Learner(config);
    for (FlowRecord f : open) {
      openLearner.onFlow(f);
    }
    return Baselines.merge(b, openLearner.snapshot(version, List.of(), 0, 0, 0, 0), version);
  }

  private Baseline write(Job j) throws IOException {
    Baseline b = merged(j.run, j.open);
    BaselineJson.write(file, b);
    writes.incrementAndGet();
    return b;
  }

  Path file() {
    return file;
  }

  long writes() {
    return writes.get();
  }

  /** The error of the last periodic write, or null when it succeeded. */
  IOException lastError() {
    return lastError.get();
  }

  @Override
  public void close() {
    writer.shutdown();
  }
}
