package dev.egret.enforce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One kind of kernel firewall as {@link Transaction} sees it: how to check compiled rules, save
 * what is loaded now, load the new rules and put the old ones back.
 */
public interface Firewall {
  /** The name users know it by ({@code nftables}, {@code iptables}). */
  String name();

  /** The files {@code egret compile -o DIR} writes that this firewall cannot do without. */
  List<String> requiredFiles();

  /** The firewall users call {@code name} ({@code nftables}, {@code iptables}), if there is one. */
  static Optional<Firewall> named(String name) {
    return switch (name) {
      case "nftables" -> Optional.of(new NftablesFirewall());
      case "iptables" -> Optional.of(new IptablesFirewall());
      default -> Optional.empty();
    };
  }

  /** The first of {@link #requiredFiles()} that is not a regular file in {@code dir}, if any. */
  default Optional<Path> missingFile(Path dir) {
    return requiredFiles().stream()
        .map(dir::resolve)
        .filter(f -> !Files.isRegularFile(f))
        .findFirst();
  }

  /**
   * Saves what is loaded now into files under {@code scratch} and says how to change to the rules
   * in {@code dir} and back. May run tools that only read or check; it changes nothing loaded.
   *
   * @throws ToolException when a tool fails (the rules do not check, the state cannot be read)
   */
  Change prepare(Path dir, Path scratch, Tools tools) throws IOException;

  /**
   * The commands of one change, each run in order; a failure stops the list.
   *
   * @param checks run after saving; they may leave traces (sets the rules need), so a failure is
   *     followed by {@code restore}
   * @param load the new rules
   * @param restore puts back what {@link #prepare} saved, and removes what the change added
   */
  record Change(List<List<String>> checks, List<List<String>> load, List<List<String>> restore) {
    public Change {
      checks = List.copyOf(checks);
      load = List.copyOf(load);
      restore = List.copyOf(restore);
    }
  }
}
