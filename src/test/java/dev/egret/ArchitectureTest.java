package dev.egret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering, checked over the main sources: every reference from one egret package to another
 * (an import, a static import or a fully qualified name) must be one the table below allows. Data
 * flows one way (capture -> decode -> flow -> baseline -> policy -> compile); {@code net} is the
 * shared vocabulary and imports nothing of egret; nothing but {@code cli} reaches {@code cli}. A
 * new package must be added here, with what it may use.
 */
class ArchitectureTest {
  static final Path MAIN = Path.of("src/main/java/dev/egret");

  /** Package -> the egret packages it may reference (besides itself). */
  static final Map<String, Set<String>> ALLOWED =
      Map.ofEntries(
          Map.entry("net", Set.of()),
          Map.entry("io", Set.of("net")),
          Map.entry("capture", Set.of("io", "net")),
          Map.entry("decode", Set.of("net")),
          Map.entry("flow", Set.of("capture", "decode", "io", "net")),
          Map.entry("baseline", Set.of("flow", "io", "net")),
          Map.entry("policy", Set.of("baseline", "io", "net")),
          Map.entry("compile", Set.of("policy", "io", "net")),
          Map.entry("synth", Set.of("io", "net")),
          Map.entry("enforce", Set.of("io", "net")),
          Map.entry("report", Set.of("baseline", "drops", "io", "net", "policy")),
          Map.entry("logs", Set.of("decode", "flow", "net")),
          Map.entry("drops", Set.of("baseline", "capture", "flow", "net")),
          Map.entry("resolve", Set.of("compile", "decode", "net", "policy")),
          Map.entry("live", Set.of("baseline", "capture", "decode", "flow", "io", "net", "policy")),
          Map.entry(
              "cli",
              Set.of(
                  "baseline",
                  "capture",
                  "compile",
                  "decode",
                  "drops",
                  "enforce",
                  "flow",
                  "io",
                  "live",
                  "logs",
                  "net",
                  "policy",
                  "report",
                  "resolve",
                  "synth")));

  private static final Pattern REF = Pattern.compile("\\bdev\\.egret\\.([a-z0-9]+)\\.");

  @Test
  void everyPackageIsInTheTable() throws IOException {
    Set<String> packages = new TreeSet<>();
    try (Stream<Path> s = Files.list(MAIN)) {
      s.filter(Files::isDirectory).forEach(p -> packages.add(p.getFileName().toString()));
    }
    assertEquals(new TreeSet<>(ALLOWED.keySet()), packages, "packages vs ArchitectureTest.ALLOWED");
  }

  @Test
  void noPackageReachesOneItMustNot() {
    List<String> violations = violations(MAIN);
    assertTrue(violations.isEmpty(), "layering violations:\n" + String.join("\n", violations));
  }

  @Test
  void theCheckWouldCatchACompilerImportingTheDecoder(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    Path compile = Files.createDirectories(dir.resolve("compile"));
    Files.writeString(
        compile.resolve("Bad.java"),
        "package dev.egret.compile;\n\nimport dev.egret.decode.PacketDecoder;\n\nclass Bad {}\n");
    assertEquals(
        List.of(
            "compile/Bad.java:3 references dev.egret.decode (compile may use [io, net, policy])"),
        violations(dir));
  }

  static List<String> violations(Path root) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        String pkg = root.relativize(f).getName(0).toString();
        Set<String> allowed = ALLOWED.getOrDefault(pkg, Set.of());
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = REF.matcher(lines.get(i));
          while (m.find()) {
            String target = m.group(1);
            if (!target.equals(pkg) && !allowed.contains(target)) {
              out.add(
                  root.relativize(f).toString().replace('\\', '/')
                      + ":"
                      + (i + 1)
                      + " references dev.egret."
                      + target
                      + " ("
                      + pkg
                      + " may use "
                      + new TreeSet<>(allowed)
                      + ")");
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
