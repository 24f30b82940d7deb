package dev.egret.compile;

import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import dev.egret.net.Networks;
import java.util.List;

/**
 * How to compile.
 *
 * @param mode {@link Mode#HOST}: rules for the machine itself (output hook); {@link Mode#GATEWAY}:
 *     rules for a router in front of the hosts (forward hook, matching each role's sources)
 * @param hosts host mode only: compile the rules of the roles that contain these addresses (none:
 *     deny-all egress); empty is allowed only for a policy of one role, or with {@code allRoles}
 * @param standalone iptables: write whole tables with chain policies instead of a chain beside an
 *     existing ruleset
 * @param keepAccess never cut the operator's way in ({@code Defaults.keepAccess}, SSH by default)
 * @param reject answer dropped packets with a reject (TCP reset, ICMP unreachable) whatever the
 *     policy's default action
 * @param setThreshold iptables: a rule with more than this many addresses on one side matches them
 *     through an ipset
 * @param capircaPlatforms Capirca platforms to open in the header, from {@link
 *     CapircaCompiler#PLATFORMS}; null: every platform that can express the policy
 * @param allRoles host mode without hosts: compile the union of every role's rules (a warning says
 *     what that means)
 * @param logGroup nftables and iptables: log what is dropped to this NFLOG group (0 to 65535)
 *     instead of the kernel log; {@link #KERNEL_LOG} for the kernel log
 * @param audit nftables and iptables: log each new connection the policy would block, with its
 *     user, and accept it instead of dropping it (a policy tried for days before it enforces)
 * @param inside gateway mode: the site's networks, whose hosts' new connections the rules judge
 *     (every role's hosts are inside too); empty: {@link Networks#PRIVATE}
 */
public record CompileOptions(
    Mode mode,
    List<IpAddress> hosts,
    boolean standalone,
    boolean keepAccess,
    boolean reject,
    int setThreshold,
    List<String> capircaPlatforms,
    boolean allRoles,
    int logGroup,
    boolean audit,
    List<Cidr> inside) {

  /** Where the firewall sits. */
  public enum Mode {
    HOST,
    GATEWAY
  }

  public static final int DEFAULT_SET_THRESHOLD = 8;

  /** {@link #logGroup} for logging to the kernel log (LOG target, nftables {@code log}). */
  public static final int KERNEL_LOG = -1;

  public CompileOptions {
    if (mode == null) {
      throw new IllegalArgumentException("mode must be host or gateway");
    }
    hosts = List.copyOf(hosts == null ? List.of() : hosts);
    if (mode == Mode.GATEWAY && !hosts.isEmpty()) {
      throw new IllegalArgumentException("--host applies to host mode only");
    }
    if (allRoles && (mode == Mode.GATEWAY || !hosts.isEmpty())) {
      throw new IllegalArgumentException(
          "--all-roles applies to host mode without --host only (gateway mode has every role)");
    }
    if (setThreshold < 1) {
      throw new IllegalArgumentException("set threshold must be at least 1, not " + setThreshold);
    }
    if (logGroup < KERNEL_LOG || logGroup > 65535) {
      throw new IllegalArgumentException(
          "--log-group must be an NFLOG group from 0 to 65535, not " + logGroup);
    }
    inside = List.copyOf(inside == null ? List.of() : inside);
    if (mode != Mode.GATEWAY && !inside.isEmpty()) {
      throw new IllegalArgumentException("--inside applies to gateway mode only");
    }
    capircaPlatforms = capircaPlatforms == null ? null : List.copyOf(capircaPlatforms);
    for (String p : capircaPlatforms == null ? List.<String>of() : capircaPlatforms) {
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

  /** Host mode with every default: keep access, drop, kernel log, sets past 8 addresses. */
  public static CompileOptions host() {
    return builder(Mode.HOST).build();
  }

  /** Gateway mode with every default, judging the private networks. */
  public static CompileOptions gateway() {
    return builder(Mode.GATEWAY).build();
  }

  /** Options for {@code mode}, every other field at its default until set. */
  public static Builder builder(Mode mode) {
    return new Builder(mode);
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    return new Builder(mode)
        .hosts(hosts)
        .standalone(standalone)
        .keepAccess(keepAccess)
        .reject(reject)
        .setThreshold(setThreshold)
        .capircaPlatforms(capircaPlatforms)
        .allRoles(allRoles)
        .logGroup(logGroup)
        .audit(audit)
        .inside(inside);
  }

  /** True when drops are logged to an NFLOG group rather than the kernel log. */
  public boolean nflog() {
    return logGroup != KERNEL_LOG;
  }

  /** Gateway mode: the site's networks as given, or the private ones. */
  public List<Cidr> insideNetworks() {
    return inside.isEmpty() ? Networks.PRIVATE : inside;
  }

  /**
   * Collects the fields one by one; {@link #build()} checks them together (the record's
   * constructor). Defaults: no hosts, not standalone, keep access, drop rather than reject, {@value
   * #DEFAULT_SET_THRESHOLD} as set threshold, every Capirca platform that fits, the kernel log, not
   * audit, no inside networks given.
   */
  public static final class Builder {
    private final Mode mode;
    private List<IpAddress> hosts = List.of();
    private boolean standalone;
    private boolean keepAccess = true;
    private boolean reject;
    private int setThreshold = DEFAULT_SET_THRESHOLD;
    private List<String> capircaPlatforms;
    private boolean allRoles;
    private int logGroup = KERNEL_LOG;
    private boolean audit;
    private List<Cidr> inside = List.of();

    private Builder(Mode mode) {
      this.mode = mode;
    }

    public Builder hosts(List<IpAddress> v) {
      hosts = v;
      return this;
    }

    public Builder standalone(boolean v) {
      standalone = v;
      return this;
    }

    public Builder keepAccess(boolean v) {
      keepAccess = v;
      return this;
    }

    public Builder reject(boolean v) {
      reject = v;
      return this;
    }

    public Builder setThreshold(int v) {
      setThreshold = v;
      return this;
    }

    public Builder capircaPlatforms(List<String> v) {
      capircaPlatforms = v;
      return this;
    }

    public Builder allRoles(boolean v) {
      allRoles = v;
      return this;
    }

    public Builder logGroup(int v) {
      logGroup = v;
      return this;
    }

    public Builder audit(boolean v) {
      audit = v;
      return this;
    }

    public Builder inside(List<Cidr> v) {
      inside = v;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the option that does not fit (the message is the
     *     command line's)
     */
    public CompileOptions build() {
      return new CompileOptions(
          mode,
          hosts,
          standalone,
          keepAccess,
          reject,
          setThreshold,
          capircaPlatforms,
          allRoles,
          logGroup,
          audit,
          inside);
    }
  }
}
