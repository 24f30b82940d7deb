package dev.egret.policy;

import dev.egret.net.Cidr;
import dev.egret.net.HostName;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;

/**
 * What a decision is about, written {@code HOST/PROTOCOL/PORT/DESTINATION}: {@code
 * 10.0.1.5/tcp/443/api.example.com}. Each part may be {@code *} (any); the destination is an
 * address, a prefix ({@code 203.0.113.0/24}), a host name or a wildcard ({@code *.example.com}).
 * Three short forms stand for the others: {@code host:ADDR} is {@code ADDR/*}{@code /*}{@code /*},
 * {@code name:NAME} and {@code dest:PREFIX} are {@code *}{@code /*}{@code /*}{@code /NAME} and
 * {@code *}{@code /*}{@code /*}{@code /PREFIX}.
 *
 * <p>An id is derived from what was seen, never from a list position or a time, so it names the
 * same traffic in the policy of a newer baseline: a review item or anomaly of one host, protocol
 * and port is {@code HOST/PROTO/PORT/NAME} when a DNS answer named the destination (the name stays
 * when the addresses behind it rotate), {@code HOST/PROTO/PORT/ADDRESS} otherwise, and a scan is
 * {@code HOST/PROTO/PORT/*}. Names come from the wire, so only a valid host name ({@link HostName})
 * makes an id: the alphabet of an id is {@code a-z 0-9 . : / * -}, nothing a YAML file, a terminal
 * or a shell gives a meaning to but {@code *}.
 *
 * @param host the source host, or null for any
 * @param protocol the protocol's name ({@link Protocols#name}), or null for any
 * @param port the destination port or ICMP type, or -1 for any
 * @param prefix the destination prefix, or null
 * @param name the destination name (normalized host name or wildcard), or null; with {@code prefix}
 *     null too, any destination
 */
public record DecisionId(IpAddress host, String protocol, int port, Cidr prefix, String name) {
  /** Longest id accepted: four parts, a 253-character name. */
  static final int MAX_LENGTH = 320;

  public DecisionId {
    if (prefix != null && name != null) {
      throw new PolicyException("a decision id names a prefix or a name, not both");
    }
  }

  /** Parses an id or a short form; the message of the exception says what is wrong, quoted. */
  public static DecisionId parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new PolicyException("empty decision id");
    }
    if (text.length() > MAX_LENGTH) {
      throw new PolicyException("decision id longer than " + MAX_LENGTH + " characters");
    }
    String t = text;
    if (t.startsWith("host:")) {
      t = t.substring(5) + "/*/*/*";
    } else if (t.startsWith("name:") || t.startsWith("dest:")) {
      t = "*/*/*/" + t.substring(5);
    }
    String[] parts = t.split("/", 4);
    if (parts.length != 4) {
      throw new PolicyException(
          "bad decision id \""
              + text
              + "\" (expected HOST/PROTOCOL/PORT/DESTINATION, host:ADDR, name:NAME or dest:PREFIX)");
    }
    IpAddress host = null;
    if (!parts[0].equals("*")) {
      try {
        host = IpAddress.parse(parts[0]);
      } catch (IllegalArgumentException e) {
        throw new PolicyException("bad host in decision id \"" + text + "\": " + e.getMessage());
      }
    }
    String protocol = null;
    if (!parts[1].equals("*")) {
      try {
        protocol = Protocols.name(Protocols.parse(parts[1]));
      } catch (IllegalArgumentException e) {
        throw new PolicyException(
            "bad protocol in decision id \"" + text + "\": " + e.getMessage());
      }
    }
    int port = -1;
    if (!parts[2].equals("*")) {
      port = parsePort(parts[2], text);
    }
    Cidr prefix = null;
    String name = null;
    String d = parts[3];
    if (!d.equals("*")) {
      try {
        prefix = Cidr.parse(d);
      } catch (IllegalArgumentException notPrefix) {
        name = HostName.normalize(d);
        if (name == null) {
          throw new PolicyException(
              "bad destination in decision id \""
                  + text
                  + "\" (expected *, an address, a prefix, a host name or *.domain)");
        }
      }
    }
    return new DecisionId(host, protocol, port, prefix, name);
  }

  private static int parsePort(String s, String text) {
    int p = -1;
    if (!s.isEmpty() && s.length() <= 5 && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      p = Integer.parseInt(s);
    }
    if (p < 0 || p > 65535) {
      throw new PolicyException("bad port in decision id \"" + text + "\" (expected * or 0-65535)");
    }
    return p;
  }

  /** The id of one host's traffic on one protocol and port to {@code destination}. */
  static DecisionId of(String host, String protocol, int port, String dnsName, String address) {
    String name = dnsName == null ? null : HostName.normalize(dnsName);
    if (name != null && HostName.isWildcard(name)) {
      name = null;
    }
    return new DecisionId(
        IpAddress.parse(host),
        protocol,
        port,
        name == null && address != null ? Cidr.host(IpAddress.parse(address)) : null,
        name);
  }

  /** True when the destination part is {@code *}. */
  public boolean anyDestination() {
    return prefix == null && name == null;
  }

  /** True when the decision is about the traffic of one host, protocol and port to one place. */
  boolean exact() {
    return host != null && protocol != null && port >= 0 && !anyDestination();
  }

  /** The canonical text: the short forms expanded, a single address without its length. */
  @Override
  public String toString() {
    String d;
    if (name != null) {
      d = name;
    } else if (prefix == null) {
      d = "*";
    } else if (prefix.bits() == 128) {
      d = IpAddress.of(prefix.hi(), prefix.lo()).toString();
    } else {
      d = prefix.toString();
    }
    return (host == null ? "*" : host.toString())
        + "/"
        + (protocol == null ? "*" : protocol)
        + "/"
        + (port < 0 ? "*" : Integer.toString(port))
        + "/"
        + d;
  }

  /**
   * True when this id covers one host's connections on {@code protocol}/{@code port} to {@code
   * address}, known by {@code names}: a name part matches one of them (a wildcard, a name under
   * it).
   */
  boolean matches(
      IpAddress h, String proto, int p, IpAddress address, java.util.Collection<String> names) {
    if (host != null && !host.equals(h)) {
      return false;
    }
    if (protocol != null && !protocol.equals(proto)) {
      return false;
    }
    if (port >= 0 && port != p) {
      return false;
    }
    if (prefix != null) {
      return prefix.contains(address);
    }
    if (name != null) {
      for (String n : names) {
        if (HostName.matches(name, n)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }
}
