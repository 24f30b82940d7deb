package dev.egret.compile;

/** The one escaping function for iptables-restore files. */
public final class IptablesText {
  /** xt_comment keeps at most 256 bytes including the terminating NUL. */
  static final int COMMENT_MAX = 255;

  private IptablesText() {}

  /** Text safe inside {@code -m comment --comment "..."} and after {@code #}. */
  public static String comment(String s) {
    return SafeText.of(s, COMMENT_MAX);
  }
}
