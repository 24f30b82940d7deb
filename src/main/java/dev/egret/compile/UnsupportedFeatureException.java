package dev.egret.compile;

import java.util.List;

/**
 * A policy uses features a target cannot express. Lists every (rule, feature) pair at once, in the
 * form aerleon uses: {@code "%s contains unsupported keywords (%s) for target %s"}.
 */
public class UnsupportedFeatureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** One rule and the features of it that the target cannot express. */
  public record Problem(String rule, String features, String target) {
    @Override
    public String toString() {
      return String.format(
          "%s contains unsupported keywords (%s) for target %s", rule, features, target);
    }
  }

  private final transient List<Problem> problems;

  public UnsupportedFeatureException(List<Problem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String message(List<Problem> problems) {
    StringBuilder sb = new StringBuilder();
    for (Problem p : problems) {
      sb.append(sb.length() == 0 ? "" : "; ").append(p);
    }
    return sb.toString();
  }
}
