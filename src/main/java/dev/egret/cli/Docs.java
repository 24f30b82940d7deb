package dev.egret.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Writes egret's man pages and bash completion script from the command line itself; the build runs
 * it (pom.xml, {@code process-classes}) so both ship inside the jar under {@code share/}:
 *
 * <pre>
 *   share/man/man1/egret.1, egret-COMMAND.1, egret-baseline-show.1, ...
 *   share/bash-completion/completions/egret
 * </pre>
 */
public final class Docs {
  private Docs() {}

  /** {@code Docs DIR}: writes the files under {@code DIR}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Docs DIR");
      System.exit(ExitCodes.USAGE);
    }
    write(Path.of(args[0]), Egret.commandLine());
  }

  static void write(Path dir, CommandLine cl) throws IOException {
    Path completion = dir.resolve("bash-completion/completions/egret");
    Files.createDirectories(completion.getParent());
    Files.writeString(completion, AutoComplete.bash("egret", cl), StandardCharsets.UTF_8);
    Path man = Files.createDirectories(dir.resolve("man/man1"));
    pages(man, cl);
  }

  private static void pages(Path man, CommandLine cl) throws IOException {
    if (cl.getCommandName().equals("help")) {
      return;
    }
    Files.writeString(
        man.resolve(ManPage.fileName(cl.getCommandSpec())),
        ManPage.page(cl),
        StandardCharsets.UTF_8);
    for (CommandLine sub : cl.getSubcommands().values()) {
      pages(man, sub);
    }
  }
}
