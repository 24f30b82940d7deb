package dev.egret.baseline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.egret.io.FieldChecks;
import dev.egret.io.InputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reading JSON objects of known fields token by token, for {@link BaselineReader}: the field's
 * index, values of the expected kind, and every problem as one {@link InputException} placed at the
 * value in the file with the path of the field ({@code entries[3].hours[0]}). A field given twice
 * is refused at its key; an unknown field is remembered, to be reported once the object is
 * otherwise whole (what its constructor refuses is the likelier mistake: a misspelt required
 * field).
 */
abstract class RecordParser {
  final JsonParser p;
  final String file;

  // Where the parser is, for errors: top-level field, record index, field in it, item in that.
  String top;
  int record = -1;
  String field;
  int item = -1;

  // The first unknown field of the current object: reported once the object is otherwise whole.
  String unknown;
  JsonLocation unknownAt;

  // The fields of the current object seen so far, by their index, and the index expected next.
  long seen;
  int next;

  /** A new object: no field seen yet. */
  void startObject() {
    seen = 0;
    next = 0;
  }

  RecordParser(JsonParser p, String file) {
    this.p = p;
    this.file = file;
  }

  /** The fields of one kind of record, in the order the writer writes them. */
  record Fields(List<String> names, List<SerializableString> quoted, Map<String, Integer> index) {
    static Fields of(String... names) {
      Map<String, Integer> index = new HashMap<>();
      List<SerializableString> quoted = new ArrayList<>();
      for (int i = 0; i < names.length; i++) {
        index.put(names[i], i);
        quoted.add(new SerializedString(names[i]));
      }
      return new Fields(List.of(names), List.copyOf(quoted), index);
    }
  }

  static final int END = -1;
  static final int UNKNOWN = -2;

  /**
   * The index in {@code fields} of the current object's next field, its value's first token read;
   * {@link #END} at the object's end, {@link #UNKNOWN} for a field not in {@code fields} (the first
   * is remembered). A field seen before in the object is refused at its key.
   */
  int nextField(Fields fields) throws IOException {
    field = null;
    // Files egret writes have the fields in order: the next one is matched on its bytes.
    Integer i = next;
    String f;
    boolean expected = next < fields.names().size();
    if (expected && p.nextFieldName(fields.quoted().get(next))) {
      f = fields.names().get(next);
    } else if ((expected ? p.currentToken() : p.nextToken()) == JsonToken.FIELD_NAME) {
      f = p.currentName();
      i = fields.index().get(f);
    } else {
      return END;
    }
    if (i == null) {
      if (unknown == null) {
        unknown = f;
        unknownAt = p.currentTokenLocation();
      }
    } else if ((seen & 1L << i) != 0) {
      JsonLocation l = p.currentTokenLocation();
      throw InputException.field(path(), "duplicate field " + FieldChecks.quote(f))
          .at(file, l.getLineNr(), l.getColumnNr());
    } else {
      seen |= 1L << i;
      next = i + 1;
    }
    field = f;
    p.nextToken();
    return i == null ? UNKNOWN : i;
  }

  InputException unknownField(List<Object> where, String f, Fields known, JsonLocation at) {
    unknown = null;
    return InputException.field(
            where,
            "unknown field "
                + FieldChecks.quote(f)
                + " (expected one of "
                + String.join(", ", new TreeSet<>(known.names()))
                + ")")
        .at(file, at.getLineNr(), at.getColumnNr());
  }

  String string() throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
      throw problem("expected a single value", null);
    }
    return p.getText();
  }

  /**
   * A whole number; null reads as 0. A fraction is cut to its whole part, saturating: schema 1.0
   * wrote {@code gapSumSqMs} as a floating-point number.
   */
  long number() throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      return (long) p.getDoubleValue();
    }
    throw problem("expected a whole number", t);
  }

  int integer() throws IOException {
    long v = number();
    if (v != (int) v) {
      throw problem("expected a whole number", JsonToken.VALUE_STRING);
    }
    return (int) v;
  }

  Long nullableLong() throws IOException {
    return p.currentToken() == JsonToken.VALUE_NULL ? null : number();
  }

  boolean bool() throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL) {
      return t == JsonToken.VALUE_TRUE;
    }
    throw problem("expected true or false", t);
  }

  List<String> strings() throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(JsonToken.START_ARRAY, "a list");
    List<String> out = new ArrayList<>(2);
    for (item = 0; p.nextToken() != JsonToken.END_ARRAY; item++) {
      out.add(string());
    }
    item = -1;
    return out;
  }

  void expect(JsonToken want, String what) throws IOException {
    if (p.currentToken() != want) {
      throw problem("expected " + what, p.currentToken());
    }
  }

  /** A problem with the current value: "expected ..., found "x"" when a scalar was found. */
  InputException problem(String expected, JsonToken found) throws IOException {
    String text = found != null && found.isScalarValue() ? p.getText() : null;
    JsonLocation l = p.currentTokenLocation();
    return InputException.field(
            path(), text == null ? expected : expected + ", found " + FieldChecks.quote(text))
        .at(file, l.getLineNr(), l.getColumnNr());
  }

  List<Object> path() {
    List<Object> path = new ArrayList<>(4);
    if (top != null) {
      path.add(top);
    }
    if (record >= 0) {
      path.add(record);
    }
    if (field != null) {
      path.add(field);
    }
    if (item >= 0) {
      path.add(item);
    }
    return path;
  }

  /** What a record's constructor said, as the file's reader says it. */
  static String refusal(RuntimeException e) {
    if (e instanceof NullPointerException) {
      return "a required field is missing";
    }
    String m = e.getMessage() == null ? "invalid" : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
