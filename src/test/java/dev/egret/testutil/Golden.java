package dev.egret.testutil;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one switch that lets golden tests rewrite their files: {@code -Degret.updateGolden=true}.
 * Refused under {@code CI=true}: a golden file is only ever blessed by someone who reads its diff.
 */
public final class Golden {
  private Golden() {}

  /** True when the golden files should be rewritten; fails the test when asked for in CI. */
  public static boolean update() {
    boolean asked = Boolean.getBoolean("egret.updateGolden");
    if (asked && Requirements.ci()) {
      fail("-Degret.updateGolden=true is refused under CI=true: golden files are updated locally");
    }
    return asked;
  }
}
