package dev.egret.policy;

import java.util.List;
import java.util.Map;

/**
 * Where a policy's evidence came from.
 *
 * @param windowStart first packet of the learning window (ISO-8601 UTC), or null
 * @param windowEnd last packet of the learning window (ISO-8601 UTC), or null
 * @param days distinct days in the window with traffic
 * @param sources capture files or sensors the baseline absorbed
 * @param packets packets read
 * @param malformed packets skipped as malformed
 * @param dropped packets the capture dropped (kernel, interface, queue): evidence may be missing
 * @param thresholds the thresholds the generator used, by name
 * @param generatedAt when the file was made; null unless asked for (files stay byte-identical)
 * @param warnings why the evidence may be too thin to trust the rules (short window, a role with
 *     few connections, dropped packets); empty when none
 * @param decisions the decisions applied ({@link Decisions}), each with what it did, in words;
 *     written only when there are some
 */
public record PolicyMetadata(
    String windowStart,
    String windowEnd,
    int days,
    List<String> sources,
    long packets,
    long malformed,
    long dropped,
    Map<String, Object> thresholds,
    String generatedAt,
    List<String> warnings,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
        List<String> decisions) {
  public PolicyMetadata {
    sources = List.copyOf(sources == null ? List.of() : sources);
    warnings = List.copyOf(warnings == null ? List.of() : warnings);
    decisions = List.copyOf(decisions == null ? List.of() : decisions);
    thresholds =
        thresholds == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(thresholds));
  }

  public PolicyMetadata(
      String windowStart,
      String windowEnd,
      int days,
      List<String> sources,
      long packets,
      long malformed,
      long dropped,
      Map<String, Object> thresholds,
      String generatedAt,
      List<String> warnings) {
    this(
        windowStart,
        windowEnd,
        days,
        sources,
        packets,
        malformed,
        dropped,
        thresholds,
        generatedAt,
        warnings,
        List.of());
  }

  /** The same metadata with the decisions applied. */
  PolicyMetadata withDecisions(List<String> ds) {
    return new PolicyMetadata(
        windowStart,
        windowEnd,
        days,
        sources,
        packets,
        malformed,
        dropped,
        thresholds,
        generatedAt,
        warnings,
        ds);
  }

  /** The same metadata with {@code more} warnings after its own. */
  PolicyMetadata withWarnings(List<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<String> all = new java.util.ArrayList<>(warnings);
    all.addAll(more);
    return new PolicyMetadata(
        windowStart,
        windowEnd,
        days,
        sources,
        packets,
        malformed,
        dropped,
        thresholds,
        generatedAt,
        all,
        decisions);
  }

  public static PolicyMetadata empty() {
    return new PolicyMetadata(null, null, 0, List.of(), 0, 0, 0, Map.of(), null, List.of());
  }
}
