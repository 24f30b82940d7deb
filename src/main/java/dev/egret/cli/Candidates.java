package dev.egret.cli;

import dev.egret.compile.CompilerRegistry;
import java.util.ArrayList;
import java.util.List;

/** Values of string options, listed in --help and offered by the bash completion script. */
final class Candidates {
  private Candidates() {}

  /** {@code compile --target}: every registered compiler. */
  static final class Targets extends ArrayList<String> {
    Targets() {
      super(CompilerRegistry.targets());
    }
  }

  /**
   * Targets whose rules are loaded into the kernel and have sets: {@code apply}, {@code resolve}.
   */
  static final class PacketFilters extends ArrayList<String> {
    PacketFilters() {
      super(List.of("nftables", "iptables"));
    }
  }

  /** {@code --mode}: where the firewall sits. */
  static final class Modes extends ArrayList<String> {
    Modes() {
      super(List.of("host", "gateway"));
    }
  }
}
