package dev.egret.policy;

import com.google.common.net.InternetDomainName;
import java.util.Locale;

/**
 * Registered domains, by the Public Suffix List as Guava ships it ({@link InternetDomainName}): the
 * part of a name one owner controls, {@code example.co.uk} for {@code www.example.co.uk}. The
 * list's private section counts too, so that {@code a.github.io} and {@code b.github.io}, or two S3
 * buckets, are different owners and never share a wildcard. Names come from the wire: anything that
 * is not a plain host name has no registered domain.
 */
public final class Domains {
  private Domains() {}

  /** The registered domain of {@code name}, or null (not a host name, a bare public suffix). */
  static String registered(String name) {
    if (name == null || name.isEmpty() || name.length() > 253 || name.startsWith("*")) {
      return null;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.';
      if (!ok) {
        return null;
      }
    }
    try {
      InternetDomainName d = InternetDomainName.from(name.toLowerCase(Locale.ROOT));
      return d.isUnderPublicSuffix() ? d.topPrivateDomain().toString() : null;
    } catch (IllegalArgumentException | IllegalStateException e) {
      return null;
    }
  }

  /**
   * True when {@code name} is itself a public suffix ({@code com}, {@code github.io}, {@code
   * duckdns.org}): the names under it belong to whoever registers them.
   */
  public static boolean isPublicSuffix(String name) {
    try {
      return InternetDomainName.from(name.toLowerCase(Locale.ROOT)).isPublicSuffix();
    } catch (IllegalArgumentException | IllegalStateException e) {
      return false;
    }
  }

  /**
   * True unless the list says that {@code under}, a name under {@code parent}, has another owner:
   * {@code parent} is a public suffix, or the two have different registered domains ({@code
   * b.s3.amazonaws.com} under {@code amazonaws.com}). Names under a suffix the list does not know
   * ({@code .test}) count as the parent's.
   */
  public static boolean sameOwner(String parent, String under) {
    if (isPublicSuffix(parent)) {
      return false;
    }
    String rp = registered(parent);
    String ru = registered(under);
    return rp == null && ru == null || rp != null && rp.equals(ru);
  }

  /** The wildcard name for the names under {@code registered}: {@code *.example.com}. */
  static String wildcard(String registered) {
    return "*." + registered;
  }
}
