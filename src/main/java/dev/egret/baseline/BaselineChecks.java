package dev.egret.baseline;

import static dev.egret.io.FieldChecks.count;
import static dev.egret.io.FieldChecks.ip;
import static dev.egret.io.FieldChecks.ordered;
import static dev.egret.io.FieldChecks.present;
import static dev.egret.io.FieldChecks.quote;
import static dev.egret.io.FieldChecks.word;

import dev.egret.io.FieldChecks;
import dev.egret.io.InputException;
import dev.egret.net.Protocols;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every value of a decoded baseline checked before egret uses or rewrites it: addresses, protocols,
 * ports, days, hours, counts, time order, schema version, and no two records with the same key.
 * Independent of the file format: a problem is thrown with the path of the field ({@code
 * entries[3].destination}) for the format's reader to place in the file.
 */
public final class BaselineChecks {
  private static final Pattern VERSION = Pattern.compile("\\d{1,4}\\.\\d{1,4}");
  private static final Pattern FINGERPRINT = Pattern.compile("([0-9a-f]{64})?");

  private BaselineChecks() {}

  public static void check(Baseline b) {
    String v = present("schemaVersion", b.schemaVersion());
    if (!VERSION.matcher(v).matches()) {
      throw InputException.field(
          List.of("schemaVersion"),
          "expected major.minor such as " + Baseline.SCHEMA + ", found " + quote(v));
    }
    if (b.windowStartNs() != null) {
      count("windowStartNs", b.windowStartNs());
      ordered("windowStartNs", b.windowStartNs(), "windowEndNs", b.windowEndNs());
    }
    at("counters", -1, () -> counters(b.counters()));
    Map<String, Integer> seen = new HashMap<>();
    List<SourceRecord> sources = b.sources();
    for (int i = 0; i < sources.size(); i++) {
      SourceRecord s = sources.get(i);
      at("sources", i, () -> source(s));
    }
    List<Entry> entries = b.entries();
    // Entries read from a file share their lists of days: each list is checked once.
    Set<List<String>> goodDays = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      at("entries", i, () -> entry(e, goodDays));
      unique("entries", entries, i, KeyOrder.ENTRIES, Entry::key);
    }
    List<NameRecord> names = b.names();
    for (int i = 0; i < names.size(); i++) {
      NameRecord n = names.get(i);
      at("names", i, () -> name(n));
      unique("names", names, i, KeyOrder.NAMES, NameRecord::key);
    }
    List<QueryRecord> queries = b.queries();
    for (int i = 0; i < queries.size(); i++) {
      QueryRecord q = queries.get(i);
      at("queries", i, () -> query(q));
      unique("queries", queries, i, KeyOrder.QUERIES, QueryRecord::key);
    }
    seen.clear();
    List<SummaryRecord> summaries = b.summaries();
    for (int i = 0; i < summaries.size(); i++) {
      SummaryRecord r = summaries.get(i);
      at("summaries", i, () -> summary(r));
      unique("summaries", i, r.key(), seen);
    }
  }

  /**
   * The records are sorted on read, so a duplicate sits next to its twin; the index reported is
   * that of the sorted list, which for a file egret wrote is the order in the file.
   */
  private static <T> void unique(
      String list,
      List<T> records,
      int i,
      java.util.Comparator<T> order,
      java.util.function.Function<T, String> keyOf) {
    // Sorted by key: a twin is the record before (the first of a run of twins is reported).
    if (i > 0 && order.compare(records.get(i - 1), records.get(i)) == 0) {
      String key = keyOf.apply(records.get(i));
      int other = i - 1;
      while (other > 0 && order.compare(records.get(other - 1), records.get(i)) == 0) {
        other--;
      }
      throw duplicate(list, i, key, other);
    }
  }

  private static void unique(String list, int i, String key, Map<String, Integer> seen) {
    Integer other = seen.putIfAbsent(key, i);
    if (other != null) {
      throw duplicate(list, i, key, other);
    }
  }

  private static InputException duplicate(String list, int i, String key, int other) {
    return InputException.field(
        List.of(list, i),
        "same "
            + singular(list)
            + " as "
            + list
            + "["
            + other
            + "] ("
            + FieldChecks.quote(key)
            + "); merge them or remove one");
  }

  private static String singular(String list) {
    return switch (list) {
      case "entries" -> "host, destination, protocol and port";
      case "names" -> "host, address, name and source";
      case "summaries" -> "host, protocol, port and reason";
      default -> "host and name";
    };
  }

  private static void at(String list, int i, Runnable check) {
    try {
      check.run();
    } catch (InputException e) {
      throw i < 0 ? e.under(list) : e.under(list, i);
    }
  }

  private static void counters(Counters c) {
    count("packets", c.packets());
    count("malformed", c.malformed());
    count("dropped", c.dropped());
    count("truncatedFiles", c.truncatedFiles());
    count("flows", c.flows());
    count("egressFlows", c.egressFlows());
    count("inboundFlows", c.inboundFlows());
    count("externalFlows", c.externalFlows());
    count("chatterFlows", c.chatterFlows());
    count("excludedFlows", c.excludedFlows());
  }

  private static void source(SourceRecord s) {
    word("kind", s.kind());
    present("name", s.name());
    String fp = present("fingerprint", s.fingerprint());
    if (!FINGERPRINT.matcher(fp).matches()) {
      throw InputException.field(
          List.of("fingerprint"), "expected 64 hex digits or nothing, found " + quote(fp));
    }
    count("firstNs", s.firstNs());
    ordered("firstNs", s.firstNs(), "lastNs", s.lastNs());
    count("packets", s.packets());
  }

  private static void entry(Entry e, Set<List<String>> goodDays) {
    ip("host", e.host());
    ip("destination", e.destination());
    protocol(e.protocol());
    FieldChecks.port("port", e.port());
    if (e.uid() != null && e.uid() < 0) {
      throw InputException.field(List.of("uid"), "a user id is 0 or more, found " + e.uid());
    }
    count("flows", e.flows());
    count("answered", e.answered());
    count("unanswered", e.unanswered());
    count("rejected", e.rejected());
    count("packetsOut", e.packetsOut());
    count("bytesOut", e.bytesOut());
    count("packetsIn", e.packetsIn());
    count("bytesIn", e.bytesIn());
    count("firstSeenNs", e.firstSeenNs());
    ordered("firstSeenNs", e.firstSeenNs(), "lastSeenNs", e.lastSeenNs());
    LocalDate previous = null;
    for (int i = goodDays.contains(e.days()) ? e.days().size() : 0; i < e.days().size(); i++) {
      int k = i;
      LocalDate d = nested("days", i, () -> FieldChecks.day("days", e.days().get(k)));
      if (previous != null && !d.isAfter(previous)) {
        throw InputException.field(
            List.of("days", i),
            "days must be sorted and distinct, found "
                + quote(d.toString())
                + " after "
                + previous);
      }
      previous = d;
    }
    goodDays.add(e.days());
    int last = -1;
    for (int i = 0; i < e.hours().size(); i++) {
      Integer h = e.hours().get(i);
      if (h == null || h < 0 || h > 23) {
        throw InputException.field(List.of("hours", i), "an hour is 0 to 23, found " + h);
      }
      if (h <= last) {
        throw InputException.field(
            List.of("hours", i),
            "hours must be sorted and distinct, found " + h + " after " + last);
      }
      last = h;
    }
    count("gaps", e.gaps());
    count("gapSumMs", e.gapSumMs());
    count("gapSumSqMs", e.gapSumSqMs());
  }

  /** A protocol as a baseline writes it: its name, or its number when it has none. */
  private static void protocol(String v) {
    int proto = FieldChecks.protocol("protocol", v);
    if (!Protocols.name(proto).equals(v)) {
      throw InputException.field(
          List.of("protocol"),
          "written as " + quote(Protocols.name(proto)) + " in a baseline, found " + quote(v));
    }
  }

  private static <T> T nested(String field, int i, java.util.function.Supplier<T> check) {
    try {
      return check.get();
    } catch (InputException x) {
      throw InputException.field(List.of(field, i), x.problem());
    }
  }

  private static void name(NameRecord n) {
    ip("host", n.host());
    ip("address", n.address());
    present("name", n.name());
    word("source", n.source());
    count("count", n.count());
    count("firstSeenNs", n.firstSeenNs());
    ordered("firstSeenNs", n.firstSeenNs(), "lastSeenNs", n.lastSeenNs());
    count("maxTtl", n.maxTtl());
  }

  private static void summary(SummaryRecord r) {
    ip("host", r.host());
    protocol(r.protocol());
    FieldChecks.port("port", r.port());
    count("flows", r.flows());
    count("firstSeenNs", r.firstSeenNs());
    ordered("firstSeenNs", r.firstSeenNs(), "lastSeenNs", r.lastSeenNs());
    ip("lowest", r.lowest());
    ip("highest", r.highest());
    for (int i = 0; i < r.sample().size(); i++) {
      int k = i;
      nested("sample", i, () -> ip("sample", r.sample().get(k)));
    }
  }

  private static void query(QueryRecord q) {
    ip("host", q.host());
    present("name", q.name());
    count("count", q.count());
    count("failed", q.failed());
    count("firstSeenNs", q.firstSeenNs());
    ordered("firstSeenNs", q.firstSeenNs(), "lastSeenNs", q.lastSeenNs());
  }
}
