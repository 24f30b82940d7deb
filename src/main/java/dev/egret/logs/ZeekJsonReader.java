package dev.egret.logs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egret.flow.FlowSink;
import dev.egret.flow.NameObserver;
import dev.egret.net.Protocols;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Zeek's JSON logs ({@code LogAscii::use_json}, or a JSON writer feeding a pipeline): one object
 * per line with the same field names as the TSV columns. The log is told by the {@code _path}
 * field, else the file name, else the fields a row has. Times are seconds as numbers, or ISO 8601
 * strings. The mapping is {@link ZeekConn}'s and {@link Names}'s, as for TSV.
 */
final class ZeekJsonReader {
  private final LineReader lines;
  private final LogStats stats;
  private final ZeekLog fromName;
  private final FlowHandoff flows;
  private final Names names;
  private final ZeekConn conn = new ZeekConn();
  private final TunnelJoin tunnels;
  private final long[] a = new long[2];
  private final long[] b = new long[2];

  ZeekJsonReader(
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
  }

  void run() throws IOException {
    lines.forEach(
        stats,
        (buf, s, e, lineNo) -> {
          try {
            row(Json.object(buf, s, e));
          } catch (Json.Bad bad) {
            stats.malformed(lineNo, bad.getMessage());
          }
        });
  }

  private ZeekLog logOf(JsonNode o) throws Json.Bad {
    String path = Json.text(o, "_path");
    if (path != null) {
      return ZeekLog.ofPath(path);
    }
    if (fromName != null) {
      return fromName;
    }
    if (o.has("conn_state") || (o.has("proto") && o.has("orig_pkts"))) {
      return ZeekLog.CONN;
    }
    if (o.has("query")) {
      return ZeekLog.DNS;
    }
    if (o.has("server_name")) {
      return ZeekLog.SSL;
    }
    if (o.has("host") && o.has("method")) {
      return ZeekLog.HTTP;
    }
    return ZeekLog.OTHER;
  }

  private void row(JsonNode o) throws Json.Bad {
    ZeekLog log = logOf(o);
    if (log == ZeekLog.OTHER) {
      stats.skip("other-zeek-log");
      return;
    }
    stats.sensor(Json.text(o, "_node_name"));
    long ts = Json.time(o, "ts");
    Json.address(o, "id.orig_h", a);
    Json.address(o, "id.resp_h", b);
    int op = Json.port(o, "id.orig_p", -1);
    int rp = Json.port(o, "id.resp_p", -1);
    if (op < 0 || rp < 0) {
      throw new Json.Bad("no " + (op < 0 ? "id.orig_p" : "id.resp_p"));
    }
    String uid = Json.text(o, "uid");
    if (log != ZeekLog.CONN && tunnels.isTunnelled(uid, ts)) {
      stats.skip("tunnelled");
      return;
    }
    switch (log) {
      case CONN -> conn(o, ts, op, rp, uid);
      case DNS -> {
        String query = Text.name(Json.text(o, "query"));
        int rcode = o.has("rcode") ? (int) Math.min(Json.count(o, "rcode"), 65535) : -1;
        int qtype = (int) Math.min(Json.count(o, "qtype"), 65535);
        List<String> answers = new ArrayList<>();
        for (JsonNode v : array(o, "answers")) {
          answers.add(v.isTextual() ? v.textValue() : v.toString());
        }
        JsonNode ttlNode = array(o, "TTLs");
        long[] ttls = new long[ttlNode.size()];
        for (int i = 0; i < ttls.length; i++) {
          JsonNode t = ttlNode.get(i);
          if (!t.isNumber()) {
            throw new Json.Bad("TTLs is not a list of intervals");
          }
          ttls[i] = t.longValue();
        }
        int n = names.dns(ts, a[0], a[1], b[0], b[1], rp, query, qtype, rcode, answers, ttls);
        for (int i = 0; i < n; i++) {
          stats.name();
        }
      }
      case SSL, QUIC -> {
        String sni = Text.name(Json.text(o, "server_name"));
        if (sni != null) {
          names.server(
              ts, a, op, b, rp, Names.tcpOrUdp(log == ZeekLog.QUIC), sni, NameObserver.Source.SNI);
          stats.name();
        }
      }
      case HTTP -> {
        long depth = Json.count(o, "trans_depth");
        String host = Names.httpHost(Json.text(o, "host"));
        if (depth <= 1 && host != null) {
          names.server(ts, a, op, b, rp, Protocols.TCP, host, NameObserver.Source.HTTP_HOST);
          stats.name();
        }
      }
      default -> {}
    }
  }

  private static JsonNode array(JsonNode o, String field) throws Json.Bad {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }
    if (!v.isArray()) {
      throw new Json.Bad(field + " is not a list");
    }
    return v;
  }

  private void conn(JsonNode o, long ts, int op, int rp, String uid) throws Json.Bad {
    ZeekConn c = conn;
    c.clear();
    c.tsNs = ts;
    c.orig[0] = a[0];
    c.orig[1] = a[1];
    c.resp[0] = b[0];
    c.resp[1] = b[1];
    c.origPort = op;
    c.respPort = rp;
    String proto = Json.required(o, "proto");
    c.proto =
        switch (proto) {
          case "tcp" -> Protocols.TCP;
          case "udp" -> Protocols.UDP;
          case "icmp" -> ZeekConn.ICMP_EITHER;
          default -> (int) Math.min(Json.count(o, "ip_proto"), 255);
        };
    c.durationNs = Json.interval(o, "duration");
    if (ts > 0 && c.durationNs > Long.MAX_VALUE - ts) {
      throw new Json.Bad("duration is not an interval that ends by the year 2262");
    }
    c.rejState = "REJ".equals(Json.text(o, "conn_state"));
    String history = Json.text(o, "history");
    c.hasHistory = history != null && !history.isEmpty();
    c.history = history == null ? 0 : ZeekConn.history(history);
    c.origPkts = Json.count(o, "orig_pkts");
    c.origBytes = Json.count(o, "orig_ip_bytes");
    c.respPkts = Json.count(o, "resp_pkts");
    c.respBytes = Json.count(o, "resp_ip_bytes");
    JsonNode tp = o.get("tunnel_parents");
    if (tp != null && tp.isArray() && tp.size() > 0 && tunnels.skipsTunnelled()) {
      c.tunnelled = true;
      tunnels.tunnelled(uid, ts);
    }
    ZeekConn.Skip skip = c.skip();
    if (skip != null) {
      stats.skip(skip == ZeekConn.Skip.TUNNELLED ? "tunnelled" : "icmp-error");
      return;
    }
    flows.flow(c);
  }
}
