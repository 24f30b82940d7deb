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
 */
public record CompiledRules(String target, SortedMap<String, String> files) {
  public CompiledRules {
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
    return new CompiledRules(target, new TreeMap<>(files));
  }
}
