package dev.egret.net;

import java.util.Locale;

/**
 * DNS host names as rules use them: a name is valid only in the RFC 1123 (2.1) host name syntax,
 * and a wildcard is {@code *.} followed by such a name. Every name a rule carries came from the
 * wire (DNS answers, TLS SNI, HTTP Host) and is attacker-controlled; only a name this class accepts
 * may reach a resolver's configuration or be looked up. The accepted alphabet ({@code a-z 0-9 - .}
 * and a leading {@code *.}) has no character that dnsmasq ({@code / # ,}), a shell or a rule
 * language gives a meaning to.
 */
public final class HostName {
  /** RFC 1035 2.3.4: at most 255 octets on the wire, so 253 characters in text form. */
  public static final int MAX_LENGTH = 253;

  /** RFC 1035 2.3.4: a label holds at most 63 octets. */
  public static final int MAX_LABEL = 63;

  private HostName() {}

  /**
   * The name in lower case without a trailing dot when it is a valid host name or wildcard ({@code
   * *.example.com}), else null. A wildcard needs at least two labels after the star, so that no
   * rule can follow a whole top-level domain.
   */
  public static String normalize(String name) {
    if (name == null || name.isEmpty()) {
      return null;
    }
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    n = n.toLowerCase(Locale.ROOT);
    boolean wildcard = n.startsWith("*.");
    String rest = wildcard ? n.substring(2) : n;
    if (!validHost(rest)) {
      return null;
    }
    if (wildcard && rest.indexOf('.') < 0) {
      return null;
    }
    return n;
  }

  /** True for a valid wildcard ({@code *.example.com}). */
  public static boolean isWildcard(String normalized) {
    return normalized.startsWith("*.");
  }

  /**
   * True when {@code name} (a concrete name, any case) is {@code pattern} (a normalized name) or,
   * for a wildcard {@code *.d}, a name under {@code d} (not {@code d} itself), as dnsmasq's {@code
   * /*.d/} matches.
   */
  public static boolean matches(String pattern, String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (!isWildcard(pattern)) {
      return pattern.equalsIgnoreCase(n);
    }
    String suffix = pattern.substring(1); // ".d"
    return n.length() > suffix.length()
        && n.regionMatches(true, n.length() - suffix.length(), suffix, 0, suffix.length());
  }

  private static boolean validHost(String n) {
    if (n.isEmpty() || n.length() > MAX_LENGTH) {
      return false;
    }
    int labelStart = 0;
    for (int i = 0; i <= n.length(); i++) {
      if (i == n.length() || n.charAt(i) == '.') {
        int len = i - labelStart;
        if (len < 1 || len > MAX_LABEL) {
          return false;
        }
        // RFC 1123 2.1: a label may start with a digit, but neither starts nor ends with '-'.
        if (n.charAt(labelStart) == '-' || n.charAt(i - 1) == '-') {
          return false;
        }
        labelStart = i + 1;
        continue;
      }
      char c = n.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    // An all-numeric last label would read as an IPv4 address, not a name.
    String last = n.substring(n.lastIndexOf('.') + 1);
    return !last.chars().allMatch(Character::isDigit);
  }
}
