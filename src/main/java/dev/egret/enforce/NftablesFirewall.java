package dev.egret.enforce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nftables: {@code egret.nft} replaces egret's table in one transaction; the previous ruleset is
 * saved whole ({@code nft list ruleset}) and restored whole after a {@code flush ruleset}.
 */
public final class NftablesFirewall implements Firewall {
  public static final String FILE = "egret.nft";

  @Override
  public String name() {
    return "nftables";
  }

  @Override
  public List<String> requiredFiles() {
    return List.of(FILE);
  }

  @Override
  public Change prepare(Path dir, Path scratch, Tools tools) throws IOException {
    String rules = dir.resolve(FILE).toString();
    tools.run(List.of("nft", "-c", "-f", rules));
    Path backup = scratch.resolve("nftables.rules");
    Files.writeString(
        backup,
        "flush ruleset\n" + tools.run(List.of("nft", "list", "ruleset")),
        StandardCharsets.UTF_8);
    return new Change(
        List.of(),
        List.of(List.of("nft", "-f", rules)),
        List.of(List.of("nft", "-f", backup.toString())));
  }
}
