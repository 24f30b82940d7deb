package dev.egret.baseline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.Instantiatable;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The baseline writer as it was until {@link BaselineWriter} wrote the bytes itself: Jackson's
 * streaming generator with a pretty printer that puts each record of a top-level list on a line of
 * its own. Kept as the reference that {@link BaselineWriterBytesTest} holds the writer to.
 */
final class JacksonBaselineWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final JsonGenerator g;

  private JacksonBaselineWriter(JsonGenerator g) {
    this.g = g;
  }

  /** Writes {@code b} to {@code out}, which is flushed but left open. */
  static void write(OutputStream out, Baseline b) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setPrettyPrinter(new RecordPerLine());
      new JacksonBaselineWriter(g).baseline(b);
    }
  }

  private void baseline(Baseline b) throws IOException {
    g.writeStartObject();
    g.writeStringField("schemaVersion", b.schemaVersion());
    g.writeStringField("egretVersion", b.egretVersion());
    nullableLong("windowStartNs", b.windowStartNs());
    nullableLong("windowEndNs", b.windowEndNs());
    g.writeArrayFieldStart("sources");
    for (SourceRecord s : b.sources()) {
      source(s);
    }
    g.writeEndArray();
    counters(b.counters());
    g.writeArrayFieldStart("entries");
    for (Entry e : b.entries()) {
      entry(e);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("names");
    for (NameRecord n : b.names()) {
      name(n);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("queries");
    for (QueryRecord q : b.queries()) {
      query(q);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("summaries");
    for (SummaryRecord s : b.summaries()) {
      summary(s);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void nullableLong(String field, Long v) throws IOException {
    g.writeFieldName(field);
    if (v == null) {
      g.writeNull();
    } else {
      g.writeNumber(v);
    }
  }

  private void source(SourceRecord s) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", s.kind());
    g.writeStringField("name", s.name());
    g.writeStringField("fingerprint", s.fingerprint());
    g.writeNumberField("firstNs", s.firstNs());
    g.writeNumberField("lastNs", s.lastNs());
    g.writeNumberField("packets", s.packets());
    if (!s.sensor().isEmpty()) {
      g.writeStringField("sensor", s.sensor());
    }
    g.writeEndObject();
  }

  private void counters(Counters c) throws IOException {
    g.writeObjectFieldStart("counters");
    g.writeNumberField("packets", c.packets());
    g.writeNumberField("malformed", c.malformed());
    g.writeNumberField("dropped", c.dropped());
    g.writeNumberField("truncatedFiles", c.truncatedFiles());
    g.writeNumberField("flows", c.flows());
    g.writeNumberField("egressFlows", c.egressFlows());
    g.writeNumberField("inboundFlows", c.inboundFlows());
    g.writeNumberField("externalFlows", c.externalFlows());
    g.writeNumberField("chatterFlows", c.chatterFlows());
    g.writeNumberField("excludedFlows", c.excludedFlows());
    g.writeNumberField("overflowFlows", c.overflowFlows());
    g.writeEndObject();
  }

  private void entry(Entry e) throws IOException {
    g.writeStartObject();
    g.writeStringField("host", e.host());
    g.writeStringField("destination", e.destination());
    g.writeStringField("protocol", e.protocol());
    g.writeNumberField("port", e.port());
    g.writeBooleanField("internalDestination", e.internalDestination());
    g.writeNumberField("flows", e.flows());
    g.writeNumberField("answered", e.answered());
    g.writeNumberField("unanswered", e.unanswered());
    g.writeNumberField("rejected", e.rejected());
    g.writeNumberField("packetsOut", e.packetsOut());
    g.writeNumberField("bytesOut", e.bytesOut());
    g.writeNumberField("packetsIn", e.packetsIn());
    g.writeNumberField("bytesIn", e.bytesIn());
    g.writeNumberField("firstSeenNs", e.firstSeenNs());
    g.writeNumberField("lastSeenNs", e.lastSeenNs());
    strings("days", e.days());
    g.writeArrayFieldStart("hours");
    for (Integer h : e.hours()) {
      g.writeNumber(h);
    }
    g.writeEndArray();
    g.writeNumberField("gaps", e.gaps());
    g.writeNumberField("gapSumMs", e.gapSumMs());
    g.writeNumberField("gapSumSqMs", e.gapSumSqMs());
    if (e.uid() != null) {
      g.writeNumberField("uid", e.uid());
    }
    g.writeEndObject();
  }

  private void name(NameRecord n) throws IOException {
    g.writeStartObject();
    g.writeStringField("host", n.host());
    g.writeStringField("address", n.address());
    g.writeStringField("name", n.name());
    g.writeStringField("source", n.source());
    g.writeNumberField("count", n.count());
    g.writeNumberField("firstSeenNs", n.firstSeenNs());
    g.writeNumberField("lastSeenNs", n.lastSeenNs());
    g.writeNumberField("maxTtl", n.maxTtl());
    g.writeEndObject();
  }

  private void query(QueryRecord q) throws IOException {
    g.writeStartObject();
    g.writeStringField("host", q.host());
    g.writeStringField("name", q.name());
    g.writeNumberField("count", q.count());
    g.writeNumberField("failed", q.failed());
    g.writeNumberField("firstSeenNs", q.firstSeenNs());
    g.writeNumberField("lastSeenNs", q.lastSeenNs());
    g.writeEndObject();
  }

  private void summary(SummaryRecord s) throws IOException {
    g.writeStartObject();
    g.writeStringField("host", s.host());
    g.writeStringField("protocol", s.protocol());
    g.writeNumberField("port", s.port());
    g.writeStringField("reason", s.reason());
    g.writeNumberField("flows", s.flows());
    g.writeNumberField("answered", s.answered());
    g.writeNumberField("unanswered", s.unanswered());
    g.writeNumberField("rejected", s.rejected());
    g.writeNumberField("firstSeenNs", s.firstSeenNs());
    g.writeNumberField("lastSeenNs", s.lastSeenNs());
    g.writeStringField("lowest", s.lowest());
    g.writeStringField("highest", s.highest());
    strings("sample", s.sample());
    g.writeEndObject();
  }

  private void strings(String field, List<String> values) throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  /**
   * Indents nothing but puts each element of the top-level lists on a line of its own: compact, and
   * an error's line number still says which record.
   */
  private static final class RecordPerLine extends MinimalPrettyPrinter
      implements Instantiatable<RecordPerLine> {
    private static final long serialVersionUID = 1L;
    private int depth;

    @Override
    public RecordPerLine createInstance() {
      return new RecordPerLine();
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
      depth++;
      super.writeStartObject(g);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int n) throws IOException {
      depth--;
      super.writeEndObject(g, n);
      if (depth == 0) {
        g.writeRaw('\n');
      }
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
      depth++;
      super.writeStartArray(g);
    }

    @Override
    public void writeEndArray(JsonGenerator g, int n) throws IOException {
      depth--;
      super.writeEndArray(g, n);
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
      if (depth == 2) {
        g.writeRaw('\n');
      }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      super.writeArrayValueSeparator(g);
      if (depth == 2) {
        g.writeRaw('\n');
      }
    }
  }
}
