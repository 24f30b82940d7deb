package dev.egret.logs;

import dev.egret.flow.FlowKey;
import dev.egret.flow.NameObserver;
import dev.egret.net.Protocols;
import java.util.List;

/**
 * Hands the names found in logs to the same {@link NameObserver} the packet pipeline feeds, with
 * the packet pipeline's rules: DNS only from port 53 (egret's DNS reader ignores mDNS and other
 * ports), a question reported only when a response was seen, an address answer for each A or AAAA
 * record under the name the client asked for (logs put CNAME targets and addresses side by side;
 * the addresses belong to the question's name, as egret resolves CNAME chains back to it).
 */
final class Names {
  static final int DNS_PORT = 53;

  private final NameObserver observer;
  private final long[] addr = new long[2];

  Names(NameObserver observer) {
    this.observer = observer;
  }

  /**
   * One DNS transaction between {@code client} and {@code server}. The server is passed on with
   * each answer ({@link NameObserver#dnsAnswerFrom}), so that {@code check} believes an answer from
   * a log only when it came from a server the policy lets hosts ask, as it does for packets.
   *
   * @param rcode the response code, or -1 when no response was seen
   * @param answers answer data (addresses, names, other record text), may be empty
   * @param ttls seconds per answer, parallel to {@code answers}; shorter or empty when unknown
   * @return the names and questions reported
   */
  int dns(
      long ts,
      long clientHi,
      long clientLo,
      long serverHi,
      long serverLo,
      int serverPort,
      String query,
      int qtype,
      int rcode,
      List<String> answers,
      long[] ttls) {
    if (serverPort != DNS_PORT || query == null || rcode < 0) {
      return 0;
    }
    int n = 1;
    observer.dnsQuestion(ts, clientHi, clientLo, query, qtype, rcode);
    for (int i = 0; i < answers.size(); i++) {
      if (Text.address(answers.get(i), addr)) {
        long ttl = ttls != null && i < ttls.length ? Math.max(0, ttls[i]) : 0;
        observer.dnsAnswerFrom(
            ts, clientHi, clientLo, serverHi, serverLo, query, addr[0], addr[1], ttl);
        n++;
      }
    }
    return n;
  }

  /** A server name the client of a connection sent: TLS or QUIC SNI, HTTP Host. */
  void server(
      long ts,
      long[] client,
      int clientPort,
      long[] server,
      int serverPort,
      int proto,
      String name,
      NameObserver.Source source) {
    FlowKey k =
        new FlowKey(client[0], client[1], clientPort, server[0], server[1], serverPort, proto);
    observer.serverName(ts, k, name, source);
  }

  /** The host of an HTTP Host value, without its port; an IPv6 literal keeps its brackets. */
  static String httpHost(String host) {
    if (host == null) {
      return null;
    }
    int stop;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      stop = close < 0 ? host.length() : close + 1;
    } else {
      int colon = host.indexOf(':');
      stop = colon < 0 ? host.length() : colon;
    }
    return Text.name(host.substring(0, stop));
  }

  /** The DNS record type number of its mnemonic (RFC 1035 3.2.2, RFC 3596, RFC 9460), or 0. */
  static int qtype(String t) {
    if (t == null) {
      return 0;
    }
    return switch (t) {
      case "A" -> 1;
      case "NS" -> 2;
      case "CNAME" -> 5;
      case "SOA" -> 6;
      case "PTR" -> 12;
      case "MX" -> 15;
      case "TXT" -> 16;
      case "AAAA" -> 28;
      case "SRV" -> 33;
      case "SVCB" -> 64;
      case "HTTPS" -> 65;
      case "ANY" -> 255;
      default -> 0;
    };
  }

  /**
   * The response code number of its name (RFC 1035 4.1.1, RFC 6895 2.3); 2 (SERVFAIL) if unknown.
   */
  static int rcode(String name) {
    return switch (name) {
      case "NOERROR" -> 0;
      case "FORMERR" -> 1;
      case "SERVFAIL" -> 2;
      case "NXDOMAIN" -> 3;
      case "NOTIMP" -> 4;
      case "REFUSED" -> 5;
      default -> 2;
    };
  }

  static int tcpOrUdp(boolean udp) {
    return udp ? Protocols.UDP : Protocols.TCP;
  }
}
