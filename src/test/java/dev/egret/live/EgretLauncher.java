package dev.egret.live;

import dev.egret.cli.Egret;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import picocli.CommandLine;

/**
 * Runs egret in a child process for the live tests: {@code Egret}'s own command line, with the live
 * commands added when the root does not list them yet.
 */
public final class EgretLauncher {
  private EgretLauncher() {}

  public static void main(String[] args) throws Exception {
    Method m = Egret.class.getDeclaredMethod("commandLine");
    m.setAccessible(true);
    CommandLine cl = (CommandLine) m.invoke(null);
    for (String[] c :
        new String[][] {
          {"capture", "dev.egret.cli.CaptureCommand"},
          {"interfaces", "dev.egret.cli.InterfacesCommand"}
        }) {
      if (!cl.getSubcommands().containsKey(c[0])) {
        CommandLine sub = new CommandLine(Class.forName(c[1]));
        sub.setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
        sub.setParameterExceptionHandler(cl.getParameterExceptionHandler());
        sub.setExitCodeExceptionMapper(cl.getExitCodeExceptionMapper());
        cl.addSubcommand(c[0], sub);
      }
    }
    cl.setOut(new PrintWriter(System.out, true));
    cl.setErr(new PrintWriter(System.err, true));
    System.exit(cl.execute(args));
  }
}
