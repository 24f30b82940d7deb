package dev.egret.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rule and role names: {@code [a-z0-9][a-z0-9_-]{0,62}} ({@link Role#NAME}), which every target
 * accepts as a term or chain name without escaping. Wire text lends its letters only when it is a
 * plain host name; anything else is represented by a hash of it.
 */
final class Naming {
  private Naming() {}

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  /**
   * The part of a rule name that comes from a destination name. Rule names end up outside comments
   * in compiled rulesets, so only a name that is a plain host name (RFC 1123 letters, digits and
   * hyphens) lends its text, and a wildcard {@code *.example.com} becomes {@code any-example-com};
   * any other wire text is represented by a hash of it.
   */
  static String label(String groupLabel) {
    if (groupLabel.startsWith("*.") && HOST_NAME.matcher(groupLabel.substring(2)).matches()) {
      return "any-" + groupLabel.substring(2);
    }
    if (HOST_NAME.matcher(groupLabel).matches()) {
      return groupLabel;
    }
    return "name-" + hash(groupLabel);
  }

  /**
   * Lower-case letters, digits and dashes, at most 63 characters, starting with a letter or digit.
   */
  static String identifier(String raw) {
    StringBuilder sb = new StringBuilder();
    for (char c : raw.toLowerCase(Locale.ROOT).toCharArray()) {
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      char x = ok ? c : '-';
      if (x == '_' && sb.length() == 0) {
        continue; // a name starts with a letter or digit
      }
      if (x == '-' && (sb.length() == 0 || sb.charAt(sb.length() - 1) == '-')) {
        continue;
      }
      sb.append(x);
    }
    String s = sb.toString().replaceAll("-+$", "");
    if (s.isEmpty()) {
      s = "x";
    }
    if (s.length() > 63) {
      s = s.substring(0, 56).replaceAll("-+$", "") + "-" + hash(raw);
    }
    return s;
  }

  /** {@code name}, or {@code name-2}, {@code name-3}... the first not in {@code used}. */
  static String unique(String name, Set<String> used) {
    String n = name;
    for (int i = 2; !used.add(n); i++) {
      String suffix = "-" + i;
      n =
          (name.length() + suffix.length() > 63 ? name.substring(0, 63 - suffix.length()) : name)
              + suffix;
    }
    return n;
  }

  /** Six hex digits of the SHA-256 of {@code s}: short, stable between runs. */
  static String hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
