package dev.egret.baseline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.egret.io.FieldChecks;
import dev.egret.io.InputException;
import dev.egret.io.ReadErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a baseline's JSON token by token into its records: no tree, no object mapper, one record at
 * a time. What the records' constructors refuse, a field of the wrong kind, an unknown or a
 * repeated field and a syntax error are each thrown as one {@link InputException} placed at the
 * record or value in the file; the values themselves are checked afterwards by {@link
 * BaselineChecks}. A field a later minor version adds reads as absent (0, empty) from an older
 * file, and {@code null} reads as absent too.
 *
 * <p>The lists of days and hours recur across thousands of entries: equal ones are read into one
 * shared list.
 */
final class BaselineReader extends RecordParser {
  private final Map<List<String>, List<String>> dayLists = new HashMap<>();
  private final Map<Integer, List<Integer>> hourLists = new HashMap<>();

  private BaselineReader(JsonParser p, String file) {
    super(p, file);
  }

  /** The baseline {@code p} holds; {@code file} names it in errors. */
  static Baseline read(JsonParser p, String file) throws IOException {
    BaselineReader r = new BaselineReader(p, file);
    try {
      return r.baseline();
    } catch (InputCoercionException e) {
      throw r.problem("expected a whole number, found " + FieldChecks.quote(p.getText()), null);
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      throw InputException.field(r.path(), ReadErrors.problem(e))
          .at(file, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr());
    }
  }

  private static final Fields TOP =
      Fields.of(
          "schemaVersion",
          "egretVersion",
          "windowStartNs",
          "windowEndNs",
          "sources",
          "counters",
          "entries",
          "names",
          "queries",
          "summaries");

  private Baseline baseline() throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw problem("not a baseline (expected a JSON object)", null);
    }
    String schema = null;
    String egret = null;
    Long start = null;
    Long end = null;
    List<SourceRecord> sources = null;
    Counters counters = null;
    List<Entry> entries = null;
    List<NameRecord> names = null;
    List<QueryRecord> queries = null;
    List<SummaryRecord> summaries = null;
    startObject();
    String u = null;
    JsonLocation at = null;
    for (int f = nextField(TOP); f != END; f = nextField(TOP)) {
      if (f == UNKNOWN && u == null) {
        u = unknown;
        at = unknownAt;
        unknown = null;
      }
      top = field;
      field = null;
      long outer = seen;
      int after = next;
      switch (f) {
        case 0 -> schema = string();
        case 1 -> egret = string();
        case 2 -> start = nullableLong();
        case 3 -> end = nullableLong();
        case 4 -> sources = list(this::source);
        case 5 -> counters = counters();
        case 6 -> entries = list(this::entry);
        case 7 -> names = list(this::name);
        case 8 -> queries = list(this::query);
        case 9 -> summaries = list(this::summary);
        default -> p.skipChildren();
      }
      seen = outer;
      next = after;
      top = null;
    }
    Baseline b;
    try {
      b =
          new Baseline(
              schema, egret, start, end, sources, counters, entries, names, queries, summaries);
    } catch (RuntimeException e) {
      throw InputException.file(file, 0, 0, refusal(e));
    }
    if (u != null) {
      throw unknownField(List.of(), u, TOP, at);
    }
    return b;
  }

  @FunctionalInterface
  private interface RecordReader<T> {
    T read() throws IOException;
  }

  /** A top-level list, record by record; null for {@code null}. */
  private <T> List<T> list(RecordReader<T> reader) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(JsonToken.START_ARRAY, "a list");
    List<T> out = new ArrayList<>();
    for (record = 0; p.nextToken() != JsonToken.END_ARRAY; record++) {
      expect(JsonToken.START_OBJECT, "a mapping of fields");
      JsonLocation start = p.currentTokenLocation();
      startObject();
      T t;
      try {
        t = reader.read();
      } catch (InputException e) {
        throw e;
      } catch (RuntimeException e) {
        field = null;
        throw InputException.field(path(), refusal(e))
            .at(file, start.getLineNr(), start.getColumnNr());
      }
      if (unknown != null) {
        throw unknownField(path(), unknown, fieldsOf(t), unknownAt);
      }
      out.add(t);
    }
    record = -1;
    return out;
  }

  private static final Fields SOURCE =
      Fields.of("kind", "name", "fingerprint", "firstNs", "lastNs", "packets", "sensor");

  private SourceRecord source() throws IOException {
    String[] s = new String[SOURCE.names().size()];
    long[] n = new long[s.length];
    for (int f = nextField(SOURCE); f != END; f = nextField(SOURCE)) {
      switch (f) {
        case 0, 1, 2, 6 -> s[f] = string();
        case 3, 4, 5 -> n[f] = number();
        default -> p.skipChildren();
      }
    }
    return new SourceRecord(s[0], s[1], s[2], n[3], n[4], n[5], s[6]);
  }

  private static final Fields COUNTERS =
      Fields.of(
          "packets",
          "malformed",
          "dropped",
          "truncatedFiles",
          "flows",
          "egressFlows",
          "inboundFlows",
          "externalFlows",
          "chatterFlows",
          "excludedFlows",
          "overflowFlows");

  private Counters counters() throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(JsonToken.START_OBJECT, "a mapping of fields");
    long[] c = new long[COUNTERS.names().size()];
    startObject();
    for (int f = nextField(COUNTERS); f != END; f = nextField(COUNTERS)) {
      if (f == UNKNOWN) {
        p.skipChildren();
      } else {
        c[f] = number();
      }
    }
    if (unknown != null) {
      throw unknownField(List.of("counters"), unknown, COUNTERS, unknownAt);
    }
    return new Counters(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]);
  }

  private static final Fields ENTRY =
      Fields.of(
          "host",
          "destination",
          "protocol",
          "port",
          "internalDestination",
          "flows",
          "answered",
          "unanswered",
          "rejected",
          "packetsOut",
          "bytesOut",
          "packetsIn",
          "bytesIn",
          "firstSeenNs",
          "lastSeenNs",
          "days",
          "hours",
          "gaps",
          "gapSumMs",
          "gapSumSqMs",
          "uid");

  private Entry entry() throws IOException {
    String[] s = new String[3];
    int port = 0;
    boolean internal = false;
    long[] n = new long[ENTRY.names().size()];
    List<String> days = null;
    List<Integer> hours = null;
    Integer uid = null;
    for (int f = nextField(ENTRY); f != END; f = nextField(ENTRY)) {
      switch (f) {
        case 0, 1, 2 -> s[f] = string();
        case 3 -> port = integer();
        case 4 -> internal = bool();
        case 15 -> days = days();
        case 16 -> hours = hours();
        case 20 -> uid = p.currentToken() == JsonToken.VALUE_NULL ? null : integer();
        case UNKNOWN -> p.skipChildren();
        default -> n[f] = number();
      }
    }
    return new Entry(
        s[0], s[1], s[2], port, internal, n[5], n[6], n[7], n[8], n[9], n[10], n[11], n[12], n[13],
        n[14], days, hours, n[17], n[18], n[19], uid);
  }

  private static final Fields NAME =
      Fields.of(
          "host", "address", "name", "source", "count", "firstSeenNs", "lastSeenNs", "maxTtl");

  private NameRecord name() throws IOException {
    String[] s = new String[4];
    long[] n = new long[NAME.names().size()];
    for (int f = nextField(NAME); f != END; f = nextField(NAME)) {
      switch (f) {
        case 0, 1, 2, 3 -> s[f] = string();
        case UNKNOWN -> p.skipChildren();
        default -> n[f] = number();
      }
    }
    return new NameRecord(s[0], s[1], s[2], s[3], n[4], n[5], n[6], n[7]);
  }

  private static final Fields QUERY =
      Fields.of("host", "name", "count", "failed", "firstSeenNs", "lastSeenNs");

  private QueryRecord query() throws IOException {
    String[] s = new String[2];
    long[] n = new long[QUERY.names().size()];
    for (int f = nextField(QUERY); f != END; f = nextField(QUERY)) {
      switch (f) {
        case 0, 1 -> s[f] = string();
        case UNKNOWN -> p.skipChildren();
        default -> n[f] = number();
      }
    }
    return new QueryRecord(s[0], s[1], n[2], n[3], n[4], n[5]);
  }

  private static final Fields SUMMARY =
      Fields.of(
          "host",
          "protocol",
          "port",
          "reason",
          "flows",
          "answered",
          "unanswered",
          "rejected",
          "firstSeenNs",
          "lastSeenNs",
          "lowest",
          "highest",
          "sample");

  private SummaryRecord summary() throws IOException {
    String[] s = new String[SUMMARY.names().size()];
    long[] n = new long[s.length];
    int port = 0;
    List<String> sample = null;
    for (int f = nextField(SUMMARY); f != END; f = nextField(SUMMARY)) {
      switch (f) {
        case 0, 1, 3, 10, 11 -> s[f] = string();
        case 2 -> port = integer();
        case 12 -> sample = strings();
        case UNKNOWN -> p.skipChildren();
        default -> n[f] = number();
      }
    }
    return new SummaryRecord(
        s[0], s[1], port, s[3], n[4], n[5], n[6], n[7], n[8], n[9], s[10], s[11], sample);
  }

  private static Fields fieldsOf(Object record) {
    return record instanceof Entry
        ? ENTRY
        : record instanceof NameRecord
            ? NAME
            : record instanceof QueryRecord
                ? QUERY
                : record instanceof SummaryRecord ? SUMMARY : SOURCE;
  }

  private List<String> days() throws IOException {
    List<String> days = strings();
    if (days == null || days.contains(null)) {
      return days;
    }
    return dayLists.computeIfAbsent(days, List::copyOf);
  }

  /** Hours; a sorted, distinct list of 0-23 is shared with every equal one. */
  private List<Integer> hours() throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(JsonToken.START_ARRAY, "a list");
    List<Integer> out = new ArrayList<>(24);
    int mask = 0;
    int previous = -1;
    for (item = 0; p.nextToken() != JsonToken.END_ARRAY; item++) {
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        throw problem("expected a whole number", JsonToken.VALUE_NULL);
      }
      int h = integer();
      out.add(h);
      mask = h > previous && h < 24 && mask >= 0 ? mask | 1 << h : -1;
      previous = h;
    }
    item = -1;
    return mask < 0 ? out : hourLists.computeIfAbsent(mask, k -> List.copyOf(out));
  }
}
