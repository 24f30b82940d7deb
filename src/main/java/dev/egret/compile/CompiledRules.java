package dev.egret.compile;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The output of one compiler: file contents by relative path ({@code /}-separated), sorted so that
 * writing them is deterministic.
 *
 * @param target the compiler's target name
 * @param files relative file name to text
 * @param warnings what the person compiling should know (printed on stderr, never in a file)
 */
public record CompiledRules(
    String target, SortedMap<String, String> files, java.util.List<String> warnings) {
  public CompiledRules {
    warnings = java.util.List.copyOf(warnings == null ? java.util.List.of() : warnings);
    if (files == null || files.isEmpty()) {
      throw new IllegalArgumentException("a compiler must produce at least one file");
    }
    for (String name : files.keySet()) {
      if (name.isEmpty()
          || name.startsWith("/")
          || name.contains("..")
          || !name.matches("[A-Za-z0-9._/-]+")) {
        throw new IllegalArgumentException("bad output file name \"" + name + "\"");
      }
    }
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  public static CompiledRules of(String target, Map<String, String> files) {
    return new CompiledRules(target, new TreeMap<>(files), java.util.List.of());
  }

  public CompiledRules withWarnings(java.util.List<String> w) {
    return new CompiledRules(target, files, w);
  }
}
