package dev.egret.compile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects what a target cannot express while a compiler runs; {@link #check} throws once. */
final class Unsupported {
  private final String target;
  private final Map<String, Set<String>> byRule = new LinkedHashMap<>();

  Unsupported(String target) {
    this.target = target;
  }

  void add(String rule, String feature) {
    byRule.computeIfAbsent(rule, k -> new LinkedHashSet<>()).add(feature);
  }

  void check() {
    if (byRule.isEmpty()) {
      return;
    }
    List<UnsupportedFeatureException.Problem> ps = new ArrayList<>();
    byRule.forEach(
        (rule, fs) ->
            ps.add(new UnsupportedFeatureException.Problem(rule, String.join(", ", fs), target)));
    throw new UnsupportedFeatureException(ps);
  }
}
