package dev.egret.enforce;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * iptables with ipset: {@code rules.v4} and {@code rules.v6} are loaded with {@code --noflush}
 * beside the site's own rules, after the sets of {@code ipset.conf}. Saved before: both filter
 * tables ({@code iptables-save}) and the members of every set the change touches; a set that did
 * not exist is destroyed again on the way back, and a filter table that iptables-nft made only for
 * the change (even for a failed {@code --test}) is deleted.
 */
public final class IptablesFirewall implements Firewall {
  /** The chain {@code egret compile --target iptables} writes (IptablesCompiler.CHAIN). */
  public static final String CHAIN = "EGRET-EGRESS";

  @Override
  public String name() {
    return "iptables";
  }

  @Override
  public List<String> requiredFiles() {
    return List.of("rules.v4", "rules.v6");
  }

  @Override
  public Change prepare(Path dir, Path scratch, Tools tools) throws IOException {
    Path v4 = dir.resolve("rules.v4");
    Path v6 = dir.resolve("rules.v6");
    Path sets = dir.resolve("ipset.conf");
    List<String> setNames = Files.exists(sets) ? setNames(sets) : List.of();
    List<String> existing =
        setNames.isEmpty()
            ? List.of()
            : List.of(tools.run(List.of("ipset", "list", "-n")).split("\n"));
    StringBuilder before = new StringBuilder();
    List<String> created = new ArrayList<>();
    for (String name : setNames) {
      if (existing.contains(name)) {
        before.append(flushAfterCreate(tools.run(List.of("ipset", "save", name)), name));
      } else {
        created.add(name);
      }
    }
    String saved4 = tools.run(List.of("iptables-save"));
    String saved6 = tools.run(List.of("ip6tables-save"));
    Path backup4 = write(scratch.resolve("rules.v4"), withFilter(saved4));
    Path backup6 = write(scratch.resolve("rules.v6"), withFilter(saved6));
    Path setsBackup = write(scratch.resolve("ipset.conf"), before.toString());

    List<List<String>> restore = new ArrayList<>();
    restore.add(
        List.of(
            "sh",
            "-ec",
            "iptables-restore < \"$1\"; ip6tables-restore < \"$2\"",
            "sh",
            backup4.toString(),
            backup6.toString()));
    // A filter table that did not exist before is removed again (iptables-nft makes one, with
    // accept policies, even for a --test that fails).
    if (!saved4.equals(withFilter(saved4))) {
      restore.add(dropFilterTable("ip"));
    }
    if (!saved6.equals(withFilter(saved6))) {
      restore.add(dropFilterTable("ip6"));
    }
    if (before.length() > 0) {
      restore.add(ipsetRestore(setsBackup));
    }
    for (String name : created) {
      restore.add(List.of("ipset", "destroy", name));
    }

    List<List<String>> checks = new ArrayList<>();
    if (!setNames.isEmpty()) {
      checks.add(ipsetRestore(sets)); // the rules' set matches need the sets, even to be tested
    }
    checks.add(List.of("iptables-restore", "--test", "--noflush", v4.toString()));
    checks.add(List.of("ip6tables-restore", "--test", "--noflush", v6.toString()));

    List<List<String>> load = new ArrayList<>();
    load.add(List.of("iptables-restore", "--noflush", v4.toString()));
    load.add(List.of("ip6tables-restore", "--noflush", v6.toString()));
    // The files append their jump to OUTPUT or FORWARD; the jumps an earlier apply left come
    // first, so once the new one is in, deleting that many first matches removes the old ones.
    load.addAll(oldJumps("iptables", saved4));
    load.addAll(oldJumps("ip6tables", saved6));
    return new Change(checks, load, restore);
  }

  private static Path write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
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
      String jump = "-A " + chain + " -j " + CHAIN;
      for (String line : saved.split("\n")) {
        if (line.trim().equals(jump)) {
          out.add(List.of(tool, "-D", chain, "-j", CHAIN));
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
}
