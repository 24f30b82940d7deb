package dev.egret.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Several capture files read as one source: the files one after the other in the order given, each
 * file's packets in file order. Packets are not merged by timestamp: pass the files in time order
 * (rotated captures usually sort by name) for time-ordered output. Each file is opened when its
 * turn comes and closed after it, so only one is open at a time; a file that cannot be opened fails
 * the run with its {@link CaptureException} once the files before it are done. {@link #stats()}
 * adds up all files read so far.
 */
public final class MultiFileSource implements PacketSource {
  private final List<String> names;
  private final Function<String, CaptureFile> opener;
  private final List<String> problems = new ArrayList<>();
  private volatile boolean stopped;
  private volatile CaptureFile current;
  private CaptureStats done = CaptureStats.EMPTY;

  /** Reads {@code pathsOrDash} with {@link CaptureFiles#open}. */
  public MultiFileSource(List<String> pathsOrDash) {
    this(pathsOrDash, CaptureFiles::open);
  }

  MultiFileSource(List<String> names, Function<String, CaptureFile> opener) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no capture files given");
    }
    this.names = List.copyOf(names);
    this.opener = opener;
  }

  /** The first file's name, with the count of the others. */
  @Override
  public String name() {
    return names.size() == 1
        ? names.get(0)
        : names.get(0) + " (+" + (names.size() - 1) + " more files)";
  }

  @Override
  public void run(PacketHandler handler) throws IOException {
    for (String name : names) {
      if (stopped) {
        return;
      }
      try (CaptureFile file = opener.apply(name)) {
        current = file;
        if (stopped) {
          return;
        }
        file.run(handler);
        synchronized (this) {
          done = done.plus(file.stats());
          current = null;
        }
        if (file.problem() != null) {
          problems.add(file.problem());
        }
      }
    }
  }

  @Override
  public void stop() {
    stopped = true;
    CaptureFile f = current;
    if (f != null) {
      f.stop();
    }
  }

  @Override
  public synchronized CaptureStats stats() {
    CaptureFile f = current;
    return f == null ? done : done.plus(f.stats());
  }

  /** {@link CaptureFile#problem()} of each file that had one, in reading order. */
  public List<String> problems() {
    return Collections.unmodifiableList(problems);
  }
}
