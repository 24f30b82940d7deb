package dev.egret.logs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowSink;
import dev.egret.flow.FlowState;
import dev.egret.flow.GroupAddress;
import dev.egret.flow.Icmp;
import dev.egret.flow.InitiatorRule;
import dev.egret.flow.NameObserver;
import dev.egret.flow.ServicePorts;
import dev.egret.net.Protocols;
import dev.egret.net.TcpFlags;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Suricata's EVE JSON: {@code flow} events become flows, {@code dns}, {@code tls}, {@code quic} and
 * {@code http} events names; every other event type (alert, anomaly, stats, netflow, fileinfo, ...)
 * is skipped and counted by type. Field by field:
 *
 * <ul>
 *   <li>{@code flow}: {@code src_ip/src_port} is the client side as Suricata judged it, the
 *       initiator; {@code dest_ip/dest_port} the responder; {@code proto} {@code TCP}, {@code UDP},
 *       {@code ICMP}, {@code IPv6-ICMP} or a number. For ICMP the ports are {@code icmp_type} and
 *       {@code response_icmp_type} (else the type's counterpart), as egret keys ICMP; ICMP errors
 *       are not flows. Other protocols than TCP, UDP and ICMP (Suricata 7 logs SCTP ports) get port
 *       0, as egret keys them from packets. Start and end are {@code flow.start} and {@code
 *       flow.end}; counts {@code pkts_toserver}, {@code bytes_toserver} out, {@code pkts_toclient},
 *       {@code bytes_toclient} back (Suricata counts whole packets, link header included, where
 *       egret counts IP bytes).
 *   <li>State: never answered ({@link FlowState#ATTEMPTED}) when {@code pkts_toclient} is 0.
 *       Refused ({@link FlowState#REJECTED}) when the client sent a SYN ({@code tcp.tcp_flags_ts})
 *       and the server sent a reset but no SYN, FIN or data ({@code tcp.tcp_flags_tc} holds RST and
 *       at most ACK): egret's rule for a reset before any answer. Otherwise answered: {@link
 *       FlowState#CLOSED} when either side reset or both sent FIN, else {@link
 *       FlowState#ESTABLISHED}. {@code flow.state} is not used: {@code new} covers a SYN never
 *       answered, a SYN answered by a reset and UDP never answered alike, which the counts and
 *       flags tell apart; {@code established}, {@code closed} and {@code bypassed} agree with them.
 *   <li>Who started it: a SYN from the client side is {@link InitiatorRule#SYN}, a SYN only from
 *       the server side {@link InitiatorRule#SYN_ACK}, an ICMP echo {@link
 *       InitiatorRule#ICMP_ECHO}. A UDP flow, and a TCP flow with no SYN either way (Suricata does
 *       not track a stream it did not see start, {@code stream.midstream} being off by default, and
 *       logs its flags as {@code 00}), has the first packet's sender as {@code src}: egret's port
 *       rule then applies as to the first packet, a flow from a service port to a non-service port
 *       (not to a broadcast or multicast address) is a reply, so {@code dest} started it ({@link
 *       InitiatorRule#PORTS}, the counts and flags swapped); anything else is the first packet's
 *       sender. Ambiguous: a capture that starts at a SYN-ACK between two service ports, which
 *       packets tell (the SYN-ACK's receiver) and EVE does not (flags {@code 00}); and a lone UDP
 *       response between two service ports, which Suricata's DNS parser turns round ({@code
 *       pkts_toserver} 0, the receiver the client) where packets give its sender.
 *   <li>{@code flow.reason} ({@code timeout}, {@code forced}, {@code shutdown}) and {@code
 *       app_proto} are not used. Flows inside tunnels (GRE, ERSPAN, VXLAN, Geneve, Teredo) are read
 *       like any other: Suricata 7 logs the inner flows with no mark of the tunnel, and no flow for
 *       the outer GRE, so from EVE egret learns what packets give with {@code --decapsulate}, less
 *       the outer GRE flows.
 *   <li>{@code dns}: responses only (a question counts once answered, as egret reads responses):
 *       version 2 {@code type: answer} (Suricata 7 writes only version 2) with the question in
 *       {@code rrname}/{@code rrtype}, version 3 ({@code Suricata 8}) {@code type: response} with
 *       {@code queries[]}; addresses from {@code answers[]} ({@code rrtype} A or AAAA, with {@code
 *       ttl}), from {@code grouped.A} and {@code grouped.AAAA} (no TTLs), or from the old
 *       one-answer-per-event {@code rdata}. The client is the side not on port 53; version 3
 *       responses are logged from the responder, version 2 from the client, which decides when both
 *       ports are 53.
 *   <li>{@code tls.sni} and {@code quic.sni}: the server name ({@code tls.sni} is written with
 *       {@code extended: yes}, as in Suricata's shipped {@code suricata.yaml}, and only once the
 *       handshake is done: a Client Hello never answered leaves no name in EVE, where packets give
 *       it); {@code http.hostname} of a connection's first request ({@code tx_id} 0), as egret
 *       reads only the first (libhtp takes it from an absolute request target before the Host
 *       header).
 *   <li>The sensor is the {@code host} field (Suricata's {@code sensor-name}).
 * </ul>
 */
final class EveReader {
  private final LineReader lines;
  private final LogStats stats;
  private final FlowHandoff flows;
  private final Names names;
  private final long[] src = new long[2];
  private final long[] dst = new long[2];

  EveReader(LineReader lines, LogStats stats, FlowSink flows, NameObserver names) {
    this.lines = lines;
    this.stats = stats;
    this.flows = new FlowHandoff(flows, stats);
    this.names = new Names(names);
  }

  void run() throws IOException {
    lines.forEach(
        stats,
        (buf, s, e, lineNo) -> {
          try {
            event(Json.object(buf, s, e));
          } catch (Json.Bad bad) {
            stats.malformed(lineNo, bad.getMessage());
          }
        });
  }

  private void event(JsonNode o) throws Json.Bad {
    String type = Json.required(o, "event_type");
    switch (type) {
      case "flow", "dns", "tls", "quic", "http" -> {}
      default -> {
        stats.skip("event " + bounded(type));
        return;
      }
    }
    stats.sensor(Json.text(o, "host"));
    Json.address(o, "src_ip", src);
    Json.address(o, "dest_ip", dst);
    int proto = proto(Json.required(o, "proto"));
    boolean icmp = proto == Protocols.ICMP || proto == Protocols.ICMPV6;
    int sp = Json.port(o, "src_port", 0);
    int dp = Json.port(o, "dest_port", 0);
    JsonNode body = o.get(type);
    if (body == null || !body.isObject()) {
      throw new Json.Bad(type + " is not an object");
    }
    switch (type) {
      case "flow" -> flow(o, body, proto, icmp, sp, dp);
      case "dns" -> dns(o, body, sp, dp);
      case "tls", "quic" -> {
        String sni = Text.name(Json.text(body, "sni"));
        if (sni != null) {
          names.server(
              Json.time(o, "timestamp"), src, sp, dst, dp, proto, sni, NameObserver.Source.SNI);
          stats.name();
        }
      }
      default -> {
        String host = Names.httpHost(Json.text(body, "hostname"));
        if (host != null && Json.count(o, "tx_id") == 0) {
          names.server(
              Json.time(o, "timestamp"),
              src,
              sp,
              dst,
              dp,
              proto,
              host,
              NameObserver.Source.HTTP_HOST);
          stats.name();
        }
      }
    }
  }

  private void flow(JsonNode o, JsonNode f, int proto, boolean icmp, int sp, int dp)
      throws Json.Bad {
    int initPort = sp;
    int respPort = dp;
    if (icmp) {
      int t = Json.port(o, "icmp_type", 0);
      int code = Json.port(o, "icmp_code", 0);
      if (Icmp.isError(proto, t)) {
        stats.skip("icmp-error");
        return;
      }
      initPort = t;
      respPort = Json.port(o, "response_icmp_type", Icmp.counterpart(proto, t, code));
    } else if (proto != Protocols.TCP && proto != Protocols.UDP) {
      initPort = 0; // egret keys other protocols (SCTP, GRE, ...) without ports
      respPort = 0;
    }
    long start = f.has("start") ? Json.time(f, "start") : Json.time(o, "timestamp");
    long end = f.has("end") ? Json.time(f, "end") : start;
    if (end < start) {
      throw new Json.Bad("flow.end is before flow.start");
    }
    long outPkts = Json.count(f, "pkts_toserver");
    long outBytes = Json.count(f, "bytes_toserver");
    long inPkts = Json.count(f, "pkts_toclient");
    long inBytes = Json.count(f, "bytes_toclient");
    int ts = 0;
    int tc = 0;
    JsonNode tcp = o.get("tcp");
    if (proto == Protocols.TCP && tcp != null && tcp.isObject()) {
      ts = hexFlags(tcp, "tcp_flags_ts");
      tc = hexFlags(tcp, "tcp_flags_tc");
    }
    boolean midstream = proto == Protocols.TCP && ((ts | tc) & TcpFlags.SYN) == 0;
    // A datagram from a service port that answers nothing heard (see FlowHandoff.heard) is its
    // sender's, as egret's tracker decides from packets; TCP picked up mid-stream keeps the rule.
    boolean heard = flows.heard(start);
    boolean reply =
        (proto == Protocols.UDP || midstream)
            && ServicePorts.looksLikeReply(sp, dp)
            && !GroupAddress.is(dst[0], dst[1])
            && !(proto == Protocols.UDP && heard && !ServicePorts.isDhcpClient(dp));
    long[] from = src;
    long[] to = dst;
    if (reply) {
      // Suricata's client is the first packet's sender here: a reply, by egret's port rule.
      from = dst;
      to = src;
      int p = initPort;
      initPort = respPort;
      respPort = p;
      long n = outPkts;
      outPkts = inPkts;
      inPkts = n;
      n = outBytes;
      outBytes = inBytes;
      inBytes = n;
      int fl = ts;
      ts = tc;
      tc = fl;
    }
    FlowState state;
    if (inPkts == 0) {
      state = FlowState.ATTEMPTED;
    } else if (proto == Protocols.TCP
        && (ts & TcpFlags.SYN) != 0
        && (tc & TcpFlags.RST) != 0
        && (tc & ~(TcpFlags.RST | TcpFlags.ACK)) == 0) {
      state = FlowState.REJECTED;
    } else if (proto == Protocols.TCP
        && (((ts | tc) & TcpFlags.RST) != 0
            || ((ts & TcpFlags.FIN) != 0 && (tc & TcpFlags.FIN) != 0))) {
      state = FlowState.CLOSED;
    } else {
      state = FlowState.ESTABLISHED;
    }
    InitiatorRule rule;
    if (reply) {
      rule = InitiatorRule.PORTS;
    } else if (proto == Protocols.TCP && (ts & TcpFlags.SYN) != 0) {
      rule = InitiatorRule.SYN;
    } else if (proto == Protocols.TCP && (tc & TcpFlags.SYN) != 0) {
      rule = InitiatorRule.SYN_ACK;
    } else if (icmp && Icmp.isEcho(proto, initPort)) {
      rule = InitiatorRule.ICMP_ECHO;
    } else {
      rule = InitiatorRule.FIRST_PACKET;
    }
    FlowKey k = new FlowKey(from[0], from[1], initPort, to[0], to[1], respPort, proto);
    FlowRecord r = new FlowRecord(k, start, end, state, rule, outPkts, outBytes, inPkts, inBytes);
    flows.flow(r);
  }

  private void dns(JsonNode o, JsonNode d, int sp, int dp) throws Json.Bad {
    String type = Json.text(d, "type");
    boolean v3 = "response".equals(type);
    if (!v3 && !"answer".equals(type)) {
      stats.skip("dns-request");
      return;
    }
    long ts = Json.time(o, "timestamp");
    String rrname = Json.text(d, "rrname");
    String rrtype = Json.text(d, "rrtype");
    JsonNode queries = d.get("queries");
    if (queries != null && queries.isArray() && queries.size() > 0) {
      rrname = Json.text(queries.get(0), "rrname");
      rrtype = Json.text(queries.get(0), "rrtype");
    }
    List<String> answers = new ArrayList<>();
    List<Long> ttls = new ArrayList<>();
    JsonNode list = d.get("answers");
    if (list != null && !list.isArray()) {
      throw new Json.Bad("dns.answers is not a list");
    }
    if (list != null) {
      for (JsonNode a : list) {
        if (!a.isObject()) {
          throw new Json.Bad("dns.answers holds a non-object");
        }
        if (rrname == null) {
          rrname = Json.text(a, "rrname");
        }
        String t = Json.text(a, "rrtype");
        if ("A".equals(t) || "AAAA".equals(t)) {
          answers.add(Json.text(a, "rdata"));
          ttls.add(Json.count(a, "ttl"));
        }
      }
    }
    JsonNode grouped = d.get("grouped");
    if (list == null && grouped != null && grouped.isObject()) {
      for (String t : List.of("A", "AAAA")) {
        JsonNode g = grouped.get(t);
        if (g != null && g.isArray()) {
          for (JsonNode v : g) {
            answers.add(v.isTextual() ? v.textValue() : null);
            ttls.add(0L);
          }
        }
      }
    }
    if (list == null && grouped == null && d.has("rdata")) {
      String t = Json.text(d, "rrtype");
      if ("A".equals(t) || "AAAA".equals(t)) {
        answers.add(Json.text(d, "rdata"));
        ttls.add(Json.count(d, "ttl"));
      }
    }
    String rcodeName = Json.text(d, "rcode");
    int rcode = rcodeName == null ? 0 : Names.rcode(rcodeName);
    boolean clientIsSrc;
    if (dp == Names.DNS_PORT && sp != Names.DNS_PORT) {
      clientIsSrc = true;
    } else if (sp == Names.DNS_PORT && dp != Names.DNS_PORT) {
      clientIsSrc = false;
    } else {
      clientIsSrc = !v3;
    }
    long[] client = clientIsSrc ? src : dst;
    long[] server = clientIsSrc ? dst : src;
    int serverPort = clientIsSrc ? dp : sp;
    long[] t = new long[ttls.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = ttls.get(i);
    }
    int n =
        names.dns(
            ts,
            client[0],
            client[1],
            server[0],
            server[1],
            serverPort,
            Text.name(rrname),
            Names.qtype(rrtype),
            rcode,
            answers,
            t);
    for (int i = 0; i < n; i++) {
      stats.name();
    }
  }

  private static int hexFlags(JsonNode tcp, String field) throws Json.Bad {
    String v = Json.text(tcp, field);
    if (v == null) {
      return 0;
    }
    try {
      int f = Integer.parseInt(v, 16);
      if (f < 0 || f > 0xff) {
        throw new NumberFormatException();
      }
      return f;
    } catch (NumberFormatException e) {
      throw new Json.Bad("tcp." + field + " is not hex TCP flags");
    }
  }

  /** EVE's protocol names, or a number (Suricata writes unknown protocols as digits). */
  static int proto(String p) throws Json.Bad {
    switch (p) {
      case "TCP":
        return Protocols.TCP;
      case "UDP":
        return Protocols.UDP;
      case "ICMP":
        return Protocols.ICMP;
      case "IPv6-ICMP", "ICMPv6", "ICMPV6":
        return Protocols.ICMPV6;
      case "SCTP":
        return Protocols.SCTP;
      default:
        try {
          int n = Integer.parseInt(p);
          if (n >= 0 && n <= 255) {
            return n;
          }
        } catch (NumberFormatException e) {
          // fall through
        }
        throw new Json.Bad("proto is not a protocol: \"" + bounded(p) + "\"");
    }
  }

  private static String bounded(String s) {
    return s.length() > 40 ? s.substring(0, 40) : s;
  }
}
