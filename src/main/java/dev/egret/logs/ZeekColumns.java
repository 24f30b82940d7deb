package dev.egret.logs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the columns egret reads are in a Zeek TSV log, from its {@code #fields} line: each index is
 * the column's position, or -1 when the log has no such column. Found by name, never by position,
 * so added or reordered columns change nothing and unknown ones are ignored.
 */
final class ZeekColumns {
  final int count;
  final int ts;
  final int origH;
  final int origP;
  final int respH;
  final int respP;
  final int proto;
  final int ipProto;
  final int state;
  final int history;
  final int duration;
  final int origPkts;
  final int origBytes;
  final int respPkts;
  final int respBytes;
  final int tunnel;
  final int node;
  final int query;
  final int qtype;
  final int rcode;
  final int answers;
  final int ttls;
  final int serverName;
  final int host;
  final int depth;
  final int uid;

  /** Why no row of this log can be read (a column it needs is missing), or null. */
  final String missing;

  ZeekColumns(String[] cols, ZeekLog log) {
    List<String> l = Arrays.asList(cols);
    count = cols.length;
    ts = l.indexOf("ts");
    origH = l.indexOf("id.orig_h");
    origP = l.indexOf("id.orig_p");
    respH = l.indexOf("id.resp_h");
    respP = l.indexOf("id.resp_p");
    proto = l.indexOf("proto");
    ipProto = l.indexOf("ip_proto");
    state = l.indexOf("conn_state");
    history = l.indexOf("history");
    duration = l.indexOf("duration");
    origPkts = l.indexOf("orig_pkts");
    origBytes = l.indexOf("orig_ip_bytes");
    respPkts = l.indexOf("resp_pkts");
    respBytes = l.indexOf("resp_ip_bytes");
    tunnel = l.indexOf("tunnel_parents");
    node = l.indexOf("_node_name");
    query = l.indexOf("query");
    qtype = l.indexOf("qtype");
    rcode = l.indexOf("rcode");
    answers = l.indexOf("answers");
    ttls = l.indexOf("TTLs");
    serverName = l.indexOf("server_name");
    host = l.indexOf("host");
    depth = l.indexOf("trans_depth");
    uid = l.indexOf("uid");
    missing = missing(l, log);
  }

  private static String missing(List<String> l, ZeekLog log) {
    if (log == null) {
      return "no #path header and the file name names no log egret reads";
    }
    List<String> need =
        new ArrayList<>(List.of("ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p"));
    switch (log) {
      case CONN -> need.add("proto");
      case DNS -> need.add("query");
      case SSL, QUIC -> need.add("server_name");
      case HTTP -> need.add("host");
      default -> {
        return null; // rows of other logs are skipped, whatever their columns
      }
    }
    for (String c : need) {
      if (!l.contains(c)) {
        return "#fields has no " + c + " column (" + log.label() + " log)";
      }
    }
    return null;
  }
}
