package dev.egret.report;

import dev.egret.baseline.Baseline;
import dev.egret.drops.DropGroup;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyChecker;
import java.util.List;

/**
 * What a report shows.
 *
 * @param baseline what was learned
 * @param baselineName the baseline's file name, for the heading
 * @param policy the policy to show with its rules, review list and anomalies, or null
 * @param previous an older policy to compare {@code policy} with, or null
 * @param blocked what {@code policy} would block in the checked captures, or null when none were
 *     checked
 * @param checked the names of the checked captures or baselines
 * @param drops the firewall's blocked attempts read back from its log, or null when none was read
 */
public record ReportInput(
    Baseline baseline,
    String baselineName,
    Policy policy,
    Policy previous,
    List<PolicyChecker.Blocked> blocked,
    List<String> checked,
    List<DropGroup> drops) {
  public ReportInput {
    if (baseline == null) {
      throw new IllegalArgumentException("a report needs a baseline");
    }
    if (previous != null && policy == null) {
      throw new IllegalArgumentException("an older policy needs a newer one to compare with");
    }
    blocked = blocked == null ? null : List.copyOf(blocked);
    checked = List.copyOf(checked == null ? List.of() : checked);
    drops = drops == null ? null : List.copyOf(drops);
  }
}
