package dev.egret.policy;

import java.util.List;

/**
 * What happens to traffic no rule allows.
 *
 * @param action {@code drop} or {@code reject}
 * @param allowEstablished accept packets of connections already allowed (and related ICMP)
 * @param allowLoopback accept traffic on the loopback interface
 * @param logRate log at most this many dropped packets per minute
 * @param logBurst burst allowance of the log limit
 * @param logPrefix prefix of each log line (letters, digits, {@code -_:.} and space)
 * @param keepAccess services by which operators reach the hosts (e.g. {@code tcp/22}); generated
 *     rulesets never cut them
 */
public record Defaults(
    String action,
    boolean allowEstablished,
    boolean allowLoopback,
    int logRate,
    int logBurst,
    String logPrefix,
    List<String> keepAccess) {
  public Defaults {
    if (!"drop".equals(action) && !"reject".equals(action)) {
      throw new PolicyException("defaults.action must be drop or reject, not \"" + action + "\"");
    }
    if (logRate < 0 || logBurst < 0) {
      throw new PolicyException("defaults.logRate and logBurst must not be negative");
    }
    if (logPrefix == null || !logPrefix.matches("[A-Za-z0-9 _:.-]{0,28}")) {
      throw new PolicyException("defaults.logPrefix must be up to 28 of A-Z a-z 0-9 space _ : . -");
    }
    keepAccess = List.copyOf(keepAccess == null ? List.of() : keepAccess);
    for (String k : keepAccess) {
      if (!k.matches("(tcp|udp)/\\d{1,5}")) {
        throw new PolicyException("defaults.keepAccess entry \"" + k + "\" is not like tcp/22");
      }
      int port = Integer.parseInt(k.substring(4));
      if (port < 1 || port > 65535) {
        throw new PolicyException(
            "defaults.keepAccess entry \"" + k + "\": port " + port + " is out of range 1-65535");
      }
    }
  }

  public static Defaults standard() {
    return new Defaults("drop", true, true, 3, 10, "egret-drop ", List.of("tcp/22"));
  }
}
