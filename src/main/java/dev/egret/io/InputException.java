package dev.egret.io;

import java.util.ArrayList;
import java.util.List;

/**
 * A file egret cannot take as it is: one line naming the file, the line and column, the field and
 * what is wrong, in the reader's terms ({@code baseline.json:12:7: entries[3].destination: not an
 * IP address: "999.1.1.1"}). Checks of decoded values throw it with only the field's path; the
 * reader of the format, which knows where that field is, adds the file and position with {@link
 * #at}. Commands exit with 2 on it.
 */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<Object> path;
  private final String problem;

  private InputException(String message, List<Object> path, String problem) {
    super(message);
    this.path = path;
    this.problem = problem;
  }

  /** A problem with the field at {@code path} (names and list indexes, outermost first). */
  public static InputException field(List<?> path, String problem) {
    List<Object> p = List.copyOf(path);
    String where = pathText(p);
    return new InputException(where.isEmpty() ? problem : where + ": " + problem, p, problem);
  }

  /** A problem with the file as a whole or at a position without a field. */
  public static InputException file(String file, long line, long column, String problem) {
    return new InputException(position(file, line, column) + ": " + problem, List.of(), problem);
  }

  /** This problem, placed at {@code line} and {@code column} (1-based; 0 when unknown) of file. */
  public InputException at(String file, long line, long column) {
    String where = pathText(path);
    return new InputException(
        position(file, line, column) + ": " + (where.isEmpty() ? "" : where + ": ") + problem,
        path,
        problem);
  }

  /** The field's path, outermost first. */
  public List<Object> path() {
    return path;
  }

  /** This problem one level further down: {@code prefix} is prepended to the path. */
  public InputException under(Object... prefix) {
    List<Object> p = new ArrayList<>(List.of(prefix));
    p.addAll(path);
    return field(p, problem);
  }

  /** What is wrong, without file or field. */
  public String problem() {
    return problem;
  }

  private static String position(String file, long line, long column) {
    if (line <= 0) {
      return file;
    }
    return file + ":" + line + (column > 0 ? ":" + column : "");
  }

  /** {@code entries[3].destination}. */
  static String pathText(List<Object> path) {
    StringBuilder sb = new StringBuilder();
    for (Object o : path) {
      if (o instanceof Integer i) {
        sb.append('[').append(i).append(']');
      } else {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(o);
      }
    }
    return sb.toString();
  }
}
