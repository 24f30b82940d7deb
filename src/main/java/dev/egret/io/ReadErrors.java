package dev.egret.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Jackson's parse and mapping errors (JSON and YAML) in the user's terms: one line with the file,
 * line and column, the field's path and what was expected, never a Java class name.
 */
public final class ReadErrors {
  private ReadErrors() {}

  /**
   * {@code e} as an {@link InputException} placed in {@code file}; a problem with a field is placed
   * at that object in {@code content} (Jackson places an object whose constructor refused it at its
   * end).
   */
  public static InputException translate(
      JsonProcessingException e, String file, JsonFactory factory, byte[] content) {
    return translate(
        e, file, factory, content == null ? null : () -> new ByteArrayInputStream(content));
  }

  /** As {@link #translate(JsonProcessingException, String, JsonFactory, byte[])}, streaming. */
  public static InputException translate(
      JsonProcessingException e, String file, JsonFactory factory, JsonPositions.Opener content) {
    InputException x = translate(e, file);
    List<Object> path = x.path();
    if (!(e instanceof ValueInstantiationException) || path.isEmpty() || content == null) {
      return x;
    }
    long[] at = JsonPositions.find(factory, content, path);
    return at[0] > 0 ? x.at(file, at[0], at[1]) : x;
  }

  /** {@code e} as an {@link InputException} placed in {@code file}. */
  public static InputException translate(JsonProcessingException e, String file) {
    JsonLocation l = e.getLocation();
    long line = l == null ? 0 : l.getLineNr();
    long column = l == null ? 0 : l.getColumnNr();
    Throwable cause = e.getCause();
    if (cause instanceof InputException ie) {
      return pathOf(e).isEmpty()
          ? ie.at(file, line, column)
          : ie.under(pathOf(e).toArray()).at(file, line, column);
    }
    YamlMark mark = YamlMark.of(e);
    if (mark != null) {
      return InputException.file(file, mark.line(), mark.column(), mark.problem());
    }
    if (e instanceof JsonMappingException m
        && cause instanceof JsonProcessingException inner
        && !(cause instanceof JsonMappingException)) {
      JsonLocation il = inner.getLocation();
      return InputException.field(pathOf(m), parseProblem(inner))
          .at(file, il == null ? line : il.getLineNr(), il == null ? column : il.getColumnNr());
    }
    if (e instanceof ValueInstantiationException v && pathOf(v).isEmpty()) {
      // The whole document was refused: Jackson's position is its end, which says nothing.
      return InputException.file(file, 0, 0, mappingProblem(v));
    }
    if (e instanceof JsonMappingException m) {
      List<Object> path = pathOf(m);
      if (m instanceof UnrecognizedPropertyException && !path.isEmpty()) {
        path.remove(path.size() - 1); // the problem names the field
      }
      return InputException.field(path, mappingProblem(m)).at(file, line, column);
    }
    return InputException.file(file, line, column, parseProblem(e));
  }

  private static List<Object> pathOf(JsonProcessingException e) {
    List<Object> path = new ArrayList<>();
    if (e instanceof JsonMappingException m) {
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          path.add(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          path.add(r.getIndex());
        }
      }
    }
    return path;
  }

  private static String mappingProblem(JsonMappingException m) {
    if (m instanceof UnrecognizedPropertyException u) {
      Collection<Object> known = u.getKnownPropertyIds();
      String expected =
          known == null || known.isEmpty()
              ? ""
              : " (expected one of " + String.join(", ", new TreeSet<>(strings(known))) + ")";
      return "unknown field " + FieldChecks.quote(u.getPropertyName()) + expected;
    }
    if (m instanceof ValueInstantiationException v && v.getCause() != null) {
      if (v.getCause() instanceof NullPointerException) {
        return "a required field is missing";
      }
      return firstLine(v.getCause().getMessage());
    }
    if (m instanceof InvalidFormatException f) {
      return "expected "
          + kind(f.getTargetType())
          + ", found "
          + FieldChecks.quote(String.valueOf(f.getValue()));
    }
    if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
      return "expected " + kind(mi.getTargetType());
    }
    Throwable c = m.getCause();
    if (c != null && c.getMessage() != null && c.getClass().getName().startsWith("dev.egret.")) {
      return firstLine(c.getMessage());
    }
    return "not what egret expects here";
  }

  private static List<String> strings(Collection<Object> c) {
    List<String> out = new ArrayList<>();
    for (Object o : c) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  /** The kind of value a Java type stands for, in the file's terms. */
  private static String kind(Class<?> t) {
    if (t == int.class || t == long.class || t == Integer.class || t == Long.class) {
      return "a whole number";
    }
    if (t == double.class || t == Double.class || t == float.class) {
      return "a number";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    }
    if (t == String.class) {
      return "a single value";
    }
    if (Collection.class.isAssignableFrom(t) || t.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(t) || t.isRecord()) {
      return "a mapping of fields";
    }
    if (t.isEnum()) {
      List<String> names = new ArrayList<>();
      for (Object o : t.getEnumConstants()) {
        names.add(o.toString().toLowerCase(java.util.Locale.ROOT));
      }
      return "one of " + String.join(", ", names);
    }
    return "a value of another kind";
  }

  /** What a syntax error says, in the user's terms (no position, no field). */
  public static String problem(JsonProcessingException e) {
    return parseProblem(e);
  }

  private static String parseProblem(JsonProcessingException e) {
    if (e instanceof JsonEOFException) {
      return "the file ends in the middle of a value (cut short?)";
    }
    String m = firstLine(e.getOriginalMessage());
    if (m.startsWith("Duplicate field '")) {
      String f = m.substring("Duplicate field '".length());
      int q = f.indexOf('\'');
      return "duplicate field " + FieldChecks.quote(q < 0 ? f : f.substring(0, q));
    }
    if (m.startsWith("Invalid UTF-8")) {
      return "not UTF-8 text (a binary file, or another encoding?)";
    }
    if (m.startsWith("Unexpected end-of-input")) {
      return "the file ends in the middle of a value (cut short?)";
    }
    if (m.startsWith("Expected a field name")) {
      return "expected a key here (a key is plain text, not a list, a mapping or an alias)";
    }
    if (m.contains("org.yaml.") || m.contains("com.fasterxml.")) {
      return "not valid here";
    }
    if (m.startsWith("Unexpected character") || m.startsWith("Unrecognized token")) {
      return "not valid JSON here: " + m.replaceAll(" \\(code \\d+\\)", "");
    }
    return "not valid here: " + m;
  }

  static String firstLine(String s) {
    if (s == null) {
      return "invalid";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
