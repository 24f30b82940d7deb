package dev.egret.cli;

import dev.egret.live.LiveLearning;
import dev.egret.live.Times;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** When {@code egret capture} stops, how often it writes the baseline, how it shows progress. */
final class LiveRunOptions {
  static final class Until {
    @Option(
        names = "--duration",
        paramLabel = "DURATION",
        converter = Durations.Nanos.class,
        description = "Stop after e.g. 3d.")
    Long durationNanos;

    @Option(
        names = "--until",
        paramLabel = "TIME",
        description = "Stop at a time: 2024-05-01T08:00, 2024-05-01T08:00:00Z or 08:00 (next).")
    String until;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Until stopAt;

  @Option(
      names = "--checkpoint",
      defaultValue = "5m",
      paramLabel = "DURATION",
      converter = Durations.Nanos.class,
      description = "Write the baseline this often (default: ${DEFAULT-VALUE}).")
  long checkpointNanos;

  @Option(
      names = "--status",
      defaultValue = "auto",
      paramLabel = "MODE",
      description =
          "auto, line (a live line), log (a line per interval), json (JSON lines) or none"
              + " (default: ${DEFAULT-VALUE}: line on a terminal, log otherwise).")
  String statusMode;

  @Option(
      names = "--status-every",
      paramLabel = "DURATION",
      converter = Durations.Nanos.class,
      description = "Status interval (default: 2s for the live line, 1m otherwise).")
  Long statusEveryNanos;

  @Option(
      names = {"-q", "--quiet"},
      description = "No status, only warnings and the final line.")
  boolean quiet;

  LiveStatusPrinter.Mode mode() {
    if (quiet) {
      return LiveStatusPrinter.Mode.NONE;
    }
    try {
      return LiveStatusPrinter.Mode.valueOf(statusMode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError(
          "--status: unknown mode \"" + statusMode + "\" (expected auto, line, log, json or none)");
    }
  }

  long everyNanos(LiveStatusPrinter.Mode mode) {
    if (statusEveryNanos != null) {
      return statusEveryNanos;
    }
    return mode == LiveStatusPrinter.Mode.LINE ? 2_000_000_000L : 60_000_000_000L;
  }

  /** The settings of a run on live interfaces, whose packets carry the current time. */
  LiveLearning.Settings settings(Path baseline, LiveStatusPrinter.Mode mode, int queue) {
    return new LiveLearning.Settings(
        baseline,
        checkpointNanos(),
        everyNanos(mode),
        stopAtNanos(),
        queue,
        LiveLearning.FlowClock.WALL,
        Version.get());
  }

  long checkpointNanos() {
    return checkpointNanos;
  }

  /** When to stop, in ns since the epoch, or {@link Long#MAX_VALUE}. */
  long stopAtNanos() {
    if (stopAt == null) {
      return Long.MAX_VALUE;
    }
    if (stopAt.durationNanos != null) {
      return Times.now() + stopAt.durationNanos;
    }
    try {
      return Times.parseUntil(stopAt.until, ZonedDateTime.now());
    } catch (IllegalArgumentException e) {
      throw new UserError("--until: " + e.getMessage());
    }
  }
}
