package dev.egret.io;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Where and what a YAML syntax error is, from the scanner's own mark (Jackson's location for these
 * can be the end of the file), with the commonest problems said plainly.
 *
 * @param line 1-based
 * @param column 1-based
 * @param problem what is wrong
 */
record YamlMark(long line, long column, String problem) {
  static YamlMark of(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException m) {
        Mark at = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
        return new YamlMark(
            at == null ? 0 : at.getLine() + 1, at == null ? 0 : at.getColumn() + 1, plain(m));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String plain(MarkedYAMLException m) {
    String p = m.getProblem() == null ? "" : m.getProblem();
    if (p.contains("'\\t'") || p.contains("\\t(TAB)")) {
      return "a tab character: YAML indents with spaces only";
    }
    if (p.startsWith("mapping values are not allowed")) {
      return "a key where none can start (check the indentation and the space after ':')";
    }
    if (p.startsWith("expected <block end>")) {
      return "the indentation does not line up with the lines above";
    }
    if (p.startsWith("found duplicate key")) {
      return "duplicate key" + p.substring("found duplicate key".length());
    }
    String context = m.getContext() == null ? "" : m.getContext() + ": ";
    return "not valid YAML: " + ReadErrors.firstLine(context + p);
  }
}
