package dev.egret.cli;

import java.nio.file.Path;

/** The small baselines under src/test/resources/policy-cases that the command tests run on. */
final class PolicyCases {
  static final Path CASES = Path.of("src/test/resources/policy-cases");

  /** The path of case {@code name}'s baseline. */
  static String baseline(String name) {
    return CASES.resolve(name + ".baseline.json").toString();
  }

  private PolicyCases() {}
}
