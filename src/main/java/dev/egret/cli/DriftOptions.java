package dev.egret.cli;

import dev.egret.io.Escape;
import dev.egret.live.DriftAlerts;
import dev.egret.live.LiveLearning;
import dev.egret.policy.PolicyChecker;
import dev.egret.policy.PolicyYaml;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code egret capture --policy}: alerts on new egress the policy would block, which by default is
 * held back in a file of its own and never learned into the baseline.
 */
final class DriftOptions implements Closeable {
  @Option(
      names = "--policy",
      paramLabel = "POLICY",
      description =
          "Report new egress flows this policy would block, as they start. They are kept out of"
              + " the baseline (in --held) so that the next policy does not allow them.")
  Path policyFile;

  @Option(names = "--alerts", paramLabel = "FILE", description = "Append alerts as JSON lines.")
  Path alertsFile;

  @Option(
      names = "--alert-every",
      defaultValue = "1h",
      paramLabel = "DURATION",
      converter = Durations.Nanos.class,
      description =
          "At most one alert per host, destination and port this often (default: ${DEFAULT-VALUE}).")
  long alertEveryNanos;

  @Option(
      names = "--held",
      paramLabel = "FILE",
      description =
          "Baseline of the flows the policy would block, kept apart to review (egret baseline"
              + " show) and merge if legitimate (default: the baseline's name with .held.json).")
  Path heldFile;

  @Option(
      names = "--learn-blocked",
      description =
          "Learn the flows the policy would block into the baseline too (with a warning): the"
              + " next policy made from it allows them.")
  boolean learnBlocked;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  private BufferedWriter alertsOut;

  /** Null without {@code --policy}; opens the alerts file. */
  LiveLearning.Drift drift(
      Path baseline, PrintWriter out, LiveStatusPrinter printer, PrintWriter err)
      throws IOException {
    if (policyFile == null) {
      boolean every = spec.commandLine().getParseResult().hasMatchedOption("--alert-every");
      if (alertsFile != null || every || heldFile != null || learnBlocked) {
        throw new UserError("--alerts, --alert-every, --held and --learn-blocked need --policy");
      }
      return null;
    }
    if (learnBlocked && heldFile != null) {
      throw new UserError("--held and --learn-blocked exclude each other");
    }
    PolicyChecker checker = new PolicyChecker(PolicyYaml.read(policyFile));
    Path held = learnBlocked ? null : heldFile != null ? heldFile : heldBeside(baseline);
    if (held != null
        && held.toAbsolutePath().normalize().equals(baseline.toAbsolutePath().normalize())) {
      throw new UserError("--held: " + held + " is the baseline itself");
    }
    if (learnBlocked) {
      err.println(
          "egret: warning: --learn-blocked: flows the policy would block are learned into "
              + Escape.forTerminal(baseline.toString())
              + "; a policy made from it will allow them");
    }
    if (alertsFile != null) {
      alertsOut =
          Files.newBufferedWriter(
              alertsFile,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
    }
    return new LiveLearning.Drift(checker, alertEveryNanos, sink(out, printer), held);
  }

  /** {@code baseline.json} -> {@code baseline.held.json}. */
  static Path heldBeside(Path baseline) {
    String name = baseline.getFileName().toString();
    String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    return baseline.resolveSibling(stem + ".held.json");
  }

  private Consumer<DriftAlerts.Alert> sink(PrintWriter out, LiveStatusPrinter printer) {
    boolean json = printer.mode() == LiveStatusPrinter.Mode.JSON;
    BufferedWriter file = alertsOut;
    return a -> {
      printer.above(out, json ? a.json() : Escape.forTerminal(a.text()));
      if (file != null) {
        try {
          file.write(a.json());
          file.newLine();
          file.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(alertsFile + ": " + e.getMessage(), e);
        }
      }
    };
  }

  @Override
  public void close() throws IOException {
    if (alertsOut != null) {
      alertsOut.close();
    }
  }
}
