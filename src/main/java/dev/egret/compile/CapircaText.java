package dev.egret.compile;

/** The one escaping function for Capirca .pol, .net and .svc files. */
public final class CapircaText {
  static final int COMMENT_MAX = 200;

  private CapircaText() {}

  /** Text safe inside {@code comment:: "..."} and after {@code #}. */
  public static String comment(String s) {
    return SafeText.of(s, COMMENT_MAX);
  }
}
