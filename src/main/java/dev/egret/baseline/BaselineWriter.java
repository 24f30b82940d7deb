package dev.egret.baseline;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes a baseline as JSON, field by field: no object mapper, no reflection, no tree, nothing held
 * but the record being written. Each record of a top-level list is on a line of its own, so that a
 * reader's error names the record's line; fields are in the records' declaration order. Strings are
 * escaped as Jackson escapes them (control characters as {@code \}{@code uXXXX}), so nothing
 * observed on the wire can break a line or the document.
 *
 * <p>The bytes are those Jackson's streaming generator wrote with a pretty printer that put each
 * record of a top-level list on a new line (a test holds the two to it), written straight into a
 * buffer ({@link JsonBytes}): the generator, run cold once per learn, spent 0.16-0.18 s of CPU on
 * the 77,180 entries of the 2 M-row bench conn.log's baseline (deflating them, 0.2 s), this
 * 0.09-0.14 s.
 */
final class BaselineWriter {
  /** Makes the parsers of {@link BaselineReader}, which finds repeated fields itself. */
  static final JsonFactory FACTORY = new JsonFactory();

  private final JsonBytes w;

  private BaselineWriter(JsonBytes w) {
    this.w = w;
  }

  /** Writes {@code b} to {@code out}, which is flushed but left open. */
  static void write(OutputStream out, Baseline b) throws IOException {
    JsonBytes w = new JsonBytes(out);
    new BaselineWriter(w).baseline(b);
    w.drain();
    out.flush();
  }

  private static final byte[] SCHEMA = JsonBytes.ascii("{\"schemaVersion\":");
  private static final byte[] EGRET = JsonBytes.ascii(",\"egretVersion\":");
  private static final byte[] WINDOW_START = JsonBytes.ascii(",\"windowStartNs\":");
  private static final byte[] WINDOW_END = JsonBytes.ascii(",\"windowEndNs\":");
  private static final byte[] NULL = JsonBytes.ascii("null");
  private static final byte[] SOURCES = JsonBytes.ascii(",\"sources\":[");
  private static final byte[] ENTRIES = JsonBytes.ascii(",\"entries\":[");
  private static final byte[] NAMES = JsonBytes.ascii(",\"names\":[");
  private static final byte[] QUERIES = JsonBytes.ascii(",\"queries\":[");
  private static final byte[] SUMMARIES = JsonBytes.ascii(",\"summaries\":[");
  private static final byte[] FIRST_RECORD = JsonBytes.ascii("\n");
  private static final byte[] NEXT_RECORD = JsonBytes.ascii(",\n");
  private static final byte[] END = JsonBytes.ascii("]}\n");

  private void baseline(Baseline b) throws IOException {
    w.raw(SCHEMA);
    w.string(b.schemaVersion());
    w.raw(EGRET);
    w.string(b.egretVersion());
    w.raw(WINDOW_START);
    nullableLong(b.windowStartNs());
    w.raw(WINDOW_END);
    nullableLong(b.windowEndNs());
    w.raw(SOURCES);
    List<SourceRecord> sources = b.sources();
    for (int i = 0; i < sources.size(); i++) {
      w.raw(i == 0 ? FIRST_RECORD : NEXT_RECORD);
      source(sources.get(i));
    }
    w.raw(']');
    counters(b.counters());
    w.raw(ENTRIES);
    List<Entry> entries = b.entries();
    for (int i = 0; i < entries.size(); i++) {
      w.raw(i == 0 ? FIRST_RECORD : NEXT_RECORD);
      entry(entries.get(i));
    }
    w.raw(']');
    w.raw(NAMES);
    List<NameRecord> names = b.names();
    for (int i = 0; i < names.size(); i++) {
      w.raw(i == 0 ? FIRST_RECORD : NEXT_RECORD);
      name(names.get(i));
    }
    w.raw(']');
    w.raw(QUERIES);
    List<QueryRecord> queries = b.queries();
    for (int i = 0; i < queries.size(); i++) {
      w.raw(i == 0 ? FIRST_RECORD : NEXT_RECORD);
      query(queries.get(i));
    }
    w.raw(']');
    w.raw(SUMMARIES);
    List<SummaryRecord> summaries = b.summaries();
    for (int i = 0; i < summaries.size(); i++) {
      w.raw(i == 0 ? FIRST_RECORD : NEXT_RECORD);
      summary(summaries.get(i));
    }
    w.raw(END);
  }

  private void nullableLong(Long v) throws IOException {
    if (v == null) {
      w.raw(NULL);
    } else {
      w.number(v);
    }
  }

  private static final byte[] S_KIND = JsonBytes.ascii("{\"kind\":");
  private static final byte[] S_NAME = JsonBytes.ascii(",\"name\":");
  private static final byte[] S_FINGERPRINT = JsonBytes.ascii(",\"fingerprint\":");
  private static final byte[] S_FIRST = JsonBytes.ascii(",\"firstNs\":");
  private static final byte[] S_LAST = JsonBytes.ascii(",\"lastNs\":");
  private static final byte[] S_PACKETS = JsonBytes.ascii(",\"packets\":");
  private static final byte[] S_SENSOR = JsonBytes.ascii(",\"sensor\":");

  private void source(SourceRecord s) throws IOException {
    w.field(S_KIND, s.kind());
    w.field(S_NAME, s.name());
    w.field(S_FINGERPRINT, s.fingerprint());
    w.field(S_FIRST, s.firstNs());
    w.field(S_LAST, s.lastNs());
    w.field(S_PACKETS, s.packets());
    if (!s.sensor().isEmpty()) {
      w.field(S_SENSOR, s.sensor());
    }
    w.raw('}');
  }

  private static final byte[] C_PACKETS = JsonBytes.ascii(",\"counters\":{\"packets\":");
  private static final byte[] C_MALFORMED = JsonBytes.ascii(",\"malformed\":");
  private static final byte[] C_DROPPED = JsonBytes.ascii(",\"dropped\":");
  private static final byte[] C_TRUNCATED = JsonBytes.ascii(",\"truncatedFiles\":");
  private static final byte[] C_FLOWS = JsonBytes.ascii(",\"flows\":");
  private static final byte[] C_EGRESS = JsonBytes.ascii(",\"egressFlows\":");
  private static final byte[] C_INBOUND = JsonBytes.ascii(",\"inboundFlows\":");
  private static final byte[] C_EXTERNAL = JsonBytes.ascii(",\"externalFlows\":");
  private static final byte[] C_CHATTER = JsonBytes.ascii(",\"chatterFlows\":");
  private static final byte[] C_EXCLUDED = JsonBytes.ascii(",\"excludedFlows\":");
  private static final byte[] C_OVERFLOW = JsonBytes.ascii(",\"overflowFlows\":");

  private void counters(Counters c) throws IOException {
    w.field(C_PACKETS, c.packets());
    w.field(C_MALFORMED, c.malformed());
    w.field(C_DROPPED, c.dropped());
    w.field(C_TRUNCATED, c.truncatedFiles());
    w.field(C_FLOWS, c.flows());
    w.field(C_EGRESS, c.egressFlows());
    w.field(C_INBOUND, c.inboundFlows());
    w.field(C_EXTERNAL, c.externalFlows());
    w.field(C_CHATTER, c.chatterFlows());
    w.field(C_EXCLUDED, c.excludedFlows());
    w.field(C_OVERFLOW, c.overflowFlows());
    w.raw('}');
  }

  private static final byte[] E_HOST = JsonBytes.ascii("{\"host\":");
  private static final byte[] E_DESTINATION = JsonBytes.ascii(",\"destination\":");
  private static final byte[] E_PROTOCOL = JsonBytes.ascii(",\"protocol\":");
  private static final byte[] E_PORT = JsonBytes.ascii(",\"port\":");
  private static final byte[] E_INTERNAL = JsonBytes.ascii(",\"internalDestination\":");
  private static final byte[] E_FLOWS = JsonBytes.ascii(",\"flows\":");
  private static final byte[] E_ANSWERED = JsonBytes.ascii(",\"answered\":");
  private static final byte[] E_UNANSWERED = JsonBytes.ascii(",\"unanswered\":");
  private static final byte[] E_REJECTED = JsonBytes.ascii(",\"rejected\":");
  private static final byte[] E_PACKETS_OUT = JsonBytes.ascii(",\"packetsOut\":");
  private static final byte[] E_BYTES_OUT = JsonBytes.ascii(",\"bytesOut\":");
  private static final byte[] E_PACKETS_IN = JsonBytes.ascii(",\"packetsIn\":");
  private static final byte[] E_BYTES_IN = JsonBytes.ascii(",\"bytesIn\":");
  private static final byte[] E_FIRST = JsonBytes.ascii(",\"firstSeenNs\":");
  private static final byte[] E_LAST = JsonBytes.ascii(",\"lastSeenNs\":");
  private static final byte[] E_DAYS = JsonBytes.ascii(",\"days\":[");
  private static final byte[] E_HOURS = JsonBytes.ascii("],\"hours\":[");
  private static final byte[] E_GAPS = JsonBytes.ascii("],\"gaps\":");
  private static final byte[] E_GAP_SUM = JsonBytes.ascii(",\"gapSumMs\":");
  private static final byte[] E_GAP_SUM_SQ = JsonBytes.ascii(",\"gapSumSqMs\":");
  private static final byte[] E_UID = JsonBytes.ascii(",\"uid\":");

  private void entry(Entry e) throws IOException {
    w.field(E_HOST, e.host());
    w.field(E_DESTINATION, e.destination());
    w.field(E_PROTOCOL, e.protocol());
    w.field(E_PORT, e.port());
    w.raw(E_INTERNAL);
    w.bool(e.internalDestination());
    w.field(E_FLOWS, e.flows());
    w.field(E_ANSWERED, e.answered());
    w.field(E_UNANSWERED, e.unanswered());
    w.field(E_REJECTED, e.rejected());
    w.field(E_PACKETS_OUT, e.packetsOut());
    w.field(E_BYTES_OUT, e.bytesOut());
    w.field(E_PACKETS_IN, e.packetsIn());
    w.field(E_BYTES_IN, e.bytesIn());
    w.field(E_FIRST, e.firstSeenNs());
    w.field(E_LAST, e.lastSeenNs());
    w.raw(E_DAYS);
    strings(e.days());
    w.raw(E_HOURS);
    List<Integer> hours = e.hours();
    for (int i = 0; i < hours.size(); i++) {
      if (i > 0) {
        w.raw(',');
      }
      w.number(hours.get(i));
    }
    w.field(E_GAPS, e.gaps());
    w.field(E_GAP_SUM, e.gapSumMs());
    w.field(E_GAP_SUM_SQ, e.gapSumSqMs());
    if (e.uid() != null) {
      w.field(E_UID, e.uid());
    }
    w.raw('}');
  }

  private static final byte[] N_HOST = E_HOST;
  private static final byte[] N_ADDRESS = JsonBytes.ascii(",\"address\":");
  private static final byte[] N_NAME = JsonBytes.ascii(",\"name\":");
  private static final byte[] N_SOURCE = JsonBytes.ascii(",\"source\":");
  private static final byte[] N_COUNT = JsonBytes.ascii(",\"count\":");
  private static final byte[] N_MAX_TTL = JsonBytes.ascii(",\"maxTtl\":");

  private void name(NameRecord n) throws IOException {
    w.field(N_HOST, n.host());
    w.field(N_ADDRESS, n.address());
    w.field(N_NAME, n.name());
    w.field(N_SOURCE, n.source());
    w.field(N_COUNT, n.count());
    w.field(E_FIRST, n.firstSeenNs());
    w.field(E_LAST, n.lastSeenNs());
    w.field(N_MAX_TTL, n.maxTtl());
    w.raw('}');
  }

  private static final byte[] Q_FAILED = JsonBytes.ascii(",\"failed\":");

  private void query(QueryRecord q) throws IOException {
    w.field(N_HOST, q.host());
    w.field(N_NAME, q.name());
    w.field(N_COUNT, q.count());
    w.field(Q_FAILED, q.failed());
    w.field(E_FIRST, q.firstSeenNs());
    w.field(E_LAST, q.lastSeenNs());
    w.raw('}');
  }

  private static final byte[] M_REASON = JsonBytes.ascii(",\"reason\":");
  private static final byte[] M_LOWEST = JsonBytes.ascii(",\"lowest\":");
  private static final byte[] M_HIGHEST = JsonBytes.ascii(",\"highest\":");
  private static final byte[] M_SAMPLE = JsonBytes.ascii(",\"sample\":[");
  private static final byte[] M_END = JsonBytes.ascii("]}");

  private void summary(SummaryRecord s) throws IOException {
    w.field(N_HOST, s.host());
    w.field(E_PROTOCOL, s.protocol());
    w.field(E_PORT, s.port());
    w.field(M_REASON, s.reason());
    w.field(E_FLOWS, s.flows());
    w.field(E_ANSWERED, s.answered());
    w.field(E_UNANSWERED, s.unanswered());
    w.field(E_REJECTED, s.rejected());
    w.field(E_FIRST, s.firstSeenNs());
    w.field(E_LAST, s.lastSeenNs());
    w.field(M_LOWEST, s.lowest());
    w.field(M_HIGHEST, s.highest());
    w.raw(M_SAMPLE);
    strings(s.sample());
    w.raw(M_END);
  }

  private void strings(List<String> values) throws IOException {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        w.raw(',');
      }
      w.string(values.get(i));
    }
  }
}
