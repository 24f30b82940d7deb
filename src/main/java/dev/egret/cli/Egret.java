package dev.egret.cli;

import java.io.PrintWriter;
import java.util.List;
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
      "  egret compile --target nftables policy.yaml --host 10.1.0.10 > egret.nft",
    })
public final class Egret implements java.util.concurrent.Callable<Integer> {
  @Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** {@code egret} without a command: the usage on stderr, and exit 2 like any usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  public static void main(String[] args) {
    int rc;
    try {
      rc = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    } catch (OutOfMemoryError e) {
      // The learner's and flow table's bounds follow the heap, so this is not expected; if it
      // happens, one line says what to do rather than a stack trace.
      System.err.println(
          "egret: out of memory (heap "
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MB): give the JVM more (EGRET_JAVA_OPTS=-Xmx4g) or lower --max-flows and"
              + " --max-entries");
      rc = ExitCodes.FAILURE;
    }
    System.exit(rc);
  }

  /** The subcommands, in help order. */
  static final List<String> COMMANDS =
      List.of(
          "flows",
          "learn",
          "capture",
          "interfaces",
          "baseline",
          "policy",
          "review",
          "check",
          "diff",
          "compile",
          "apply",
          "drops",
          "report",
          "resolve",
          "synth",
          "score");

  /**
   * A new instance of one subcommand, or null. Only the one invoked is built: picocli reads every
   * command's annotations when it is added, which took 0.3 s for all of them, more than a small
   * replay; a switch rather than a map of constructor references also leaves the other command
   * classes unloaded.
   */
  static Object command(String name) {
    return switch (name) {
      case "flows" -> new FlowsCommand();
      case "learn" -> new LearnCommand();
      case "capture" -> new CaptureCommand();
      case "interfaces" -> new InterfacesCommand();
      case "baseline" -> new BaselineCommand();
      case "policy" -> new PolicyCommand();
      case "review" -> new ReviewCommand();
      case "check" -> new CheckCommand();
      case "diff" -> new DiffCommand();
      case "compile" -> new CompileCommand();
      case "apply" -> new ApplyCommand();
      case "drops" -> new DropsCommand();
      case "report" -> new ReportCommand();
      case "resolve" -> new ResolveCommand();
      case "synth" -> new SynthCommand();
      case "score" -> new ScoreCommand();
      default -> null;
    };
  }

  /** Runs egret with the given streams; what tests call. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine(args.length > 0 ? args[0] : null);
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  /** The full command line, every subcommand included. */
  static CommandLine commandLine() {
    return commandLine(null);
  }

  /** The command line for a run whose first argument is {@code first}. */
  static CommandLine commandLine(String first) {
    CommandLine cl = new CommandLine(new Egret());
    Object only = first == null ? null : command(first);
    if (only != null) {
      cl.addSubcommand(first, only);
    } else {
      for (String name : COMMANDS) {
        cl.addSubcommand(name, command(name));
      }
      cl.addSubcommand("help", new CommandLine.HelpCommand());
    }
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
