package dev.egret.policy;

import dev.egret.net.Cidr;
import dev.egret.net.HostName;
import java.util.List;

/**
 * Where a rule lets traffic go.
 *
 * @param any true for "any destination" (a broad rule); names and addresses are then evidence only
 * @param names DNS names (from DNS answers, TLS SNI, HTTP Host) the addresses were seen under; wire
 *     text, already in printable escaped form, to be escaped again by every writer
 * @param addresses prefixes allowed (host routes for single addresses), sorted; may be empty only
 *     when a name is a valid host name, whose addresses the resolver then supplies
 */
public record Destination(boolean any, List<String> names, List<Cidr> addresses) {
  public Destination {
    names = List.copyOf(names == null ? List.of() : names);
    addresses = List.copyOf(addresses == null ? List.of() : addresses);
    if (!any && addresses.isEmpty() && hostNames(false, names).isEmpty()) {
      throw new PolicyException("a destination needs addresses, a host name or any: true");
    }
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
