package dev.egret.compile;

/** The one escaping function for nft scripts. */
public final class NftText {
  /** NFT_USERDATA_MAXLEN: a rule comment holds at most 128 bytes including the NUL. */
  static final int COMMENT_MAX = 127;

  private NftText() {}

  /** Text safe inside {@code comment "..."} and after {@code #}. */
  public static String comment(String s) {
    return SafeText.of(s, COMMENT_MAX);
  }

  /** A set name: a letter prefix and a role or rule name, {@code [a-z0-9_-]} only. */
  static String name(String prefix, String base) {
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < base.length() && i < 64; i++) {
      char c = base.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }
}
