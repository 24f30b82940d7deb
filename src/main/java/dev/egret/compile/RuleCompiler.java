package dev.egret.compile;

import dev.egret.policy.Policy;

/**
 * Turns a policy into the files one firewall loads. Compilers return text; only the driver writes
 * files. Every compiler collects the features its target cannot express and throws one {@link
 * UnsupportedFeatureException} naming them all; a rule is never silently dropped.
 */
public interface RuleCompiler {
  /** Target name as given to {@code --target}. */
  String target();

  CompiledRules compile(Policy policy, CompileOptions options);
}
