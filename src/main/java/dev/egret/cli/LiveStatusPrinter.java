package dev.egret.cli;

import dev.egret.io.Escape;
import dev.egret.live.LiveLearning;
import dev.egret.live.Status;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Prints live status to stderr: on a terminal one line rewritten in place, otherwise one log line
 * per interval, JSON lines for services, or nothing but warnings.
 */
final class LiveStatusPrinter implements LiveLearning.Reporter {
  /** How status is shown. */
  enum Mode {
    AUTO,
    LINE,
    LOG,
    JSON,
    NONE
  }

  private final PrintWriter err;
  private final Mode mode;
  private boolean lineShown;

  LiveStatusPrinter(PrintWriter err, Mode mode) {
    this.err = err;
    this.mode = mode == Mode.AUTO ? (stderrIsTerminal() ? Mode.LINE : Mode.LOG) : mode;
  }

  Mode mode() {
    return mode;
  }

  /** True when file descriptor 2 is a terminal (Linux: its /proc link names a tty). */
  static boolean stderrIsTerminal() {
    try {
      String t = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty");
    } catch (Exception e) {
      return System.console() != null;
    }
  }

  @Override
  public synchronized void status(Status s) {
    switch (mode) {
      case LINE -> {
        err.print("\r\033[K" + "egret: " + s.text());
        if (s.done()) {
          err.println();
          lineShown = false;
        } else {
          lineShown = true;
        }
      }
      case LOG -> err.println(stamp() + " egret: " + (s.done() ? "stopped: " : "") + s.text());
      case JSON -> err.println(s.json());
      default -> {
        if (s.done()) {
          err.println("egret: " + s.text());
        }
      }
    }
    err.flush();
  }

  @Override
  public synchronized void warning(String message) {
    String m = "egret: warning: " + Escape.forTerminal(message);
    if (lineShown) {
      err.print("\r\033[K");
      lineShown = false;
    }
    err.println(mode == Mode.LOG ? stamp() + " " + m : m);
    err.flush();
  }

  /** A line above the status line: an alert, a message. */
  synchronized void above(PrintWriter out, String line) {
    if (lineShown) {
      err.print("\r\033[K");
      err.flush();
      lineShown = false;
    }
    out.println(line);
    out.flush();
  }

  private static String stamp() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
