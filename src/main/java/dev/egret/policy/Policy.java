package dev.egret.policy;

import java.util.List;

/**
 * An egress allowlist: who (roles) may open which connections (rules), what happens to the rest
 * (defaults), and what was seen but deliberately not allowed (review, anomalies). It maps onto the
 * Capirca/Aerleon model: roles and destinations are named networks, ports are services, rules are
 * ordered terms with an accept action, and the defaults are the final deny term.
 *
 * @param apiVersion always {@value #API_VERSION}
 * @param kind always {@value #KIND}
 * @param metadata where the evidence came from and the thresholds used
 * @param roles named sets of source hosts, sorted by name
 * @param rules the allowlist, sorted by role, protocol, first port, name
 * @param denied deny rules from a person's decisions ({@link Decisions}), same shape as rules: what
 *     they match is refused before any rule is looked at, so a deny beats a broad rule; sorted like
 *     rules, written only when there are some
 * @param defaults what happens to everything not allowed
 * @param review seen but below the thresholds: never allowed, listed for a person to decide
 * @param anomalies suspicious patterns: never allowed, always shown
 */
public record Policy(
    String apiVersion,
    String kind,
    PolicyMetadata metadata,
    List<Role> roles,
    List<Rule> rules,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
        List<Rule> denied,
    Defaults defaults,
    List<ReviewItem> review,
    List<Anomaly> anomalies) {
  public static final String API_VERSION = "egret/v1";
  public static final String KIND = "EgressPolicy";

  public Policy {
    if (!API_VERSION.equals(apiVersion)) {
      throw new PolicyException(
          "unsupported apiVersion \"" + apiVersion + "\" (expected " + API_VERSION + ")");
    }
    if (!KIND.equals(kind)) {
      throw new PolicyException("unsupported kind \"" + kind + "\" (expected " + KIND + ")");
    }
    roles = List.copyOf(roles == null ? List.of() : roles);
    rules = List.copyOf(rules == null ? List.of() : rules);
    denied = List.copyOf(denied == null ? List.of() : denied);
    review = List.copyOf(review == null ? List.of() : review);
    anomalies = List.copyOf(anomalies == null ? List.of() : anomalies);
    if (defaults == null) {
      defaults = Defaults.standard();
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Role r : roles) {
      if (!names.add(r.name())) {
        throw new PolicyException("role \"" + r.name() + "\" is defined twice");
      }
    }
    java.util.Set<String> ruleNames = new java.util.HashSet<>();
    for (Rule r : concat(rules, denied)) {
      if (!names.contains(r.role())) {
        throw new PolicyException(
            "rule \"" + r.name() + "\" names unknown role \"" + r.role() + "\"");
      }
      if (!ruleNames.add(r.name())) {
        throw new PolicyException("rule \"" + r.name() + "\" is defined twice");
      }
    }
  }

  /** A policy without deny rules. */
  public Policy(
      String apiVersion,
      String kind,
      PolicyMetadata metadata,
      List<Role> roles,
      List<Rule> rules,
      Defaults defaults,
      List<ReviewItem> review,
      List<Anomaly> anomalies) {
    this(apiVersion, kind, metadata, roles, rules, List.of(), defaults, review, anomalies);
  }

  private static List<Rule> concat(List<Rule> a, List<Rule> b) {
    List<Rule> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  public Role role(String name) {
    for (Role r : roles) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    throw new PolicyException("no role \"" + name + "\"");
  }
}
