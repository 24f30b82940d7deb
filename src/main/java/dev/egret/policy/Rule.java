package dev.egret.policy;

import java.util.List;

/**
 * One allow rule: hosts of {@code role} may open {@code protocol} connections to {@code
 * destination} on {@code ports} (TCP/UDP) or with {@code icmpTypes} (ICMP).
 *
 * @param name unique identifier, same alphabet as role names
 * @param role the role whose hosts the rule is for
 * @param protocol {@code tcp}, {@code udp}, {@code icmp}, {@code icmp6} or a protocol number
 * @param ports destination ports (TCP/UDP); empty means any port, which only a broad rule has
 * @param icmpTypes ICMP types (ICMP only); empty means any type
 * @param destination where to
 * @param broad true when the rule allows more than was seen on purpose (any destination)
 * @param exposure addresses the rule allows that were never seen (0 for exact host lists; -1 for
 *     any destination)
 * @param evidence what the rule rests on
 * @param uid the only user the rule is for (host mode: the kernel matches the sending socket's
 *     owner), learned from an audit log; null for every user
 */
public record Rule(
    String name,
    String role,
    String protocol,
    List<PortRange> ports,
    List<Integer> icmpTypes,
    Destination destination,
    boolean broad,
    long exposure,
    Evidence evidence,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Integer uid) {
  /** A rule for every user. */
  public Rule(
      String name,
      String role,
      String protocol,
      List<PortRange> ports,
      List<Integer> icmpTypes,
      Destination destination,
      boolean broad,
      long exposure,
      Evidence evidence) {
    this(name, role, protocol, ports, icmpTypes, destination, broad, exposure, evidence, null);
  }

  public Rule {
    Role.checkName("rule", name);
    Role.checkName("role", role);
    if (protocol == null) {
      throw new PolicyException("rule \"" + name + "\" has no protocol");
    }
    dev.egret.net.Protocols.parse(protocol);
    ports = List.copyOf(ports == null ? List.of() : ports);
    icmpTypes = List.copyOf(icmpTypes == null ? List.of() : icmpTypes);
    if (destination == null) {
      throw new PolicyException("rule \"" + name + "\" has no destination");
    }
    boolean portProto = protocol.equals("tcp") || protocol.equals("udp");
    if (!portProto && !ports.isEmpty()) {
      throw new PolicyException("rule \"" + name + "\": ports need tcp or udp, not " + protocol);
    }
    boolean icmp = protocol.equals("icmp") || protocol.equals("icmp6");
    if (!icmp && !icmpTypes.isEmpty()) {
      throw new PolicyException("rule \"" + name + "\": icmpTypes need icmp or icmp6");
    }
    if (uid != null && uid < 0) {
      throw new PolicyException("rule \"" + name + "\": uid must be 0 or more, not " + uid);
    }
    for (int t : icmpTypes) {
      if (t < 0 || t > 255) {
        throw new PolicyException("rule \"" + name + "\": ICMP type out of range: " + t);
      }
    }
  }

  /** The same rule for every user (a router cannot tell users apart). */
  public Rule forEveryUser() {
    return new Rule(name, role, protocol, ports, icmpTypes, destination, broad, exposure, evidence);
  }

  public int protocolNumber() {
    return dev.egret.net.Protocols.parse(protocol);
  }
}
