package dev.egret.baseline;

import dev.egret.net.Cidr;
import dev.egret.net.Networks;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The site: which networks are inside, which hosts have names and roles, which to ignore, and the
 * policy thresholds. Read from {@code egret.yaml} by {@link ConfigYaml}.
 *
 * @param internal networks whose hosts are "inside"; a flow they start is egress
 * @param roles role name to the hosts in it (config-named roles win over learned groupings)
 * @param exclude hosts whose traffic is neither learned nor allowed
 * @param learnChatter learn broadcast, multicast, link-local and neighbour discovery as egress
 * @param thresholds evidence the policy stage asks for
 */
public record EgretConfig(
    List<Cidr> internal,
    Map<String, List<Cidr>> roles,
    List<Cidr> exclude,
    boolean learnChatter,
    Thresholds thresholds) {
  /** RFC 1918, RFC 6598 shared space, RFC 4193 unique local addresses. */
  public static final List<Cidr> DEFAULT_INTERNAL = Networks.PRIVATE;

  public EgretConfig {
    internal = List.copyOf(internal == null || internal.isEmpty() ? DEFAULT_INTERNAL : internal);
    TreeMap<String, List<Cidr>> r = new TreeMap<>();
    if (roles != null) {
      roles.forEach((k, v) -> r.put(k, List.copyOf(v)));
    }
    roles = java.util.Collections.unmodifiableMap(r);
    exclude = List.copyOf(exclude == null ? List.of() : exclude);
    thresholds = thresholds == null ? Thresholds.defaults() : thresholds;
  }

  public static EgretConfig defaults() {
    return new EgretConfig(null, null, null, false, null);
  }

  public EgretConfig withInternal(List<Cidr> nets) {
    return new EgretConfig(nets, roles, exclude, learnChatter, thresholds);
  }

  // By index: asked several times per flow, and an iterator per call is an allocation under C1.
  public boolean isInternal(long hi, long lo) {
    for (int i = 0, n = internal.size(); i < n; i++) {
      if (internal.get(i).contains(hi, lo)) {
        return true;
      }
    }
    return false;
  }

  public boolean isExcluded(long hi, long lo) {
    for (int i = 0, n = exclude.size(); i < n; i++) {
      if (exclude.get(i).contains(hi, lo)) {
        return true;
      }
    }
    return false;
  }
}
