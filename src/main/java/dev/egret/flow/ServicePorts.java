package dev.egret.flow;

/**
 * Ports that servers listen on, for deciding who started a flow whose opening was not seen. Like
 * Zeek's {@code likely_server_ports}: a packet from a service port to a port that is not one is a
 * reply, so its receiver is the initiator. Every port below 1024 is one except the DHCP client
 * ports (68, RFC 2131 4.1; 546, RFC 8415 7.2): a server's unicast DHCP reply goes from 67 to 68.
 * None is in the dynamic range 49152-65535, which RFC 6335 6 keeps unassigned for clients.
 */
public final class ServicePorts {
  private static final int DHCP_CLIENT = 68;
  private static final int DHCPV6_CLIENT = 546;
  private static final long[] WELL_KNOWN = new long[65536 / 64];

  static {
    int[] ports = {
      // The common service ports above 1024. Tunnel endpoints: GTP-C/GTP-U 2123/2152 (3GPP TS
      // 29.274, 29.281), Teredo 3544 (RFC 4380), GRE-in-UDP 4754 (RFC 8086), VXLAN 4789
      // (RFC 7348), AYIYA 5072, Geneve 6081 (RFC 8926).
      1080, 1194, 1433, 1434, 1521, 1701, 1723, 1812, 1813, 1883, 2049, 2123, 2152, 2181,
      2375, 2376, 3128, 3268, 3269, 3306, 3389, 3478, 3544, 4500, 4754, 4789, 5000, 5060,
      5061, 5072, 5222, 5269, 5353, 5355, 5432, 5671, 5672, 5900, 5938, 5984, 6081, 6379,
      6443, 6514, 6660, 6661, 6662, 6663, 6664, 6665, 6666, 6667, 6668, 6669, 6697, 8000,
      8008, 8080, 8081, 8088, 8443, 8883, 8888, 9000, 9042, 9090, 9092, 9100, 9200, 9300,
      9418, 11211, 27017
    };
    for (int p = 1; p < 1024; p++) {
      if (p != DHCP_CLIENT && p != DHCPV6_CLIENT) {
        set(p);
      }
    }
    for (int p : ports) {
      set(p);
    }
  }

  private ServicePorts() {}

  private static void set(int p) {
    WELL_KNOWN[p >>> 6] |= 1L << (p & 63);
  }

  public static boolean isService(int port) {
    return port > 0 && port < 65536 && (WELL_KNOWN[port >>> 6] & (1L << (port & 63))) != 0;
  }

  /**
   * A DHCP or DHCPv6 client port, to which a server's unicast reply follows a broadcast request.
   */
  public static boolean isDhcpClient(int port) {
    return port == DHCP_CLIENT || port == DHCPV6_CLIENT;
  }

  /** True when a packet from {@code srcPort} to {@code dstPort} looks like a server's reply. */
  public static boolean looksLikeReply(int srcPort, int dstPort) {
    return isService(srcPort) && !isService(dstPort);
  }
}
