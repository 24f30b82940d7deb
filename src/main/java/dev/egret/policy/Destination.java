package dev.egret.policy;

import dev.egret.net.Cidr;
import dev.egret.net.HostName;
import java.util.List;

/**
 * Where a rule lets traffic go.
 *
 * @param any true for "any destination" (a broad rule); names are then evidence only, and so are
 *     addresses, but for {@code resolved}
 * @param names DNS names (from DNS answers, TLS SNI, HTTP Host) the addresses were seen under; wire
 *     text, already in printable escaped form, to be escaped again by every writer
 * @param addresses prefixes allowed (host routes for single addresses), sorted; may be empty only
 *     when a name is a valid host name, whose addresses the resolver then supplies
 * @param hold seconds an address a DNS answer gave for one of the names stays allowed after the
 *     answer, where that is longer than the answer's TTL plus grace ({@link NameTtl}): for clients
 *     seen using a rotating name's addresses long after their answer (an NTP pool looked up once a
 *     day). Null for the TTL alone. The name's set keeps addresses for the longest hold of the
 *     rules that follow it, as the kernel has one set per name.
 * @param resolved with {@code any}: only the addresses a DNS answer of the site's resolver gave,
 *     for any name (the resolver adds every answer to one set per family), never an address that no
 *     one looked up: a workstation role browses anywhere on the web's ports, while malware calling
 *     a bare address (a reverse shell, a payload at {@code http://203.0.113.7/}) is blocked. Null
 *     or false for any address at all.
 */
public record Destination(
    boolean any,
    List<String> names,
    List<Cidr> addresses,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Long hold,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Boolean resolved) {
  /** The longest hold: a week, as the longest TTL a name may have ({@link NameTtl}). */
  public static final long MAX_HOLD = 7 * 86_400;

  public Destination {
    names = List.copyOf(names == null ? List.of() : names);
    addresses = List.copyOf(addresses == null ? List.of() : addresses);
    if (!any && addresses.isEmpty() && hostNames(false, names).isEmpty()) {
      throw new PolicyException("a destination needs addresses, a host name or any: true");
    }
    if (hold != null && (hold < 1 || hold > MAX_HOLD)) {
      throw new PolicyException(
          "a destination's hold must be 1 to " + MAX_HOLD + " seconds, not " + hold);
    }
    if (hold != null && hostNames(any, names).isEmpty()) {
      throw new PolicyException("a destination's hold needs a host name to follow");
    }
    if (Boolean.FALSE.equals(resolved)) {
      resolved = null;
    }
    if (resolved != null && !any) {
      throw new PolicyException("resolved: true needs any: true (any address the resolver gave)");
    }
  }

  /** A destination whose names' answers last their TTL. */
  public Destination(boolean any, List<String> names, List<Cidr> addresses) {
    this(any, names, addresses, null, null);
  }

  /** A destination with a hold (seconds, or null), not limited to resolved addresses. */
  public Destination(boolean any, List<String> names, List<Cidr> addresses, Long hold) {
    this(any, names, addresses, hold, null);
  }

  /** The same destination with this hold (seconds). */
  public Destination withHold(long seconds) {
    return new Destination(any, names, addresses, seconds, resolved);
  }

  /**
   * True for "any destination" limited to the addresses the site's resolver answered ({@link
   * #resolved}).
   */
  public boolean resolvedOnly() {
    return any && Boolean.TRUE.equals(resolved);
  }

  /**
   * This "any destination" limited to the addresses the site's resolver answers, and {@code
   * learned}: the addresses answers gave in the window, allowed from the start as a name rule's.
   */
  public Destination onlyResolved(List<Cidr> learned) {
    if (!any) {
      throw new IllegalStateException("only an any-destination can be limited to resolved ones");
    }
    return new Destination(true, names, learned, hold, true);
  }

  /** Seconds an answer's addresses stay past its TTL window at least: the hold, or 0. */
  public long holdSeconds() {
    return hold == null ? 0 : hold;
  }

  /**
   * The names that are valid host names or wildcards ({@link HostName}), normalized, sorted, once
   * each: the names a resolver may follow. Empty for "any destination".
   */
  public List<String> hostNames() {
    return hostNames(any, names);
  }

  private static List<String> hostNames(boolean any, List<String> names) {
    if (any) {
      return List.of();
    }
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    for (String n : names) {
      String v = HostName.normalize(n);
      if (v != null) {
        out.add(v);
      }
    }
    return List.copyOf(out);
  }

  public static Destination anywhere(List<String> names) {
    return new Destination(true, names, List.of());
  }
}
