package dev.egret.cli;

import dev.egret.compile.IptablesCompiler;
import dev.egret.enforce.ToolException;
import dev.egret.enforce.ToolRunner;
import dev.egret.io.Escape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code egret apply}: loads a compiled ruleset and rolls it back unless confirmed in time, like
 * iptables-apply. The confirmation is read from standard input, so it only arrives if the new rules
 * still let the operator's session through.
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
  @Option(names = "--target", required = true, description = "nftables or iptables.")
  String target;

  @Parameters(index = "0", paramLabel = "DIR", description = "Directory 'egret compile -o' wrote.")
  Path dir;

  @Option(
      names = "--timeout",
      defaultValue = "30",
      description = "Seconds to wait for confirmation. Default: ${DEFAULT-VALUE}.")
  int timeout;

  @Option(
      names = "--tool-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
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
    if (netns != null && !netns.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new UserError("--netns name is not valid");
    }
    if (toolTimeout < 1) {
      throw new UserError("--tool-timeout must be at least 1 second");
    }
    if (!target.equals("nftables") && !target.equals("iptables")) {
      throw new UserError("--target must be nftables or iptables, not \"" + target + "\"");
    }
    runner =
        new ToolRunner(
            netns == null ? List.of() : List.of("ip", "netns", "exec", netns),
            Duration.ofSeconds(toolTimeout));
    PrintWriter err = spec.commandLine().getErr();
    try {
      return transaction(err);
    } catch (ToolException e) {
      err.println("egret: " + Escape.forTerminal(e.getMessage()));
      return TOOL_FAILED;
    } catch (RollbackFailed e) {
      err.println("egret: " + Escape.forTerminal(e.getMessage()));
      return ROLLBACK_FAILED;
    }
  }

  /** Exit code: a tool failed or timed out; the previous rules are back. */
  static final int TOOL_FAILED = 3;

  /** Exit code: restoring the previous rules failed as well. */
  static final int ROLLBACK_FAILED = 4;

  private ToolRunner runner;

  /** The first error and the rollback's, both in one line. */
  static final class RollbackFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RollbackFailed(String first, String rollback) {
      super(first + "; restoring the previous rules failed too: " + rollback);
    }
  }

  private int transaction(PrintWriter err) throws IOException, InterruptedException {
    Path backup = Files.createTempFile("egret-apply-", ".rules");
    Path backup6 = Path.of(backup + ".v6");
    Path setsBackup = Path.of(backup + ".sets");
    try {
      List<List<String>> load;
      List<List<String>> restore = new ArrayList<>();
      if (target.equals("nftables")) {
        Path f = file("egret.nft");
        check(List.of("nft", "-c", "-f", f.toString()));
        String saved = run(List.of("nft", "list", "ruleset"));
        Files.writeString(backup, "flush ruleset\n" + saved, StandardCharsets.UTF_8);
        load = List.of(List.of("nft", "-f", f.toString()));
        restore.add(List.of("nft", "-f", backup.toString()));
      } else if (target.equals("iptables")) {
        Path v4 = file("rules.v4");
        Path v6 = file("rules.v6");
        Path sets = dir.resolve("ipset.conf");
        List<String> setNames = Files.exists(sets) ? setNames(sets) : List.of();
        // What the sets held before, so that a rollback puts it back (a set the rules replaced
        // keeps its old addresses) and removes the sets that did not exist.
        List<String> existing =
            setNames.isEmpty()
                ? List.of()
                : List.of(run(List.of("ipset", "list", "-n")).split("\n"));
        StringBuilder before = new StringBuilder();
        List<String> created = new ArrayList<>();
        for (String name : setNames) {
          if (existing.contains(name)) {
            before.append(flushAfterCreate(run(List.of("ipset", "save", name)), name));
          } else {
            created.add(name);
          }
        }
        Files.writeString(setsBackup, before, StandardCharsets.UTF_8);
        String saved4 = run(List.of("iptables-save"));
        String saved6 = run(List.of("ip6tables-save"));
        Files.writeString(backup, withFilter(saved4), StandardCharsets.UTF_8);
        Files.writeString(backup6, withFilter(saved6), StandardCharsets.UTF_8);
        restore.add(
            List.of(
                "sh",
                "-ec",
                "iptables-restore < \"$1\"; ip6tables-restore < \"$2\"",
                "sh",
                backup.toString(),
                backup6.toString()));
        // A filter table that did not exist before is removed again (iptables-nft makes one,
        // with accept policies, even for a --test that fails).
        for (String family : List.of("ip", "ip6")) {
          String saved = family.equals("ip") ? saved4 : saved6;
          if (!saved.equals(withFilter(saved))) {
            restore.add(dropFilterTable(family));
          }
        }
        if (before.length() > 0) {
          restore.add(ipsetRestore(setsBackup));
        }
        for (String name : created) {
          restore.add(List.of("ipset", "destroy", name));
        }
        List<List<String>> l = new ArrayList<>();
        if (!setNames.isEmpty()) {
          // The rules' set matches need the sets, even to be tested.
          try {
            check(ipsetRestore(sets));
          } catch (ToolException e) {
            restoreAll(restore, e);
            throw e;
          }
        }
        try {
          check(List.of("iptables-restore", "--test", "--noflush", v4.toString()));
          check(List.of("ip6tables-restore", "--test", "--noflush", v6.toString()));
        } catch (ToolException e) {
          restoreAll(restore, e);
          throw e;
        }
        l.add(List.of("iptables-restore", "--noflush", v4.toString()));
        l.add(List.of("ip6tables-restore", "--noflush", v6.toString()));
        // The files append their jump to OUTPUT or FORWARD; the jumps an earlier apply left come
        // first, so once the new one is in, deleting that many first matches removes the old ones.
        l.addAll(oldJumps("iptables", Files.readString(backup, StandardCharsets.UTF_8)));
        l.addAll(oldJumps("ip6tables", Files.readString(backup6, StandardCharsets.UTF_8)));
        load = l;
      } else {
        throw new IllegalStateException("target checked above: " + target);
      }
      try {
        for (List<String> c : load) {
          check(c);
        }
      } catch (ToolException e) {
        restoreAll(restore, e);
        err.println(
            "egret: loading failed, previous rules restored: "
                + Escape.forTerminal(e.getMessage()));
        return TOOL_FAILED;
      }
      err.println(
          "egret: new rules loaded. Type yes within "
              + timeout
              + " s to keep them;"
              + " otherwise they are rolled back.");
      err.flush();
      if (confirmed()) {
        err.println("egret: confirmed, new rules kept");
        return ExitCodes.OK;
      }
      restoreAll(restore, null);
      err.println("egret: not confirmed within " + timeout + " s, previous rules restored");
      return ExitCodes.FAILURE;
    } finally {
      Files.deleteIfExists(backup);
      Files.deleteIfExists(backup6);
      Files.deleteIfExists(setsBackup);
    }
  }

  /**
   * A saved ruleset that restores the filter table even when it was empty: iptables-save prints
   * nothing for a table never used, and restoring that would leave egret's chain in place.
   */
  static String withFilter(String saved) {
    if (saved.startsWith("*filter") || saved.contains("\n*filter")) {
      return saved;
    }
    return saved
        + "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
  }

  /** One delete per jump into egret's chain that a saved ruleset holds in OUTPUT or FORWARD. */
  static List<List<String>> oldJumps(String tool, String saved) {
    List<List<String>> out = new ArrayList<>();
    for (String chain : List.of("OUTPUT", "FORWARD")) {
      String jump = "-A " + chain + " -j " + IptablesCompiler.CHAIN;
      for (String line : saved.split("\n")) {
        if (line.trim().equals(jump)) {
          out.add(List.of(tool, "-D", chain, "-j", IptablesCompiler.CHAIN));
        }
      }
    }
    return out;
  }

  /** The sets an ipset restore file creates, in order. */
  static List<String> setNames(Path ipsetConf) throws IOException {
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(ipsetConf, StandardCharsets.UTF_8)) {
      String[] w = line.trim().split("\\s+");
      if (w.length >= 2 && w[0].equals("create") && !names.contains(w[1])) {
        names.add(w[1]);
      }
    }
    return names;
  }

  /**
   * An {@code ipset save} of one set made restorable over the set's new contents: a flush after its
   * create line, so that only the saved members come back.
   */
  static String flushAfterCreate(String saved, String name) {
    StringBuilder out = new StringBuilder();
    for (String line : saved.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      out.append(line).append('\n');
      if (line.startsWith("create " + name + " ")) {
        out.append("flush ").append(name).append('\n');
      }
    }
    return out.toString();
  }

  /** Deletes an nftables-backed filter table of one family; nothing with legacy iptables. */
  static List<String> dropFilterTable(String family) {
    return List.of(
        "sh",
        "-c",
        "iptables -V | grep -q nf_tables && nft delete table " + family + " filter; true");
  }

  private static List<String> ipsetRestore(Path file) {
    return List.of("sh", "-ec", "ipset restore -exist < \"$1\"", "sh", file.toString());
  }

  /**
   * Runs every restore command; when one fails, throws {@link RollbackFailed} carrying the error
   * that led here ({@code cause}, null when the rules were simply not confirmed) and its own.
   */
  private void restoreAll(List<List<String>> restore, ToolException cause) {
    for (List<String> c : restore) {
      try {
        check(c);
      } catch (ToolException e) {
        throw new RollbackFailed(
            cause == null ? "the new rules were not confirmed" : cause.getMessage(),
            e.getMessage());
      }
    }
  }

  private Path file(String name) {
    Path f = dir.resolve(name);
    if (!Files.isRegularFile(f)) {
      throw new UserError(f + ": no such file (run egret compile --target " + target + " -o)");
    }
    return f;
  }

  private boolean confirmed() throws InterruptedException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return r.readLine();
              } catch (IOException e) {
                return null;
              }
            });
    try {
      String s = line.get(timeout, TimeUnit.SECONDS);
      return s != null && (s.trim().equalsIgnoreCase("yes") || s.trim().equalsIgnoreCase("y"));
    } catch (TimeoutException | ExecutionException e) {
      return false;
    }
  }

  private String run(List<String> cmd) {
    return runner.run(cmd);
  }

  private void check(List<String> cmd) {
    runner.run(cmd);
  }
}
