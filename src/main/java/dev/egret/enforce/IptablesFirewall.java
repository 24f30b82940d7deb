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
 * tables ({@code iptables-save}; the raw tables too when the files load into them, gateway mode's
 * reverse path check) and the members of every set the change touches; a set that did not exist is
 * destroyed again on the way back, and a filter table that iptables-nft made only for the change
 * (even for a failed {@code --test}) is deleted.
 */
public final class IptablesFirewall implements Firewall {
  /** The chain {@code egret compile --target iptables} writes (IptablesCompiler.CHAIN). */
  public static final String CHAIN = "EGRET-EGRESS";

  /** The raw table's chain of gateway mode (IptablesCompiler.RPF_CHAIN). */
  public static final String RPF_CHAIN = "EGRET-RPF";

  /** An empty raw table, what a raw table never used is restored as. */
  static final String EMPTY_RAW = "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";

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
    // The raw table is restored too when the files load into it (gateway mode's reverse path
    // check) or it holds a jump an earlier apply left, which the load deletes.
    boolean raw4 = touchesRaw(read(v4), saved4);
    boolean raw6 = touchesRaw(read(v6), saved6);
    Path backup4 = write(scratch.resolve("rules.v4"), withRaw(withFilter(saved4), raw4));
    Path backup6 = write(scratch.resolve("rules.v6"), withRaw(withFilter(saved6), raw6));
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
    // So is a raw table (an empty one restored leaves no rule, but the table itself).
    if (raw4 && !hasTable(saved4, "raw")) {
      restore.add(dropTable("ip", "raw"));
    }
    if (raw6 && !hasTable(saved6, "raw")) {
      restore.add(dropTable("ip6", "raw"));
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
    // The files append their jump to OUTPUT or FORWARD (and raw PREROUTING); the jumps an earlier
    // apply left come first, so once the new one is in, deleting that many first matches removes
    // the old ones.
    load.addAll(oldJumps("iptables", saved4));
    load.addAll(oldJumps("ip6tables", saved6));
    return new Change(checks, load, restore);
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
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
    if (hasTable(saved, "filter")) {
      return saved;
    }
    return saved
        + "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
  }

  /** A saved ruleset with the raw table when it is to be restored, empty if it was not used. */
  static String withRaw(String saved, boolean raw) {
    return !raw || hasTable(saved, "raw") ? saved : saved + EMPTY_RAW;
  }

  /** Whether iptables-save printed this table. */
  static boolean hasTable(String saved, String table) {
    return saved.startsWith("*" + table + "\n") || saved.contains("\n*" + table + "\n");
  }

  /** Whether a load of {@code rules} changes the raw table of the {@code saved} ruleset. */
  static boolean touchesRaw(String rules, String saved) {
    return hasTable(rules, "raw") || saved.contains("-j " + RPF_CHAIN);
  }

  /**
   * One delete per jump into egret's chains that a saved ruleset holds in filter OUTPUT or FORWARD
   * or raw PREROUTING.
   */
  static List<List<String>> oldJumps(String tool, String saved) {
    List<List<String>> out = new ArrayList<>();
    String table = "";
    for (String line : saved.split("\n")) {
      String l = line.trim();
      if (l.startsWith("*")) {
        table = l.substring(1);
      }
      if (table.equals("filter")) {
        for (String chain : List.of("OUTPUT", "FORWARD")) {
          if (l.equals("-A " + chain + " -j " + CHAIN)) {
            out.add(List.of(tool, "-D", chain, "-j", CHAIN));
          }
        }
      } else if (table.equals("raw") && l.equals("-A PREROUTING -j " + RPF_CHAIN)) {
        out.add(List.of(tool, "-t", "raw", "-D", "PREROUTING", "-j", RPF_CHAIN));
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
    return dropTable(family, "filter");
  }

  /** Deletes an nftables-backed table of one family; nothing with legacy iptables. */
  static List<String> dropTable(String family, String table) {
    return List.of(
        "sh",
        "-c",
        "iptables -V | grep -q nf_tables && nft delete table " + family + " " + table + "; true");
  }

  private static List<String> ipsetRestore(Path file) {
    return List.of("sh", "-ec", "ipset restore -exist < \"$1\"", "sh", file.toString());
  }
}
