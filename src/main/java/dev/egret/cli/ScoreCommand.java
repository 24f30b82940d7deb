package dev.egret.cli;

import dev.egret.baseline.BaselineJson;
import dev.egret.policy.Anomaly;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyYaml;
import dev.egret.synth.Score;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code egret score}: a policy's figures against a synthetic site's labels (scripts/quality). */
@Command(
    name = "score",
    hidden = true,
    header = "Score a policy against a synthetic site's labels.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:scored", "2:usage error or unreadable policy, capture or labels"},
    description = {
      "Scores a policy on one day of an 'egret synth --site' scenario: legitimate and malicious"
          + " flows blocked (from 'egret check --csv'), malicious flows flagged by the anomalies"
          + " of a detection policy, rules against exact tuples, review items, anomalies by kind.",
    },
    footerHeading = "%nExample:%n",
    footer = {"  scripts/quality   # runs synth, learn, policy, check and score"})
final class ScoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--labels", required = true, paramLabel = "CSV", description = "labels.csv.")
  Path labels;

  @Option(
      names = "--day",
      paramLabel = "N",
      description = "The day to score (from 1). Default: the last day in the labels.")
  Integer day;

  @Option(
      names = "--blocked",
      required = true,
      paramLabel = "CSV",
      description = "What 'egret check --csv --policy POLICY' printed for that day.")
  Path blocked;

  @Option(
      names = "--policy",
      required = true,
      paramLabel = "POLICY",
      description = "The policy checked: its rules, review items and anomalies are counted.")
  Path policy;

  @Option(
      names = "--baseline",
      required = true,
      paramLabel = "BASELINE",
      description = "The baseline the policy came from: its entries are the exact tuples.")
  Path baseline;

  @Option(
      names = "--detect",
      paramLabel = "POLICY",
      description = "A policy made from a baseline that includes the day: its anomalies flag.")
  Path detect;

  @Option(names = "--row", description = "One line of figures (for scripts/quality's table).")
  boolean row;

  @Override
  public Integer call() throws IOException {
    Map<dev.egret.synth.Labels.Key, Long> truth;
    List<Score.Blocked> rows;
    try (Reader in = reader(labels)) {
      truth = Score.readLabels(in, labels.toString());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    try (Reader in = reader(blocked)) {
      rows = Score.readBlocked(in, blocked.toString());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    int d = day != null ? day : truth.keySet().stream().mapToInt(k -> k.day()).max().orElse(1);
    Policy p = PolicyYaml.read(policy);
    List<Score.Flag> flags = new ArrayList<>();
    if (detect != null) {
      for (Anomaly a : PolicyYaml.read(detect).anomalies()) {
        flags.add(new Score.Flag(a.kind(), a.host(), a.destinations(), a.protocol(), a.port()));
      }
    }
    int tuples = BaselineJson.read(baseline).entries().size();
    Score.Card c = Score.score(truth, d, rows, flags);
    Map<String, Integer> kinds = new TreeMap<>();
    for (Anomaly a : p.anomalies()) {
      kinds.merge(a.kind(), 1, Integer::sum);
    }
    PrintWriter out = spec.commandLine().getOut();
    String byKind =
        kinds.isEmpty()
            ? "none"
            : String.join(
                " ", kinds.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    if (row) {
      out.printf(
          Locale.ROOT,
          "%6.1f%% %6.1f%% %6.1f%% %6d %6d %6d %6d  %s%n",
          Score.Card.percent(c.maliciousBlocked(), c.maliciousFlows()),
          Score.Card.percent(c.maliciousCaught(), c.maliciousFlows()),
          Score.Card.percent(c.legitBlocked(), c.legitFlows()),
          p.rules().size(),
          tuples,
          p.review().size(),
          p.anomalies().size(),
          byKind);
      out.flush();
      return ExitCodes.OK;
    }
    out.printf(Locale.ROOT, "day %d of %s%n", d, labels);
    line(out, "malicious flows blocked", c.maliciousBlocked(), c.maliciousFlows());
    line(out, "malicious blocked or flagged", c.maliciousCaught(), c.maliciousFlows());
    line(out, "legitimate flows blocked", c.legitBlocked(), c.legitFlows());
    out.printf(Locale.ROOT, "%-30s %d%n", "blocked flows without a label", c.unlabelledBlocked());
    out.printf(
        Locale.ROOT,
        "%-30s %d rules for %d exact tuples (%.1fx fewer)%n",
        "rules",
        p.rules().size(),
        tuples,
        p.rules().isEmpty() ? 0.0 : (double) tuples / p.rules().size());
    out.printf(Locale.ROOT, "%-30s %d%n", "review items", p.review().size());
    out.printf(Locale.ROOT, "%-30s %d: %s%n", "anomalies", p.anomalies().size(), byKind);
    out.printf(
        Locale.ROOT,
        "%n%-18s %-9s %7s %8s %8s  %s%n",
        "behaviour",
        "label",
        "flows",
        "blocked",
        "flagged",
        "flagged as");
    for (Score.Behaviour b : c.behaviours()) {
      out.printf(
          Locale.ROOT,
          "%-18s %-9s %7d %8d %8d  %s%n",
          b.name(),
          b.malicious() ? "malicious" : "legit",
          b.flows(),
          b.blocked(),
          b.flagged(),
          String.join(" ", b.kinds()));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void line(PrintWriter out, String what, long part, long whole) {
    out.printf(
        Locale.ROOT,
        "%-30s %d of %d (%.1f%%)%n",
        what,
        part,
        whole,
        Score.Card.percent(part, whole));
  }

  private static Reader reader(Path file) throws IOException {
    try {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserError(file + ": no such file");
    }
  }
}
