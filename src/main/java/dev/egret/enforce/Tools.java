package dev.egret.enforce;

import java.util.List;

/** Runs one firewall tool; {@link ToolRunner} for real, a recording fake in tests. */
@FunctionalInterface
public interface Tools {
  /**
   * Runs {@code cmd} and gives back its standard output.
   *
   * @throws ToolException when it fails, times out or cannot start; the message is one line
   */
  String run(List<String> cmd);
}
