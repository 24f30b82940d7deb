package dev.egret.compile;

import dev.egret.policy.Policy;
import dev.egret.policy.PolicyYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The test policies and how each (policy, target, mode) case renders as one golden text. */
final class CompileCases {
  static final Path POLICIES = Path.of("src/test/resources/policies");
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final String FILE_MARK = "==> ";

  /** One golden case. */
  record Case(String policy, String target, CompileOptions.Mode mode) {
    String name() {
      return policy + "-" + mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    Path golden() {
      return GOLDEN.resolve(target).resolve(name() + ".txt");
    }

    CompileOptions options() {
      // Host mode: the union of the roles, so that one golden file shows every rule in each mode.
      return mode == CompileOptions.Mode.HOST
          ? CompileOptions.builder(CompileOptions.Mode.HOST).allRoles(true).build()
          : CompileOptions.gateway();
    }

    /** The compiled files, or null when the target cannot express the policy. */
    CompiledRules compile() {
      try {
        return CompilerRegistry.get(target).compile(CompileCases.policy(policy), options());
      } catch (UnsupportedFeatureException e) {
        return null;
      }
    }

    String render() {
      try {
        return CompileCases.render(
            CompilerRegistry.get(target).compile(CompileCases.policy(policy), options()));
      } catch (UnsupportedFeatureException e) {
        return "error: " + e.getMessage() + "\n";
      }
    }
  }

  private CompileCases() {}

  static List<String> policyNames() {
    try (Stream<Path> s = Files.list(POLICIES)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - 5))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Case> all() {
    List<Case> out = new ArrayList<>();
    for (String p : policyNames()) {
      for (String t : CompilerRegistry.targets()) {
        for (CompileOptions.Mode m : CompileOptions.Mode.values()) {
          out.add(new Case(p, t, m));
        }
      }
    }
    return out;
  }

  static Policy policy(String name) {
    try {
      return PolicyYaml.read(POLICIES.resolve(name + ".yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String render(CompiledRules rules) {
    StringBuilder sb = new StringBuilder();
    rules
        .files()
        .forEach((name, text) -> sb.append(FILE_MARK).append(name).append(" <==\n").append(text));
    return sb.toString();
  }

  /** Inverse of {@link #render}: the files of a golden text, or an empty map for an error. */
  static Map<String, String> parse(String golden) {
    Map<String, String> files = new TreeMap<>();
    String name = null;
    StringBuilder cur = new StringBuilder();
    for (String line : golden.split("\n", -1)) {
      if (line.startsWith(FILE_MARK) && line.endsWith(" <==")) {
        if (name != null) {
          files.put(name, cur.toString());
        }
        name = line.substring(FILE_MARK.length(), line.length() - 4);
        cur.setLength(0);
      } else if (name != null) {
        cur.append(line).append('\n');
      }
    }
    if (name != null) {
      String last = cur.toString();
      files.put(name, last.substring(0, last.length() - 1));
    }
    return files;
  }
}
