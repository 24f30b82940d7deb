package dev.egret.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    description = {
      "Loads rules made by 'egret compile' (nftables: DIR/egret.nft; iptables: DIR/rules.v4,"
          + " rules.v6 and ipset.conf), after checking them, then waits for 'yes' on standard"
          + " input. Without it within the timeout the previous ruleset is restored.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the new rules were confirmed and kept",
      "1:not confirmed in time (or a load failed): the previous rules were restored",
      "2:usage error or rules that do not check"
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
    PrintWriter err = spec.commandLine().getErr();
    Path backup = Files.createTempFile("egret-apply-", ".rules");
    try {
      List<List<String>> load;
      List<String> restore;
      if (target.equals("nftables")) {
        Path f = file("egret.nft");
        check(List.of("nft", "-c", "-f", f.toString()));
        String saved = run(List.of("nft", "list", "ruleset"));
        Files.writeString(backup, "flush ruleset\n" + saved, StandardCharsets.UTF_8);
        load = List.of(List.of("nft", "-f", f.toString()));
        restore = List.of("nft", "-f", backup.toString());
      } else if (target.equals("iptables")) {
        Path v4 = file("rules.v4");
        Path v6 = file("rules.v6");
        Path sets = dir.resolve("ipset.conf");
        List<List<String>> l = new ArrayList<>();
        if (Files.exists(sets)) {
          l.add(List.of("sh", "-ec", "ipset restore -exist < \"$1\"", "sh", sets.toString()));
        }
        for (List<String> c : l) {
          check(c);
        }
        check(List.of("iptables-restore", "--test", "--noflush", v4.toString()));
        check(List.of("ip6tables-restore", "--test", "--noflush", v6.toString()));
        Path backup6 = Path.of(backup + ".v6");
        Files.writeString(backup, run(List.of("iptables-save")), StandardCharsets.UTF_8);
        Files.writeString(backup6, run(List.of("ip6tables-save")), StandardCharsets.UTF_8);
        l.add(List.of("iptables-restore", "--noflush", v4.toString()));
        l.add(List.of("ip6tables-restore", "--noflush", v6.toString()));
        load = l;
        restore =
            List.of(
                "sh",
                "-ec",
                "iptables-restore < \"$1\"; ip6tables-restore < \"$2\"; rm -f \"$2\"",
                "sh",
                backup.toString(),
                backup6.toString());
      } else {
        throw new UserError("--target must be nftables or iptables, not \"" + target + "\"");
      }
      try {
        for (List<String> c : load) {
          check(c);
        }
      } catch (UserError e) {
        check(restore);
        err.println("egret: loading failed, previous rules restored: " + e.getMessage());
        return ExitCodes.FAILURE;
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
      check(restore);
      err.println("egret: not confirmed within " + timeout + " s, previous rules restored");
      return ExitCodes.FAILURE;
    } finally {
      Files.deleteIfExists(backup);
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

  private List<String> command(List<String> cmd) {
    if (netns == null) {
      return cmd;
    }
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", netns));
    c.addAll(cmd);
    return c;
  }

  private String run(List<String> cmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command(cmd))
            .redirectErrorStream(false)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    CompletableFuture<byte[]> errBytes =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return p.getErrorStream().readAllBytes();
              } catch (IOException e) {
                return new byte[0];
              }
            });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new UserError(String.join(" ", cmd) + ": timed out");
    }
    if (p.exitValue() != 0) {
      String e = new String(errBytes.join(), StandardCharsets.UTF_8).trim();
      throw new UserError(String.join(" ", cmd) + " failed: " + e);
    }
    return out;
  }

  private void check(List<String> cmd) throws IOException, InterruptedException {
    run(cmd);
  }
}
