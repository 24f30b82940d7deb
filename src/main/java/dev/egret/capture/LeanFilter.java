package dev.egret.capture;

/**
 * The {@code --lean} capture filter: a BPF expression that passes only what learning needs, so the
 * kernel drops the bulk of a busy link before it is copied to the process.
 *
 * <p>Passed: every TCP segment with SYN, FIN or RST (RFC 9293 3.1: connection start, answer and
 * end); TCP segments whose payload starts like a TLS handshake record carrying a ClientHello (RFC
 * 8446 5.1 and 4: content type 22, handshake type 1) or like an HTTP/1.x request line (RFC 9112 3:
 * a method and a space); DNS over TCP (port 53); all UDP; all ICMP and ICMPv6; every IPv4 and IPv6
 * fragment, so that fragmented datagrams can be reassembled. IPv4 and IPv6, with or without one
 * 802.1Q tag. libpcap cannot index TCP payload inside IPv6 ({@code tcp[]} is IPv4 only), so IPv6
 * TCP passes whole.
 *
 * <p>The trade-off: IPv4 TCP data segments in the middle of a connection are not seen, so packet
 * and byte counts of TCP entries cover only the segments above, a connection silent on the filter
 * for longer than the TCP idle timeout is split in two, and a ClientHello spread over several
 * segments (large key shares) loses its server name, as only its first segment passes. Hosts,
 * destinations, ports, answered or rejected, and DNS names are unaffected.
 */
public final class LeanFilter {
  private static final String PAYLOAD = "tcp[((tcp[12] & 0xf0) >> 2)";

  /** First four payload bytes of the request methods of RFC 9110 9.3 ("GET ", "POST", ...). */
  private static final String[] METHODS = {
    "0x47455420", // "GET "
    "0x504f5354", // "POST"
    "0x48454144", // "HEAD"
    "0x50555420", // "PUT "
    "0x44454c45", // "DELE"
    "0x434f4e4e", // "CONN"
    "0x4f505449", // "OPTI"
    "0x50415443", // "PATC"
    "0x54524143", // "TRAC"
  };

  private LeanFilter() {}

  /** The filter on its own. */
  public static String expression() {
    StringBuilder http = new StringBuilder();
    for (String m : METHODS) {
      if (http.length() > 0) {
        http.append(" or ");
      }
      http.append(PAYLOAD).append(":4] = ").append(m);
    }
    String v4tcp =
        "(ip and tcp and (tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0"
            + " or port 53"
            + " or ("
            + PAYLOAD
            + ":1] = 0x16 and "
            + PAYLOAD
            + "+5:1] = 0x01)"
            + " or "
            + http
            + "))";
    // Every fragment passes (rare, and all are needed to reassemble a datagram): libpcap's tcp[]
    // and ip6's udp see neither an IPv4 fragment past offset 0 nor an IPv6 fragment header.
    String fragments = " or (ip and ip[6:2] & 0x3fff != 0) or (ip6 and ip6[6] = 44)";
    String body = v4tcp + fragments + " or (ip6 and tcp) or udp or icmp or icmp6";
    return "(" + body + ") or (vlan and (" + body + "))";
  }

  /**
   * The lean filter, narrowed by the user's filter when there is one. The user's filter comes
   * first: in libpcap a {@code vlan} term shifts the offsets of every term after it.
   */
  public static String and(String userFilter) {
    if (userFilter == null || userFilter.isBlank()) {
      return expression();
    }
    return "(" + userFilter + ") and (" + expression() + ")";
  }
}
