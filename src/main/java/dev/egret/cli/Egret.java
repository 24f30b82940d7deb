package dev.egret.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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

  /**
   * The subcommands, in help order. Only the one invoked is built: picocli reads every command's
   * annotations when it is added, which took 0.3 s for all of them, more than a small replay.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("flows", FlowsCommand::new);
    COMMANDS.put("learn", LearnCommand::new);
    COMMANDS.put("capture", CaptureCommand::new);
    COMMANDS.put("interfaces", InterfacesCommand::new);
    COMMANDS.put("baseline", BaselineCommand::new);
    COMMANDS.put("policy", PolicyCommand::new);
    COMMANDS.put("check", CheckCommand::new);
    COMMANDS.put("diff", DiffCommand::new);
    COMMANDS.put("compile", CompileCommand::new);
    COMMANDS.put("apply", ApplyCommand::new);
    COMMANDS.put("synth", SynthCommand::new);
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
    Supplier<Object> only = first == null ? null : COMMANDS.get(first);
    if (only != null) {
      cl.addSubcommand(first, only.get());
    } else {
      COMMANDS.forEach((name, make) -> cl.addSubcommand(name, make.get()));
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
