package dev.egret.resolve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Loads a {@link SetUpdate} into the kernel: {@code nft -f -} (one transaction) or {@code ipset
 * restore -exist}, the script on standard input, within 30 seconds.
 */
public final class SetLoader {
  /** The firewall whose sets are updated. */
  public enum Kind {
    NFTABLES,
    IPTABLES
  }

  private final Kind kind;
  private final String table;

  public SetLoader(Kind kind, String table) {
    this.kind = kind;
    this.table = table;
  }

  /** The script for an update. */
  public String script(SetUpdate u) {
    return kind == Kind.NFTABLES ? u.nftables(table) : u.ipset();
  }

  /** Loads the update; throws with the tool's message when it fails. */
  public void load(SetUpdate u) throws IOException, InterruptedException {
    if (u.isEmpty()) {
      return;
    }
    List<String> cmd =
        kind == Kind.NFTABLES ? List.of("nft", "-f", "-") : List.of("ipset", "restore", "-exist");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<byte[]> out =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return p.getInputStream().readAllBytes();
              } catch (IOException e) {
                return new byte[0];
              }
            });
    try (OutputStream in = p.getOutputStream()) {
      in.write(script(u).getBytes(StandardCharsets.US_ASCII));
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + ": timed out after 30 s");
    }
    if (p.exitValue() != 0) {
      String msg = new String(out.join(), StandardCharsets.UTF_8).strip().replace('\n', ' ');
      throw new IOException(String.join(" ", cmd) + " failed: " + msg);
    }
  }
}
