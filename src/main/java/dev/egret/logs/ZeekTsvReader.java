package dev.egret.logs;

import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowSink;
import dev.egret.flow.NameObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
  private final LineReader lines;
  private final LogStats stats;
  private final ZeekLog fromName;
  private final FlowSink flows;
  private final Names names;
  private final ZeekConn conn = new ZeekConn();
  private final TunnelledUids tunnelled;
  private final long[] a = new long[2];
  private final long[] b = new long[2];
  private final byte[] scratch = new byte[1024];

  private byte sep = '\t';
  private byte setSep = ',';
  private ZeekLog log;
  private String[] columns;
  private int[] starts = new int[64];
  private int[] ends = new int[64];

  // Column indexes of the current #fields, -1 when absent.
  private int cTs;
  private int cOrigH;
  private int cOrigP;
  private int cRespH;
  private int cRespP;
  private int cProto;
  private int cIpProto;
  private int cState;
  private int cHistory;
  private int cDuration;
  private int cOrigPkts;
  private int cOrigBytes;
  private int cRespPkts;
  private int cRespBytes;
  private int cTunnel;
  private int cNode;
  private int cQuery;
  private int cQtype;
  private int cRcode;
  private int cAnswers;
  private int cTtls;
  private int cServerName;
  private int cHost;
  private int cDepth;
  private int cUid;
  private String missing;

  ZeekTsvReader(
      LineReader lines,
      LogStats stats,
      ZeekLog fromName,
      FlowSink flows,
      NameObserver names,
      TunnelledUids tunnelled) {
    this.tunnelled = tunnelled;
    this.lines = lines;
    this.stats = stats;
    this.fromName = fromName;
    this.flows = flows;
    this.names = new Names(names);
    this.log = fromName;
  }

  void run() throws IOException {
    LineReader r = lines;
    while (r.next()) {
      stats.line();
      byte[] buf = r.buf();
      int s = r.start();
      int e = r.end();
      if (s == e) {
        continue;
      }
      if (buf[s] == '#') {
        header(buf, s, e);
        continue;
      }
      if (columns == null) {
        stats.malformed(r.lineNo(), "row before any #fields header");
        continue;
      }
      if (missing != null) {
        stats.malformed(r.lineNo(), missing);
        continue;
      }
      if (log == ZeekLog.OTHER || log == null) {
        stats.skip("other-zeek-log");
        continue;
      }
      int n = split(buf, s, e);
      if (n != columns.length) {
        stats.malformed(r.lineNo(), "row has " + n + " fields, #fields names " + columns.length);
        continue;
      }
      String bad = log == ZeekLog.CONN ? conn(buf) : named(buf);
      if (bad != null) {
        stats.malformed(r.lineNo(), bad);
      }
    }
    if (r.overlong() > 0) {
      stats.skip("overlong-line");
    }
    if (r.problem() != null) {
      stats.truncated(r.problem() + "; read " + r.lineNo() + " lines before it");
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
      case "#fields" -> fields(value.split(java.util.regex.Pattern.quote(sepText), -1));
      default -> {}
    }
  }

  private void fields(String[] cols) {
    columns = cols;
    if (starts.length < cols.length + 1) {
      starts = new int[cols.length + 1];
      ends = new int[cols.length + 1];
    }
    List<String> l = Arrays.asList(cols);
    cTs = l.indexOf("ts");
    cOrigH = l.indexOf("id.orig_h");
    cOrigP = l.indexOf("id.orig_p");
    cRespH = l.indexOf("id.resp_h");
    cRespP = l.indexOf("id.resp_p");
    cProto = l.indexOf("proto");
    cIpProto = l.indexOf("ip_proto");
    cState = l.indexOf("conn_state");
    cHistory = l.indexOf("history");
    cDuration = l.indexOf("duration");
    cOrigPkts = l.indexOf("orig_pkts");
    cOrigBytes = l.indexOf("orig_ip_bytes");
    cRespPkts = l.indexOf("resp_pkts");
    cRespBytes = l.indexOf("resp_ip_bytes");
    cTunnel = l.indexOf("tunnel_parents");
    cNode = l.indexOf("_node_name");
    cQuery = l.indexOf("query");
    cQtype = l.indexOf("qtype");
    cRcode = l.indexOf("rcode");
    cAnswers = l.indexOf("answers");
    cTtls = l.indexOf("TTLs");
    cServerName = l.indexOf("server_name");
    cHost = l.indexOf("host");
    cDepth = l.indexOf("trans_depth");
    cUid = l.indexOf("uid");
    if (log == null) {
      log = fromName;
    }
    List<String> need =
        new ArrayList<>(List.of("ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p"));
    if (log == ZeekLog.CONN) {
      need.add("proto");
    } else if (log == ZeekLog.DNS) {
      need.add("query");
    } else if (log == ZeekLog.SSL || log == ZeekLog.QUIC) {
      need.add("server_name");
    } else if (log == ZeekLog.HTTP) {
      need.add("host");
    }
    missing = null;
    if (log == null) {
      missing = "no #path header and the file name names no log egret reads";
      return;
    }
    for (String c : need) {
      if (!l.contains(c)) {
        missing = "#fields has no " + c + " column (" + log.label() + " log)";
        return;
      }
    }
  }

  /** Splits the current line at the separator into {@link #starts}/{@link #ends}; the count. */
  private int split(byte[] buf, int s, int e) {
    int n = 0;
    int max = starts.length;
    int from = s;
    byte sp = sep;
    for (int i = s; i < e; i++) {
      if (buf[i] == sp) {
        if (n == max - 1) {
          return n + 2; // more fields than #fields names: enough to tell
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
    c.tsNs = Text.seconds(buf, starts[cTs], ends[cTs]);
    if (c.tsNs == Text.BAD) {
      return bad("ts", "a time", buf, cTs);
    }
    if (!Text.address(buf, starts[cOrigH], ends[cOrigH], c.orig)) {
      return bad("id.orig_h", "an address", buf, cOrigH);
    }
    if (!Text.address(buf, starts[cRespH], ends[cRespH], c.resp)) {
      return bad("id.resp_h", "an address", buf, cRespH);
    }
    c.origPort = Text.port(buf, starts[cOrigP], ends[cOrigP]);
    if (c.origPort < 0) {
      return bad("id.orig_p", "a port", buf, cOrigP);
    }
    c.respPort = Text.port(buf, starts[cRespP], ends[cRespP]);
    if (c.respPort < 0) {
      return bad("id.resp_p", "a port", buf, cRespP);
    }
    int ps = starts[cProto];
    int pe = ends[cProto];
    if (Text.is(buf, ps, pe, "tcp")) {
      c.proto = dev.egret.net.Protocols.TCP;
    } else if (Text.is(buf, ps, pe, "udp")) {
      c.proto = dev.egret.net.Protocols.UDP;
    } else if (Text.is(buf, ps, pe, "icmp")) {
      c.proto = ZeekConn.ICMP_EITHER;
    } else if (cIpProto >= 0 && !Text.unset(buf, starts[cIpProto], ends[cIpProto])) {
      long p = Text.count(buf, starts[cIpProto], ends[cIpProto]);
      if (p < 0 || p > 255) {
        return bad("ip_proto", "a protocol number", buf, cIpProto);
      }
      c.proto = (int) p;
    } else {
      c.proto = 0; // unknown_transport without ip_proto
    }
    if (cDuration >= 0) {
      c.durationNs = Text.seconds(buf, starts[cDuration], ends[cDuration]);
      if (c.durationNs == Text.BAD || c.durationNs < 0) {
        return bad("duration", "an interval", buf, cDuration);
      }
    }
    if (cState >= 0) {
      c.rejState = Text.is(buf, starts[cState], ends[cState], "REJ");
    }
    if (cHistory >= 0) {
      c.hasHistory = !Text.unset(buf, starts[cHistory], ends[cHistory]);
      c.history = ZeekConn.history(buf, starts[cHistory], ends[cHistory]);
    }
    if ((c.origPkts = countOf(buf, cOrigPkts)) < 0) {
      return bad("orig_pkts", "a count", buf, cOrigPkts);
    }
    if ((c.origBytes = countOf(buf, cOrigBytes)) < 0) {
      return bad("orig_ip_bytes", "a count", buf, cOrigBytes);
    }
    if ((c.respPkts = countOf(buf, cRespPkts)) < 0) {
      return bad("resp_pkts", "a count", buf, cRespPkts);
    }
    if ((c.respBytes = countOf(buf, cRespBytes)) < 0) {
      return bad("resp_ip_bytes", "a count", buf, cRespBytes);
    }
    c.tunnelled = cTunnel >= 0 && !Text.unset(buf, starts[cTunnel], ends[cTunnel]);
    if (c.tunnelled && cUid >= 0) {
      tunnelled.add(string(buf, cUid));
    }
    if (cNode >= 0 && stats.sensor().isEmpty()) {
      stats.sensor(string(buf, cNode));
    }
    ZeekConn.Skip skip = c.skip();
    if (skip != null) {
      stats.skip(skip == ZeekConn.Skip.TUNNELLED ? "tunnelled" : "icmp-error");
      return null;
    }
    FlowRecord f = c.toFlow();
    stats.flow(f.startNanos(), f.endNanos(), c.origPkts + c.respPkts);
    flows.onFlow(f);
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
    long ts = Text.seconds(buf, starts[cTs], ends[cTs]);
    if (ts == Text.BAD) {
      return bad("ts", "a time", buf, cTs);
    }
    if (!Text.address(buf, starts[cOrigH], ends[cOrigH], a)) {
      return bad("id.orig_h", "an address", buf, cOrigH);
    }
    if (!Text.address(buf, starts[cRespH], ends[cRespH], b)) {
      return bad("id.resp_h", "an address", buf, cRespH);
    }
    int op = Text.port(buf, starts[cOrigP], ends[cOrigP]);
    int rp = Text.port(buf, starts[cRespP], ends[cRespP]);
    if (op < 0 || rp < 0) {
      return bad(op < 0 ? "id.orig_p" : "id.resp_p", "a port", buf, op < 0 ? cOrigP : cRespP);
    }
    if (cNode >= 0 && stats.sensor().isEmpty()) {
      stats.sensor(string(buf, cNode));
    }
    if (cUid >= 0 && !tunnelled.isEmpty() && tunnelled.contains(string(buf, cUid))) {
      stats.skip("tunnelled");
      return null;
    }
    switch (log) {
      case DNS -> {
        String query = nameOf(buf, cQuery);
        int rcode = -1;
        if (cRcode >= 0 && !Text.unset(buf, starts[cRcode], ends[cRcode])) {
          long v = Text.count(buf, starts[cRcode], ends[cRcode]);
          if (v == Text.BAD || v > 65535) {
            return bad("rcode", "a count", buf, cRcode);
          }
          rcode = (int) v;
        }
        int qtype = 0;
        if (cQtype >= 0) {
          long v = Text.count(buf, starts[cQtype], ends[cQtype]);
          if (v == Text.BAD || v > 65535) {
            return bad("qtype", "a count", buf, cQtype);
          }
          qtype = (int) v;
        }
        List<String> answers = list(buf, cAnswers);
        List<String> ttlText = list(buf, cTtls);
        long[] ttls = new long[ttlText.size()];
        for (int i = 0; i < ttls.length; i++) {
          byte[] t = ttlText.get(i).getBytes(StandardCharsets.ISO_8859_1);
          long ns = Text.seconds(t, 0, t.length);
          if (ns == Text.BAD) {
            return bad("TTLs", "intervals", buf, cTtls);
          }
          ttls[i] = ns / 1_000_000_000L;
        }
        int n = names.dns(ts, a[0], a[1], rp, query, qtype, rcode, answers, ttls);
        for (int i = 0; i < n; i++) {
          stats.name();
        }
      }
      case SSL, QUIC -> {
        String sni = nameOf(buf, cServerName);
        if (sni != null) {
          names.server(
              ts, a, op, b, rp, Names.tcpOrUdp(log == ZeekLog.QUIC), sni, NameObserver.Source.SNI);
          stats.name();
        }
      }
      case HTTP -> {
        // egret reads the Host of a connection's first request only.
        boolean first = cDepth < 0 || Text.count(buf, starts[cDepth], ends[cDepth]) <= 1;
        if (first && !Text.unset(buf, starts[cHost], ends[cHost])) {
          int n = Text.unescapeZeek(buf, starts[cHost], ends[cHost], scratch);
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
