package dev.egret.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point: {@code egret <command>}. */
@Command(
    name = "egret",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = Egret.Version.class,
    description = {
      "Learns which outbound connections a network's hosts really make and writes the"
          + " least-privilege egress firewall rules that allow only those.",
    },
    subcommands = {
      FlowsCommand.class,
      LearnCommand.class,
      CaptureCommand.class,
      InterfacesCommand.class,
      BaselineCommand.class,
      PolicyCommand.class,
      CheckCommand.class,
      DiffCommand.class,
      CompileCommand.class,
      ApplyCommand.class,
      SynthCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:failure (check: traffic the policy would block; diff: the policies differ)",
      "2:usage error or unreadable input",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  egret flows captures/webserver.pcapng > flows.csv",
      "  egret learn captures/webserver.pcapng --baseline baseline.json",
      "  egret capture -i eth1 --baseline baseline.json --duration 3d",
      "  egret baseline show baseline.json",
      "  egret policy baseline.json -o policy.yaml",
      "  egret check --policy policy.yaml tomorrow.pcap",
      "  egret compile --target nftables policy.yaml > egret.nft",
    })
public final class Egret implements Runnable {
  @Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs egret with the given streams; what tests call. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Egret());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setParameterExceptionHandler(new ErrorHandler());
    cl.setExitCodeExceptionMapper(ErrorHandler::exitCode);
    return cl;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Egret.class.getPackage().getImplementationVersion();
      return new String[] {"egret " + (v == null ? "dev" : v)};
    }
  }
}
