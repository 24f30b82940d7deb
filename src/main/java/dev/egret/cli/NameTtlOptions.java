package dev.egret.cli;

import dev.egret.policy.NameTtl;
import picocli.CommandLine.Option;

/** How long an address a name rule's look-up gave stays in the rule's set (resolve). */
final class NameTtlOptions {
  @Option(
      names = "--min-ttl",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = Durations.Seconds.class,
      description = "A shorter TTL counts as this. Default: ${DEFAULT-VALUE}.")
  long minTtl;

  @Option(
      names = "--max-ttl",
      paramLabel = "DURATION",
      defaultValue = "1h",
      converter = Durations.Seconds.class,
      description = "A longer TTL counts as this. Default: ${DEFAULT-VALUE}.")
  long maxTtl;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      defaultValue = "5m",
      converter = Durations.Seconds.class,
      description = "An address stays this long after its TTL ran out. Default: ${DEFAULT-VALUE}.")
  long grace;

  /** The bounds, checked together (min at most max, each within a day). */
  NameTtl ttl() {
    try {
      return new NameTtl(minTtl, maxTtl, grace);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}
