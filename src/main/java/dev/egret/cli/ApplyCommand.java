package dev.egret.cli;

import dev.egret.enforce.Firewall;
import dev.egret.enforce.ToolRunner;
import dev.egret.enforce.Transaction;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code egret apply}: loads a compiled ruleset and rolls it back unless confirmed in time, like
 * iptables-apply. The confirmation is read from standard input, so it only arrives if the new rules
 * still let the operator's session through. The transaction itself is {@link Transaction}.
 */
@Command(
    name = "apply",
    header = "Load compiled rules; roll back unless confirmed in time.",
    description = {
      "Loads rules made by 'egret compile' (nftables: DIR/egret.nft; iptables: DIR/rules.v4,"
          + " rules.v6 and ipset.conf), after checking them, then waits for 'yes' on standard"
          + " input. Without it within the timeout the previous ruleset is restored, address"
          + " sets included: a set that existed gets its old members back, a new one is removed.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the new rules were confirmed and kept",
      "1:not confirmed in time: the previous rules were restored",
      "2:usage error (bad option, missing file)",
      "3:a tool failed or timed out (rules that do not check, a load that failed): the previous"
          + " rules were restored",
      "4:restoring the previous rules failed too: both errors are printed; check the ruleset"
    })
public final class ApplyCommand implements java.util.concurrent.Callable<Integer> {
  @Option(
      names = "--target",
      required = true,
      paramLabel = "<target>",
      completionCandidates = Candidates.PacketFilters.class,
      description = "${COMPLETION-CANDIDATES}.")
  String target;

  @Parameters(index = "0", paramLabel = "DIR", description = "Directory 'egret compile -o' wrote.")
  Path dir;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.IntSeconds.class,
      description =
          "How long to wait for confirmation (30s, 5m; a bare number is seconds). Default:"
              + " ${DEFAULT-VALUE}.")
  int timeout;

  @Option(
      names = "--tool-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.IntSeconds.class,
      description =
          "The most one run of nft, iptables-restore or ipset may take before it is killed."
              + " Default: ${DEFAULT-VALUE}.")
  int toolTimeout;

  @Option(
      names = "--netns",
      paramLabel = "NAME",
      description = "Apply inside this network namespace (ip netns exec).")
  String netns;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  private final InputStream in;

  public ApplyCommand() {
    this(System.in);
  }

  /** With the stream the confirmation is read from. */
  public ApplyCommand(InputStream in) {
    this.in = in;
  }

  @Override
  public Integer call() throws Exception {
    if (timeout < 1) {
      throw new UserError("--timeout must be at least 1 second");
    }
    if (netns != null && !ToolRunner.isNamespaceName(netns)) {
      throw new UserError("--netns name is not valid");
    }
    if (toolTimeout < 1) {
      throw new UserError("--tool-timeout must be at least 1 second");
    }
    Firewall firewall =
        Firewall.named(target)
            .orElseThrow(
                () ->
                    new UserError("--target must be nftables or iptables, not \"" + target + "\""));
    Path missing = firewall.missingFile(dir).orElse(null);
    if (missing != null) {
      throw new UserError(
          missing + ": no such file (run egret compile --target " + target + " -o)");
    }
    PrintWriter err = spec.commandLine().getErr();
    Transaction.Result r =
        new Transaction(firewall, ToolRunner.in(netns, Duration.ofSeconds(toolTimeout)))
            .apply(dir, new StdinConfirmation(in, err, timeout));
    boolean late = r.outcome() == Transaction.Outcome.NOT_CONFIRMED;
    err.println("egret: " + (late ? "not confirmed within " + timeout + " s, " : "") + r.message());
    return switch (r.outcome()) {
      case KEPT -> ExitCodes.OK;
      case NOT_CONFIRMED -> ExitCodes.FAILURE;
      case TOOL_FAILED -> ExitCodes.APPLY_TOOL_FAILED;
      case ROLLBACK_FAILED -> ExitCodes.APPLY_ROLLBACK_FAILED;
    };
  }
}
