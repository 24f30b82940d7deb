package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EgretTest {
  /** The list and the switch name the same commands, each under its own annotated name. */
  @Test
  void everyListedCommandIsBuiltUnderItsName() {
    for (String name : Egret.COMMANDS) {
      Object c = Egret.command(name);
      assertNotNull(c, name);
      assertEquals(name, c.getClass().getAnnotation(CommandLine.Command.class).name());
    }
    assertNull(Egret.command("nope"));
    List<String> full = new ArrayList<>(Egret.commandLine().getSubcommands().keySet());
    full.remove("help");
    assertEquals(Egret.COMMANDS, full);
  }

  @Test
  void aRunBuildsOnlyTheCommandInvoked() {
    assertEquals(
        List.of("flows"), List.copyOf(Egret.commandLine("flows").getSubcommands().keySet()));
  }

  /** The command list shows one line per command: every command has a one-line header. */
  @Test
  void everyCommandHasAOneLineHeader() {
    for (String name : Egret.COMMANDS) {
      String[] header =
          Egret.command(name).getClass().getAnnotation(CommandLine.Command.class).header();
      assertEquals(1, header.length, name);
      assertEquals(
          true, header[0].length() <= 68 && header[0].endsWith("."), name + ": " + header[0]);
    }
  }

  @Test
  void noCommandPrintsTheUsageAndExitsTwo() {
    Cli c = Cli.run();
    assertEquals(2, c.rc());
    assertEquals("", c.out());
    assertEquals(true, c.err().startsWith("Usage: egret [-hV] [--verbose] [COMMAND]\n"), c.err());
    assertEquals(true, c.err().contains("\n  report      Write an offline HTML report"), c.err());
  }
}
