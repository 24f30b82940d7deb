package dev.egret.logs;

import dev.egret.flow.FlowSink;
import dev.egret.flow.NameObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Zeek's ASCII logs: {@code #separator}, {@code #set_separator}, {@code #path} and {@code #fields}
 * headers, then one row per line. Columns are found by their name in {@code #fields}, never by
 * position, so added or reordered columns (newer Zeek's {@code ip_proto}, policy scripts' {@code
 * vlan}) change nothing and unknown ones are ignored. A file may hold several header blocks (logs
 * concatenated); each {@code #fields} applies to the rows after it. A row before any {@code
 * #fields}, with the wrong number of fields, or with a value its column cannot hold is malformed:
 * counted, skipped, and the first one reported with its line number.
 *
 * <p>conn.log rows are split into fields in place (offsets into the line buffer) and read without
 * making a String; dns, ssl, http and quic rows, far fewer, make Strings for their names.
 */
final class ZeekTsvReader {
  // Compared byte by byte: String.charAt checks its index per character, on every row.
  private static final byte[] TCP = {'t', 'c', 'p'};
  private static final byte[] UDP = {'u', 'd', 'p'};
  private static final byte[] ICMP = {'i', 'c', 'm', 'p'};
  private static final byte[] REJ = {'R', 'E', 'J'};

  private final LineReader lines;
  private final LogStats stats;
  private final ZeekLog fromName;
  private final FlowHandoff flows;
  private final Names names;
  private final ZeekConn conn = new ZeekConn();
  private final TunnelJoin tunnels;
  private final long[] a = new long[2];
  private final long[] b = new long[2];
  private final byte[] scratch = new byte[1024];

  private byte sep = '\t';
  private byte setSep = ',';
  private ZeekLog log;
  private ZeekColumns col;
  private int[] starts = new int[64];
  private int[] ends = new int[64];

  ZeekTsvReader(
      LineReader lines,
      LogStats stats,
      ZeekLog fromName,
      FlowSink flows,
      NameObserver names,
      TunnelJoin tunnels) {
    this.tunnels = tunnels;
    this.lines = lines;
    this.stats = stats;
    this.fromName = fromName;
    this.flows = new FlowHandoff(flows, stats);
    this.names = new Names(names);
    this.log = fromName;
  }

  void run() throws IOException {
    lines.forEach(stats, this::line);
  }

  private void line(byte[] buf, int s, int e, long lineNo) {
    if (buf[s] == '#') {
      header(buf, s, e);
      return;
    }
    if (col == null) {
      stats.malformed(lineNo, "row before any #fields header");
      return;
    }
    if (col.missing != null) {
      stats.malformed(lineNo, col.missing);
      return;
    }
    if (log == ZeekLog.OTHER) {
      stats.skip("other-zeek-log");
      return;
    }
    int n = split(buf, s, e);
    if (n != col.count) {
      stats.malformed(lineNo, "row has " + n + " fields, #fields names " + col.count);
      return;
    }
    String bad = log == ZeekLog.CONN ? conn(buf) : named(buf);
    if (bad != null) {
      stats.malformed(lineNo, bad);
    }
  }

  private void header(byte[] buf, int s, int e) {
    String h = new String(buf, s, e - s, StandardCharsets.UTF_8);
    if (h.startsWith("#separator ")) {
      String v = h.substring("#separator ".length()).trim();
      sep =
          v.startsWith("\\x") && v.length() == 4
              ? (byte) Integer.parseInt(v.substring(2), 16)
              : (byte) v.charAt(0);
      return;
    }
    String sepText = String.valueOf((char) (sep & 0xff));
    int cut = h.indexOf(sepText);
    String key = cut < 0 ? h : h.substring(0, cut);
    String value = cut < 0 ? "" : h.substring(cut + 1);
    switch (key) {
      case "#set_separator" -> setSep = value.isEmpty() ? (byte) ',' : (byte) value.charAt(0);
      case "#path" -> log = ZeekLog.ofPath(value);
      case "#fields" -> {
        String[] cols = value.split(java.util.regex.Pattern.quote(sepText), -1);
        if (starts.length < cols.length + 1) {
          starts = new int[cols.length + 1];
          ends = new int[cols.length + 1];
        }
        if (log == null) {
          log = fromName;
        }
        col = new ZeekColumns(cols, log);
      }
      default -> {}
    }
  }

  /** Splits the current line at the separator into {@link #starts}/{@link #ends}; the count. */
  private int split(byte[] buf, int s, int e) {
    int n = 0;
    int max = starts.length;
    int from = s;
    byte sp = sep;
    long p = Scan.pattern(sp);
    int i = s;
    for (; i + 8 <= e; i += 8) {
      for (long m = Scan.matches(buf, i, p); m != 0; m &= m - 1) {
        if (n == max - 1) {
          return n + 2; // more fields than #fields names: enough to tell
        }
        int at = i + Scan.firstByte(m);
        starts[n] = from;
        ends[n++] = at;
        from = at + 1;
      }
    }
    for (; i < e; i++) {
      if (buf[i] == sp) {
        if (n == max - 1) {
          return n + 2;
        }
        starts[n] = from;
        ends[n++] = i;
        from = i + 1;
      }
    }
    starts[n] = from;
    ends[n++] = e;
    return n;
  }

  private String conn(byte[] buf) {
    ZeekConn c = conn;
    c.clear();
    c.tsNs = Text.seconds(buf, starts[col.ts], ends[col.ts]);
    if (c.tsNs == Text.BAD) {
      return bad("ts", "a time", buf, col.ts);
    }
    if (!Text.address(buf, starts[col.origH], ends[col.origH], c.orig)) {
      return bad("id.orig_h", "an address", buf, col.origH);
    }
    if (!Text.address(buf, starts[col.respH], ends[col.respH], c.resp)) {
      return bad("id.resp_h", "an address", buf, col.respH);
    }
    c.origPort = Text.port(buf, starts[col.origP], ends[col.origP]);
    if (c.origPort < 0) {
      return bad("id.orig_p", "a port", buf, col.origP);
    }
    c.respPort = Text.port(buf, starts[col.respP], ends[col.respP]);
    if (c.respPort < 0) {
      return bad("id.resp_p", "a port", buf, col.respP);
    }
    int ps = starts[col.proto];
    int pe = ends[col.proto];
    if (Text.is(buf, ps, pe, TCP)) {
      c.proto = dev.egret.net.Protocols.TCP;
    } else if (Text.is(buf, ps, pe, UDP)) {
      c.proto = dev.egret.net.Protocols.UDP;
    } else if (Text.is(buf, ps, pe, ICMP)) {
      c.proto = ZeekConn.ICMP_EITHER;
    } else if (col.ipProto >= 0 && !Text.unset(buf, starts[col.ipProto], ends[col.ipProto])) {
      long p = Text.count(buf, starts[col.ipProto], ends[col.ipProto]);
      if (p < 0 || p > 255) {
        return bad("ip_proto", "a protocol number", buf, col.ipProto);
      }
      c.proto = (int) p;
    } else {
      c.proto = 0; // unknown_transport without ip_proto
    }
    if (col.duration >= 0) {
      c.durationNs = Text.seconds(buf, starts[col.duration], ends[col.duration]);
      if (c.durationNs == Text.BAD || c.durationNs < 0) {
        return bad("duration", "an interval", buf, col.duration);
      }
      if (c.tsNs > 0 && c.durationNs > Long.MAX_VALUE - c.tsNs) {
        return bad("duration", "an interval that ends by the year 2262", buf, col.duration);
      }
    }
    if (col.state >= 0) {
      c.rejState = Text.is(buf, starts[col.state], ends[col.state], REJ);
    }
    if (col.history >= 0) {
      c.hasHistory = !Text.unset(buf, starts[col.history], ends[col.history]);
      c.history = ZeekConn.history(buf, starts[col.history], ends[col.history]);
    }
    if ((c.origPkts = countOf(buf, col.origPkts)) < 0) {
      return bad("orig_pkts", "a count", buf, col.origPkts);
    }
    if ((c.origBytes = countOf(buf, col.origBytes)) < 0) {
      return bad("orig_ip_bytes", "a count", buf, col.origBytes);
    }
    if ((c.respPkts = countOf(buf, col.respPkts)) < 0) {
      return bad("resp_pkts", "a count", buf, col.respPkts);
    }
    if ((c.respBytes = countOf(buf, col.respBytes)) < 0) {
      return bad("resp_ip_bytes", "a count", buf, col.respBytes);
    }
    boolean inTunnel = col.tunnel >= 0 && !Text.unset(buf, starts[col.tunnel], ends[col.tunnel]);
    if (inTunnel && tunnels.skipsTunnelled()) {
      c.tunnelled = true;
      if (col.uid >= 0) {
        tunnels.tunnelled(string(buf, col.uid), c.tsNs);
      }
    }
    if (col.node >= 0 && stats.sensor().isEmpty()) {
      stats.sensor(string(buf, col.node));
    }
    ZeekConn.Skip skip = c.skip();
    if (skip != null) {
      stats.skip(skip == ZeekConn.Skip.TUNNELLED ? "tunnelled" : "icmp-error");
      return null;
    }
    flows.flow(c);
    return null;
  }

  private long countOf(byte[] buf, int col) {
    if (col < 0) {
      return 0;
    }
    long v = Text.count(buf, starts[col], ends[col]);
    return v == Text.BAD ? -1 : v;
  }

  private String named(byte[] buf) {
    long ts = Text.seconds(buf, starts[col.ts], ends[col.ts]);
    if (ts == Text.BAD) {
      return bad("ts", "a time", buf, col.ts);
    }
    if (!Text.address(buf, starts[col.origH], ends[col.origH], a)) {
      return bad("id.orig_h", "an address", buf, col.origH);
    }
    if (!Text.address(buf, starts[col.respH], ends[col.respH], b)) {
      return bad("id.resp_h", "an address", buf, col.respH);
    }
    int op = Text.port(buf, starts[col.origP], ends[col.origP]);
    int rp = Text.port(buf, starts[col.respP], ends[col.respP]);
    if (op < 0 || rp < 0) {
      return bad(op < 0 ? "id.orig_p" : "id.resp_p", "a port", buf, op < 0 ? col.origP : col.respP);
    }
    if (col.node >= 0 && stats.sensor().isEmpty()) {
      stats.sensor(string(buf, col.node));
    }
    if (col.uid >= 0 && !tunnels.isEmpty() && tunnels.isTunnelled(string(buf, col.uid), ts)) {
      stats.skip("tunnelled");
      return null;
    }
    switch (log) {
      case DNS -> {
        String query = nameOf(buf, col.query);
        int rcode = -1;
        if (col.rcode >= 0 && !Text.unset(buf, starts[col.rcode], ends[col.rcode])) {
          long v = Text.count(buf, starts[col.rcode], ends[col.rcode]);
          if (v == Text.BAD || v > 65535) {
            return bad("rcode", "a count", buf, col.rcode);
          }
          rcode = (int) v;
        }
        int qtype = 0;
        if (col.qtype >= 0) {
          long v = Text.count(buf, starts[col.qtype], ends[col.qtype]);
          if (v == Text.BAD || v > 65535) {
            return bad("qtype", "a count", buf, col.qtype);
          }
          qtype = (int) v;
        }
        List<String> answers = list(buf, col.answers);
        List<String> ttlText = list(buf, col.ttls);
        long[] ttls = new long[ttlText.size()];
        for (int i = 0; i < ttls.length; i++) {
          byte[] t = ttlText.get(i).getBytes(StandardCharsets.ISO_8859_1);
          long ns = Text.seconds(t, 0, t.length);
          if (ns == Text.BAD) {
            return bad("TTLs", "intervals", buf, col.ttls);
          }
          ttls[i] = ns / 1_000_000_000L;
        }
        int n = names.dns(ts, a[0], a[1], b[0], b[1], rp, query, qtype, rcode, answers, ttls);
        for (int i = 0; i < n; i++) {
          stats.name();
        }
      }
      case SSL, QUIC -> {
        String sni = nameOf(buf, col.serverName);
        if (sni != null) {
          names.server(
              ts, a, op, b, rp, Names.tcpOrUdp(log == ZeekLog.QUIC), sni, NameObserver.Source.SNI);
          stats.name();
        }
      }
      case HTTP -> {
        // egret reads the Host of a connection's first request only.
        boolean first = col.depth < 0 || Text.count(buf, starts[col.depth], ends[col.depth]) <= 1;
        if (first && !Text.unset(buf, starts[col.host], ends[col.host])) {
          int n = Text.unescapeZeek(buf, starts[col.host], ends[col.host], scratch);
          String host = Names.httpHost(new String(scratch, 0, n, StandardCharsets.ISO_8859_1));
          if (host != null) {
            names.server(
                ts, a, op, b, rp, Names.tcpOrUdp(false), host, NameObserver.Source.HTTP_HOST);
            stats.name();
          }
        }
      }
      default -> {}
    }
    return null;
  }

  private String nameOf(byte[] buf, int col) {
    if (col < 0 || Text.unset(buf, starts[col], ends[col])) {
      return null;
    }
    int n = Text.unescapeZeek(buf, starts[col], ends[col], scratch);
    return Text.name(scratch, 0, n);
  }

  private String string(byte[] buf, int col) {
    if (Text.unset(buf, starts[col], ends[col])) {
      return "";
    }
    int n = Text.unescapeZeek(buf, starts[col], ends[col], scratch);
    return new String(scratch, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** A set or vector column's elements, Zeek escapes undone; empty when unset or absent. */
  private List<String> list(byte[] buf, int col) {
    if (col < 0 || Text.unset(buf, starts[col], ends[col])) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    int from = starts[col];
    int e = ends[col];
    for (int i = from; i <= e; i++) {
      if (i == e || buf[i] == setSep) {
        int n = Text.unescapeZeek(buf, from, i, scratch);
        out.add(new String(scratch, 0, n, StandardCharsets.ISO_8859_1));
        from = i + 1;
      }
    }
    return out;
  }

  private String bad(String column, String expected, byte[] buf, int col) {
    int s = starts[col];
    int len = Math.min(ends[col] - s, 40);
    return column
        + " is not "
        + expected
        + ": \""
        + new String(buf, s, len, StandardCharsets.ISO_8859_1)
        + "\"";
  }
}
