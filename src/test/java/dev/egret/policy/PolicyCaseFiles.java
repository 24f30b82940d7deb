package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.ConfigYaml;
import dev.egret.baseline.EgretConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The policy cases: {@code policy-cases/<case>.baseline.json}, an optional {@code
 * <case>.config.yaml} beside it, and the policy each must give in {@code golden/policy/<case>.yaml}
 * ({@link PolicyGoldenTest} checks that; other tests run on the same cases).
 */
final class PolicyCaseFiles {
  static final Path CASES = Path.of("src/test/resources/policy-cases");
  static final Path GOLDEN = Path.of("src/test/resources/golden/policy");

  private PolicyCaseFiles() {}

  static Set<String> cases() throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> s = Files.list(CASES)) {
      s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".baseline.json"))
          .forEach(n -> out.add(n.substring(0, n.length() - ".baseline.json".length())));
    }
    return out;
  }

  static Baseline baseline(String name) throws IOException {
    return BaselineJson.read(CASES.resolve(name + ".baseline.json"));
  }

  static EgretConfig config(String name) throws IOException {
    Path c = CASES.resolve(name + ".config.yaml");
    return Files.exists(c) ? ConfigYaml.read(c) : EgretConfig.defaults();
  }

  static Policy generate(String name) throws IOException {
    return new PolicyGenerator(config(name)).generate(baseline(name));
  }
}
