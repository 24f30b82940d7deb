package dev.egret.compile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names in a Capirca policy that every platform opened takes: term names within the platform's
 * length and alphabet, network and service tokens within pf's 31 characters, GCE instance tags.
 *
 * <p>A name is kept as it is when it fits; otherwise it is cut and given {@code -} and 8 hex digits
 * of the SHA-256 of the full name (the term's comment keeps the full name). Names are unique within
 * one call: when a shortened name meets one already given (a hash collision, or two names that only
 * differ in a character the alphabet maps), more hex digits are used, so two rules never share a
 * term and a platform never rejects a duplicate.
 *
 * <p>Capirca's lexer ({@code capirca/lib/policy.py}) reads a word that starts with a digit as a
 * number, a word like {@code be} or {@code af11-ef} as a DSCP value and a keyword ({@code term},
 * {@code action}...) as that keyword: such names get an {@code r} in front and a hash.
 */
final class CapircaNames {
  /** The alphabets. */
  enum Style {
    /** Juniper, Cisco, Arista, Palo Alto, pf, Windows: {@code [a-z][a-z0-9_-]*}. */
    TERM,
    /** GCE names and tags, Kubernetes names: {@code [a-z]([a-z0-9-]*[a-z0-9])?}. */
    STRICT,
    /** Network and service tokens: {@code [A-Z][A-Z0-9_]*}. */
    TOKEN
  }

  static final int HASH_DIGITS = 8;

  /** The words of capirca's lexer ({@code policy.py}, {@code reserved}), 2.0.6. */
  private static final Set<String> KEYWORDS =
      Set.of(
          "action",
          "address",
          "address-exclude",
          "restrict-address-family",
          "comment",
          "counter",
          "destination-address",
          "destination-exclude",
          "destination-interface",
          "destination-prefix",
          "destination-prefix-except",
          "destination-port",
          "destination-tag",
          "dscp-except",
          "dscp-match",
          "dscp-set",
          "encapsulate",
          "ether-type",
          "expiration",
          "filter-term",
          "flexible-match-range",
          "forwarding-class",
          "forwarding-class-except",
          "fragment-offset",
          "hex",
          "hop-limit",
          "apply-groups",
          "apply-groups-except",
          "header",
          "icmp-type",
          "icmp-code",
          "logging",
          "log-limit",
          "log_name",
          "loss-priority",
          "next-ip",
          "option",
          "owner",
          "packet-length",
          "platform",
          "platform-exclude",
          "policer",
          "port",
          "port-mirror",
          "precedence",
          "priority",
          "protocol",
          "protocol-except",
          "qos",
          "pan-application",
          "routing-instance",
          "source-address",
          "source-exclude",
          "source-interface",
          "source-prefix",
          "source-prefix-except",
          "source-port",
          "source-tag",
          "target",
          "target-resources",
          "target-service-accounts",
          "term",
          "timeout",
          "traffic-class-count",
          "traffic-type",
          "ttl",
          "verbatim",
          "vpn");

  /** A first word the lexer takes for a DSCP value ({@code t_DSCP}, {@code t_DSCP_RANGE}). */
  private static final Pattern DSCP = Pattern.compile("(b[01]{6}|af[1-4][1-3]|be|ef|cs[0-7])(-|$)");

  private CapircaNames() {}

  /**
   * Unique names for {@code fullNames} (in order; the map keeps it) within {@code max} characters
   * of {@code style}, none equal to one of {@code taken}. Names that fit once put in the alphabet
   * are kept first, so that a shortened name never takes the place of a name that fits.
   */
  static Map<String, String> assign(
      List<String> fullNames, Style style, int max, Set<String> taken) {
    Set<String> used = new HashSet<>(taken);
    Map<String, String> out = new LinkedHashMap<>();
    for (String n : fullNames) {
      String a = alphabet(n, style);
      boolean ends = style != Style.STRICT || !a.endsWith("-");
      if (!out.containsKey(n) && a.length() <= max && lexes(a, style) && ends && used.add(a)) {
        out.put(n, a);
      }
    }
    for (String n : fullNames) {
      if (out.containsKey(n)) {
        continue;
      }
      String base = alphabet(n, style);
      if (!lexes(base, style)) {
        base = (style == Style.TOKEN ? "R" : "r") + base;
      }
      String k = null;
      for (int digits = HASH_DIGITS; k == null; digits += 4) {
        if (digits > max - 2) {
          throw new IllegalStateException("no unique Capirca name for " + n);
        }
        String candidate = shorten(base, n, style, max, digits);
        if (used.add(candidate)) {
          k = candidate;
        }
      }
      out.put(n, k);
    }
    return out;
  }

  /** {@code s} in the style's alphabet. */
  private static String alphabet(String s, Style style) {
    StringBuilder sb = new StringBuilder(s.length() + 1);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(
          switch (style) {
            case TERM -> ok(c, false) || c == '_' || c == '-' ? c : '_';
            case STRICT -> ok(c, false) || c == '-' ? c : '-';
            case TOKEN -> ok(c, true) || c == '_' ? c : '_';
          });
    }
    return style == Style.TOKEN ? sb.toString().toUpperCase(Locale.ROOT) : sb.toString();
  }

  private static boolean ok(char c, boolean upper) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (upper && c >= 'A' && c <= 'Z');
  }

  /** Capirca's lexer reads {@code s} as one plain word. */
  private static boolean lexes(String s, Style style) {
    if (s.isEmpty()
        || !((s.charAt(0) >= 'a' && s.charAt(0) <= 'z')
            || (s.charAt(0) >= 'A' && s.charAt(0) <= 'Z'))) {
      return false;
    }
    return !KEYWORDS.contains(s) && !DSCP.matcher(s).lookingAt();
  }

  private static String shorten(String base, String full, Style style, int max, int digits) {
    String hash = hash(full, digits);
    String sep = style == Style.TOKEN ? "_" : "-";
    int keep = Math.max(1, max - sep.length() - hash.length());
    String head = base.substring(0, Math.min(base.length(), keep)).replaceAll("[-_]+$", "");
    return head + sep + (style == Style.TOKEN ? hash.toUpperCase(Locale.ROOT) : hash);
  }

  /** The first {@code digits} hex digits of the SHA-256 of {@code s}. */
  static String hash(String s, int digits) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, Math.min(64, digits));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
