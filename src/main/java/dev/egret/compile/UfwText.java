package dev.egret.compile;

/** The one escaping function for the ufw shell script. */
public final class UfwText {
  static final int COMMENT_MAX = 200;

  private UfwText() {}

  /**
   * A comment as one single-quoted shell word. The safe alphabet holds no quote, so the text can
   * neither close the quotes nor reach the shell.
   */
  public static String comment(String s) {
    return "'" + SafeText.of(s, COMMENT_MAX) + "'";
  }
}
