package dev.egret.cli;

import dev.egret.baseline.SourceRecord;
import dev.egret.io.Fingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fingerprints of the files {@code learn} reads, and the refusal of one already in the baseline
 * or given twice. They are taken on a thread of their own while the captures are replayed: hashing
 * 8 MiB per file ({@link Fingerprint}) cost a cold JVM 0.1 s on the replaying thread, a tenth of
 * its work on the bench capture. A refusal stops the replay through {@code onRefused} and is thrown
 * by {@link #await}, which the caller reaches before anything is written or any log is read.
 */
final class InputFingerprints {
  private final List<String> files;
  private final List<SourceRecord> known;
  private final String baseline;
  private final Set<String> captures;
  private final Runnable onRefused;
  private final Map<String, String> byFingerprint = new HashMap<>();
  private final Thread thread;
  private Exception failure;

  private InputFingerprints(
      List<String> files,
      List<SourceRecord> known,
      String baseline,
      Set<String> captures,
      Runnable onRefused) {
    this.files = List.copyOf(files);
    this.known = known;
    this.baseline = baseline;
    this.captures = captures;
    this.onRefused = onRefused;
    this.thread = new Thread(this::run, "egret-fingerprint");
    thread.setDaemon(true);
  }

  /**
   * Starts fingerprinting {@code files} (standard input and what is not a regular file are skipped)
   * in order.
   *
   * @param known the sources of the baseline added to
   * @param captures which of the files are captures, for the message
   * @param onRefused called on the fingerprinting thread when a file is refused
   */
  static InputFingerprints start(
      List<String> files,
      List<SourceRecord> known,
      String baseline,
      Set<String> captures,
      Runnable onRefused) {
    InputFingerprints f = new InputFingerprints(files, known, baseline, captures, onRefused);
    f.thread.start();
    return f;
  }

  private void run() {
    try {
      for (String f : files) {
        if (f.equals("-") || !Files.isRegularFile(Path.of(f))) {
          continue;
        }
        check(f, Fingerprint.of(Path.of(f)));
      }
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        failure = e;
      }
      onRefused.run();
    }
  }

  private void check(String f, String fp) {
    for (SourceRecord s : known) {
      if (fp.equals(s.fingerprint())) {
        throw new UserError(
            f + ": already in " + baseline + " (absorbed as " + s.name() + "); not counted twice");
      }
    }
    String dup;
    synchronized (this) {
      dup = byFingerprint.put(fp, f);
    }
    if (dup != null) {
      throw new UserError(
          f
              + ": same "
              + (captures.contains(f) ? "capture" : "log")
              + " as "
              + dup
              + "; not counted twice");
    }
  }

  /**
   * Waits for every fingerprint; returns them, fingerprint to file name.
   *
   * @throws UserError when a file is already in the baseline or was given twice
   * @throws IOException when a file could not be read
   */
  Map<String, String> await() throws IOException, InterruptedException {
    thread.join();
    synchronized (this) {
      if (failure instanceof IOException e) {
        throw e;
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      return Map.copyOf(byFingerprint);
    }
  }
}
