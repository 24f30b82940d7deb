package dev.egret.cli;

import dev.egret.io.Escape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place errors become text and exit codes: one line {@code egret: <what>}, the stack trace
 * only under {@code --verbose}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    cl.getErr().println("egret: " + Escape.forTerminal(message(ex)));
    if (verbose(parsed)) {
      ex.printStackTrace(cl.getErr());
    }
    cl.getErr().flush();
    return exitCode(ex);
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    cl.getErr().println("egret: " + Escape.forTerminal(ex.getMessage()));
    cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
    cl.getErr().flush();
    return ExitCodes.USAGE;
  }

  static int exitCode(Throwable ex) {
    if (ex instanceof UserError
        || ex instanceof IOException
        || ex instanceof UncheckedIOException) {
      return ExitCodes.USAGE;
    }
    String pkg = ex.getClass().getPackageName();
    if (ex instanceof RuntimeException
        && pkg.startsWith("dev.egret.")
        && ex.getClass().getSimpleName().endsWith("Exception")) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILURE;
  }

  static String message(Throwable ex) {
    if (ex instanceof UncheckedIOException u && u.getCause() != null) {
      return message(u.getCause());
    }
    if (ex instanceof NoSuchFileException e) {
      return e.getFile() + ": no such file";
    }
    if (ex instanceof AccessDeniedException e) {
      return e.getFile() + ": permission denied";
    }
    String m = ex.getMessage();
    if (m == null || m.isBlank()) {
      return "internal error: " + ex.getClass().getName() + " (run with --verbose for details)";
    }
    return m;
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
