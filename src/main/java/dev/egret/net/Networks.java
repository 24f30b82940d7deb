package dev.egret.net;

import java.util.List;

/** Address blocks with a meaning of their own. */
public final class Networks {
  /**
   * The networks a site numbers its own hosts from: RFC 1918, the RFC 6598 shared space and RFC
   * 4193 unique local addresses. A flow that a host in them starts is egress (learning), and a
   * gateway's rules judge what such hosts start.
   */
  public static final List<Cidr> PRIVATE =
      List.of(
          Cidr.parse("10.0.0.0/8"),
          Cidr.parse("172.16.0.0/12"),
          Cidr.parse("192.168.0.0/16"),
          Cidr.parse("100.64.0.0/10"),
          Cidr.parse("fc00::/7"));

  private Networks() {}
}
