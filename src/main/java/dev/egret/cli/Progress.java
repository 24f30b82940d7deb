package dev.egret.cli;

import dev.egret.io.Escape;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One line of progress on stderr, only when stderr is a terminal: what is being read, how far (and
 * %, rate and time left when the total is known), redrawn at most four times a second with a
 * carriage return and erased when the work ends. On a pipe, a file, in CI or under cron it prints
 * nothing at all, so logs and captured output stay as they were.
 *
 * <p>{@link #advance} is the per-packet call: two additions and, every 4,096 calls, a clock read.
 */
final class Progress {
  /** Redraw interval. */
  static final long REFRESH_NS = 250_000_000L;

  /** The instance that draws nothing. */
  static final Progress OFF = new Progress(null, System::nanoTime);

  private final PrintWriter err;
  private final LongSupplier clock;
  private String what = "";
  private long total = -1;
  private long done;
  private long packets;
  private long startNs;
  private long lastDrawNs;
  private int sinceCheck;
  private boolean drawn;

  Progress(PrintWriter err, LongSupplier clock) {
    this.err = err;
    this.clock = clock;
  }

  /** Progress on {@code err} when the process's stderr is a terminal, else {@link #OFF}. */
  static Progress onTerminal(PrintWriter err) {
    return stderrIsTerminal() ? new Progress(err, System::nanoTime) : OFF;
  }

  /**
   * True when file descriptor 2 is a terminal and {@code TERM} is not {@code dumb}. {@code
   * System.console()} is no help: it looks at stdin and stdout, and {@code egret flows x.pcap >
   * flows.csv} should still show progress.
   */
  static boolean stderrIsTerminal() {
    return !"dumb".equals(System.getenv("TERM")) && LiveStatusPrinter.stderrIsTerminal();
  }

  boolean on() {
    return err != null;
  }

  /** Starts a new piece of work: {@code total} units (bytes), or -1 when unknown. */
  void begin(String what, long total) {
    if (err == null) {
      return;
    }
    this.what = Escape.forTerminal(what);
    this.total = total;
    this.done = 0;
    this.packets = 0;
    this.startNs = clock.getAsLong();
    this.lastDrawNs = startNs;
  }

  /** One packet of {@code bytes} bytes done. */
  void advance(long bytes) {
    if (err == null) {
      return;
    }
    done += bytes;
    packets++;
    if (++sinceCheck >= 4096) {
      sinceCheck = 0;
      long now = clock.getAsLong();
      if (now - lastDrawNs >= REFRESH_NS) {
        lastDrawNs = now;
        draw(now);
      }
    }
  }

  /** Sets the work done so far, for work that is not packets (bytes written, say). */
  void at(long doneSoFar) {
    if (err == null) {
      return;
    }
    done = doneSoFar;
    long now = clock.getAsLong();
    if (now - lastDrawNs >= REFRESH_NS) {
      lastDrawNs = now;
      draw(now);
    }
  }

  /**
   * Shows one step of work that has no unit to count (reading a baseline, generating a policy): the
   * step, and how long the whole command has run.
   */
  void step(String text) {
    if (err == null) {
      return;
    }
    long now = clock.getAsLong();
    if (startNs == 0) {
      startNs = now;
    }
    err.print(
        "\r\033[K"
            + "egret: "
            + Escape.forTerminal(text)
            + String.format(Locale.ROOT, " (%.1f s)", (now - startNs) / 1e9));
    err.flush();
    drawn = true;
  }

  /** Erases the line, if one was drawn; what follows starts on a clean line. */
  void end() {
    if (err != null && drawn) {
      err.print("\r\033[K");
      err.flush();
      drawn = false;
    }
  }

  /** The line for the current state at {@code now}, without the carriage return. */
  String line(long now) {
    double secs = Math.max(1e-9, (now - startNs) / 1e9);
    double rate = done / secs;
    StringBuilder sb = new StringBuilder("egret: ").append(what).append(' ');
    if (total > 0) {
      double f = Math.min(1.0, (double) done / total);
      sb.append(String.format(Locale.ROOT, "%3.0f%% ", 100 * f))
          .append(bytes(done))
          .append(" of ")
          .append(bytes(total));
    } else {
      sb.append(bytes(done));
    }
    if (packets > 0) {
      sb.append(String.format(Locale.ROOT, ", %s packets", count(packets)));
    }
    sb.append(", ").append(bytes((long) rate)).append("/s");
    if (total > 0 && rate > 0 && done < total) {
      sb.append(", ").append(eta((long) ((total - done) / rate))).append(" left");
    }
    return sb.toString();
  }

  private void draw(long now) {
    err.print("\r\033[K" + line(now));
    err.flush();
    drawn = true;
  }

  static String bytes(long b) {
    if (b < 1024) {
      return b + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  }

  static String count(long n) {
    if (n < 10_000) {
      return Long.toString(n);
    }
    if (n < 10_000_000) {
      return String.format(Locale.ROOT, "%.0f k", n / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f M", n / 1e6);
  }

  static String eta(long seconds) {
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, seconds % 3600 / 60);
  }

  /**
   * The size to measure a capture file against: its length, or -1 for standard input, a file that
   * is not regular, or a gzip file (whose length is not what is read).
   */
  static long sizeOf(String name) {
    if ("-".equals(name)) {
      return -1;
    }
    Path p = Path.of(name);
    try {
      if (!Files.isRegularFile(p)) {
        return -1;
      }
      try (InputStream in = Files.newInputStream(p)) {
        if (in.read() == 0x1f && in.read() == 0x8b) {
          return -1;
        }
      }
      return Files.size(p);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
