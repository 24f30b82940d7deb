package dev.egret.compile;

import dev.egret.net.IpAddress;
import java.util.List;

/**
 * How to compile.
 *
 * @param mode {@link Mode#HOST}: rules for the machine itself (output hook); {@link Mode#GATEWAY}:
 *     rules for a router in front of the hosts (forward hook, matching each role's sources)
 * @param hosts host mode only: compile the rules of the roles that contain these addresses; empty
 *     means every role
 * @param standalone iptables: write whole tables with chain policies instead of a chain beside an
 *     existing ruleset
 * @param keepAccess never cut the operator's way in ({@code Defaults.keepAccess}, SSH by default)
 * @param reject answer dropped packets with a reject (TCP reset, ICMP unreachable) whatever the
 *     policy's default action
 * @param setThreshold iptables: a rule with more than this many addresses on one side matches them
 *     through an ipset
 * @param capircaPlatforms Capirca platforms to open in the header, from {@link
 *     CapircaCompiler#PLATFORMS}
 */
public record CompileOptions(
    Mode mode,
    List<IpAddress> hosts,
    boolean standalone,
    boolean keepAccess,
    boolean reject,
    int setThreshold,
    List<String> capircaPlatforms) {

  /** Where the firewall sits. */
  public enum Mode {
    HOST,
    GATEWAY
  }

  public static final int DEFAULT_SET_THRESHOLD = 8;

  public CompileOptions {
    if (mode == null) {
      throw new IllegalArgumentException("mode must be host or gateway");
    }
    hosts = List.copyOf(hosts == null ? List.of() : hosts);
    if (mode == Mode.GATEWAY && !hosts.isEmpty()) {
      throw new IllegalArgumentException("--host applies to host mode only");
    }
    if (setThreshold < 1) {
      throw new IllegalArgumentException("set threshold must be at least 1, not " + setThreshold);
    }
    capircaPlatforms =
        List.copyOf(capircaPlatforms == null ? CapircaCompiler.PLATFORMS : capircaPlatforms);
    for (String p : capircaPlatforms) {
      if (!CapircaCompiler.PLATFORMS.contains(p)) {
        throw new IllegalArgumentException(
            "unknown Capirca platform \""
                + dev.egret.io.Escape.forTerminal(p)
                + "\" (expected one of "
                + String.join(", ", CapircaCompiler.PLATFORMS)
                + ")");
      }
    }
  }

  public static CompileOptions host() {
    return new CompileOptions(
        Mode.HOST, List.of(), false, true, false, DEFAULT_SET_THRESHOLD, null);
  }

  public static CompileOptions gateway() {
    return new CompileOptions(
        Mode.GATEWAY, List.of(), false, true, false, DEFAULT_SET_THRESHOLD, null);
  }

  public CompileOptions withHosts(List<IpAddress> h) {
    return new CompileOptions(
        mode, h, standalone, keepAccess, reject, setThreshold, capircaPlatforms);
  }

  public CompileOptions withStandalone(boolean s) {
    return new CompileOptions(mode, hosts, s, keepAccess, reject, setThreshold, capircaPlatforms);
  }

  public CompileOptions withKeepAccess(boolean k) {
    return new CompileOptions(mode, hosts, standalone, k, reject, setThreshold, capircaPlatforms);
  }

  public CompileOptions withReject(boolean r) {
    return new CompileOptions(
        mode, hosts, standalone, keepAccess, r, setThreshold, capircaPlatforms);
  }

  public CompileOptions withSetThreshold(int t) {
    return new CompileOptions(mode, hosts, standalone, keepAccess, reject, t, capircaPlatforms);
  }

  public CompileOptions withCapircaPlatforms(List<String> p) {
    return new CompileOptions(mode, hosts, standalone, keepAccess, reject, setThreshold, p);
  }
}
