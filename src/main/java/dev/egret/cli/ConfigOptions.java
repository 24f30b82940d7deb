package dev.egret.cli;

import dev.egret.baseline.ConfigYaml;
import dev.egret.baseline.EgretConfig;
import dev.egret.net.Cidr;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --config egret.yaml} and {@code --internal CIDR,...}, shared by learn and policy. */
final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Site config (internal networks, roles, exclusions, thresholds); see egret.example.yaml.")
  Path config;

  @Option(
      names = "--internal",
      split = ",",
      paramLabel = "CIDR",
      description =
          "Internal networks (overrides the config). Default: 10.0.0.0/8, 172.16.0.0/12,"
              + " 192.168.0.0/16, 100.64.0.0/10, fc00::/7.")
  List<String> internal;

  EgretConfig load() throws IOException {
    EgretConfig c = config == null ? EgretConfig.defaults() : ConfigYaml.read(config);
    if (internal != null && !internal.isEmpty()) {
      List<Cidr> nets = new ArrayList<>();
      for (String s : internal) {
        try {
          nets.add(Cidr.parse(s));
        } catch (IllegalArgumentException e) {
          throw new UserError("--internal: " + e.getMessage());
        }
      }
      c = c.withInternal(nets);
    }
    return c;
  }
}
