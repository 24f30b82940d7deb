package dev.egret.policy;

import dev.egret.net.Cidr;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A named set of source hosts that share one set of rules.
 *
 * @param name identifier: lower-case letters, digits, {@code -} and {@code _}, up to 63 characters
 *     (safe in every target's names without escaping)
 * @param hosts addresses or prefixes of the hosts, sorted
 * @param description why these hosts are together (config name or common traffic)
 */
public record Role(String name, List<Cidr> hosts, String description) {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  public Role {
    checkName("role", name);
    hosts = List.copyOf(hosts == null ? List.of() : hosts);
    if (hosts.isEmpty()) {
      throw new PolicyException("role \"" + name + "\" has no hosts");
    }
    description = description == null ? "" : description;
  }

  static void checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new PolicyException(
          what
              + " name \""
              + dev.egret.io.Escape.forTerminal(String.valueOf(name))
              + "\" is not valid (expected [a-z0-9][a-z0-9_-]{0,62})");
    }
  }
}
