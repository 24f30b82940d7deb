package dev.egret.cli;

import dev.egret.io.Escape;
import dev.egret.policy.PolicyDiff;
import dev.egret.policy.PolicyYaml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code egret diff OLD NEW}: rules added, removed, broadened or narrowed. */
@Command(
    name = "diff",
    header = "Compare two policies rule by rule.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the policies allow the same",
      "1:the policies differ",
      "2:usage error or unreadable policy"
    },
    description = {
      "Compare two policies rule by rule: added, removed, broadened, narrowed or changed;"
          + " deny rules added or removed; and the review decisions that are new or gone (a rule"
          + " a decision made says so).",
      "Exit 0 when they allow the same (decisions alone are no difference), 1 when they differ,"
          + " 2 on error.",
    },
    footerHeading = "%nExamples:%n",
    footer = {"  egret diff policy-last-week.yaml policy.yaml"})
final class DiffCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OLD")
  Path older;

  @Parameters(index = "1", paramLabel = "NEW")
  Path newer;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<PolicyDiff.Change> changes =
        PolicyDiff.between(PolicyYaml.read(older), PolicyYaml.read(newer));
    PrintWriter out = spec.commandLine().getOut();
    for (PolicyDiff.Change c : changes) {
      out.printf("%-12s %s: %s%n", c.kind(), c.name(), Escape.forTerminal(c.detail()));
    }
    out.flush();
    spec.commandLine()
        .getErr()
        .println(
            "egret: diff: " + (changes.isEmpty() ? "no changes" : changes.size() + " changes"));
    return PolicyDiff.differ(changes) ? ExitCodes.FAILURE : ExitCodes.OK;
  }
}
