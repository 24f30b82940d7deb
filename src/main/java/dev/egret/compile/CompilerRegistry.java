package dev.egret.compile;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The compilers egret knows, by target name: an explicit table, no discovery. */
public final class CompilerRegistry {
  private static final Map<String, RuleCompiler> BY_TARGET = table();

  private CompilerRegistry() {}

  private static Map<String, RuleCompiler> table() {
    Map<String, RuleCompiler> m = new TreeMap<>();
    for (RuleCompiler c :
        List.of(
            new IptablesCompiler(),
            new NftablesCompiler(),
            new UfwCompiler(),
            new CapircaCompiler(),
            DnsmasqCompiler.nftables(),
            DnsmasqCompiler.ipsets())) {
      m.put(c.target(), c);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Target names, sorted. */
  public static List<String> targets() {
    return List.copyOf(BY_TARGET.keySet());
  }

  public static RuleCompiler get(String target) {
    RuleCompiler c = BY_TARGET.get(target);
    if (c == null) {
      throw new IllegalArgumentException(
          "unknown target \""
              + dev.egret.io.Escape.forTerminal(target)
              + "\" (expected one of "
              + String.join(", ", targets())
              + ")");
    }
    return c;
  }
}
