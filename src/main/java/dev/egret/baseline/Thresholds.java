package dev.egret.baseline;

/**
 * What evidence the policy stage asks for before it allows something. What each threshold counts,
 * over what (per host, per role, per aggregate) and in which unit is stated once, in {@code
 * docs/policy.md} ({@code metadata.thresholds}); {@code egret.example.yaml} shows the defaults.
 */
public record Thresholds(
    int minFlows,
    int minDays,
    boolean answeredOnly,
    int broadDestinations,
    int maxPrefixV4,
    int maxPrefixV6,
    double minCoverage,
    int maxExposure,
    boolean portRanges,
    int lateDays) {
  public Thresholds {
    if (minFlows < 1) {
      throw new BaselineException("thresholds.minFlows must be at least 1, not " + minFlows);
    }
    if (minDays < 1) {
      throw new BaselineException("thresholds.minDays must be at least 1, not " + minDays);
    }
    if (broadDestinations < 2) {
      throw new BaselineException(
          "thresholds.broadDestinations must be at least 2, not " + broadDestinations);
    }
    if (maxPrefixV4 < 8 || maxPrefixV4 > 32) {
      throw new BaselineException("thresholds.maxPrefixV4 must be 8-32, not " + maxPrefixV4);
    }
    if (maxPrefixV6 < 32 || maxPrefixV6 > 128) {
      throw new BaselineException("thresholds.maxPrefixV6 must be 32-128, not " + maxPrefixV6);
    }
    if (!(minCoverage > 0 && minCoverage <= 1)) {
      throw new BaselineException("thresholds.minCoverage must be in (0, 1], not " + minCoverage);
    }
    if (maxExposure < 0) {
      throw new BaselineException("thresholds.maxExposure must not be negative");
    }
    if (lateDays < 0) {
      throw new BaselineException("thresholds.lateDays must not be negative");
    }
  }

  public static Thresholds defaults() {
    return new Thresholds(3, 2, true, 20, 24, 64, 0.5, 8, false, 1);
  }
}
