package dev.egret.live;

import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.EgretConfig;
import dev.egret.capture.LiveOptions;
import dev.egret.flow.FlowConfig;
import dev.egret.io.Escape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * One {@code egret capture} from start to end: opens the interfaces, says what it captures in one
 * line, learns until the time is up or SIGINT/SIGTERM ends it ({@link SignalStop}), and sums the
 * run up. Every line it gives is safe for a terminal (interface names, filters and file names are
 * the user's, capture errors the kernel's); the caller prints them.
 */
public final class LiveRun {
  /**
   * What to capture on.
   *
   * @param names the interfaces, in the order given
   * @param options libpcap settings, the same for every interface
   * @param saving the raw capture ring, or null for none
   */
  public record Interfaces(List<String> names, LiveOptions options, LiveSources.Saving saving) {
    public Interfaces {
      names = List.copyOf(names);
    }
  }

  /**
   * Where the run's lines go.
   *
   * @param say the start line, printed once SIGINT and SIGTERM are handled, before capturing starts
   * @param report gets the result once the last checkpoint is written; returns the exit code
   * @param flush called before a signal ends the process (the caller's output streams)
   */
  public record Output(
      Consumer<String> say, ToIntFunction<LiveLearning.Result> report, Runnable flush) {}

  private LiveRun() {}

  /**
   * True when {@code baseline} exists, to be resumed; reads it, so that a wrong or broken file is
   * refused before capturing starts.
   */
  public static boolean resumes(Path baseline) throws IOException {
    if (!Files.exists(baseline)) {
      return false;
    }
    BaselineJson.read(baseline);
    return true;
  }

  /**
   * Opens the interfaces and learns from them until stopped; the exit code {@code output.report}
   * gives, or {@code failureCode} when the run throws. Sources are closed on every path.
   */
  public static int run(
      LiveLearning.Settings settings,
      EgretConfig config,
      FlowConfig flows,
      Interfaces interfaces,
      LiveLearning.Drift drift,
      LiveLearning.Reporter reporter,
      Output output,
      int failureCode)
      throws IOException {
    boolean resume = Files.exists(settings.baseline());
    LiveSources opened =
        LiveSources.open(interfaces.names(), interfaces.options(), interfaces.saving());
    LiveLearning live;
    try {
      live = new LiveLearning(settings, config, flows, opened, drift, reporter);
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
    // The start line promises that SIGTERM writes the baseline: it is printed once the hook that
    // keeps that promise is in place (a stop before the run starts ends it at once). Once started,
    // the run closes the sources whose capture threads have returned.
    return SignalStop.run(
        () -> {
          output.say().accept(banner(interfaces, resume, settings.baseline()));
          return output.report().applyAsInt(live.run());
        },
        live::stop,
        output.flush(),
        failureCode);
  }

  /** One line at start and at resume: what is captured, where it goes, how to stop. */
  static String banner(Interfaces interfaces, boolean resume, Path baseline) {
    String bpf = interfaces.options().bpf();
    return Escape.forTerminal(
        "capturing on "
            + String.join(", ", interfaces.names())
            + (bpf == null ? "" : " (filter \"" + bpf + "\")")
            + (resume ? ", resuming " : ", new baseline ")
            + baseline
            + "; Ctrl-C or SIGTERM writes the baseline and stops");
  }

  /** The last lines of a run: what was held back, and where the baseline went (or what failed). */
  public static List<String> summary(
      LiveLearning.Result r, Path baseline, LiveLearning.Drift drift) {
    List<String> lines = new ArrayList<>();
    String file = Escape.forTerminal(baseline.toString());
    if (drift != null && drift.held() != null) {
      String held = Escape.forTerminal(drift.held().toString());
      lines.add(r.heldBack() + " flows the policy would block held back in " + held);
    }
    if (r.failure() != null) {
      String why = Escape.forTerminal(r.failure().getMessage());
      lines.add(why + "; baseline written to " + file);
    } else {
      int entries = r.baseline().entries().size();
      int hosts = r.baseline().hosts().size();
      lines.add("baseline written to " + file + " (" + entries + " entries, " + hosts + " hosts)");
    }
    return lines;
  }
}
