package dev.egret.compile;

import dev.egret.net.Protocols;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What each Capirca platform egret can open accepts, as data: the header block its terms sit in,
 * its {@code target::} lines, the file {@code aclgen} writes for it, the longest term name its
 * generator takes, and which of egret's features it can express. Read from python3-capirca 2.0.6
 * (each generator's {@code _TERM_MAX_LENGTH}, {@code _BuildTokens} and its own checks) and checked
 * by running {@code aclgen} on every feature alone.
 *
 * @param name the platform, as given to {@code --platform}
 * @param block the header block whose terms it reads
 * @param targets its {@code target::} lines; one header each when the block says so
 * @param output the file {@code aclgen} writes for it
 * @param termMax longest term name: the generator's limit less what it appends (paloalto 31 less
 *     {@code -N}; gce 53 less {@code -e} and room for {@code -v6} and address chunks {@code -N};
 *     k8s 62 less {@code -e}: its 253 is the Term's, FixTermLength uses the generator's 62; the
 *     rest 62)
 * @param alphabet the characters its term names may have
 * @param protocols the protocols it writes in a form the device takes
 * @param features what else it can express
 * @param portsMax most port ranges in one rule (gce: 256 per firewall rule)
 */
record CapircaPlatform(
    String name,
    Block block,
    List<String> targets,
    String output,
    int termMax,
    CapircaNames.Style alphabet,
    Set<Integer> protocols,
    Set<Feature> features,
    int portsMax) {

  /** Something a policy may need that some platforms cannot express. */
  enum Feature {
    /** {@code icmp-type::}. */
    ICMP_TYPES("ICMP types"),
    /** {@code action:: reject} for what is not allowed. */
    REJECT("action reject"),
    /** A set of sources per role (k8s: one NetworkPolicy selects every pod). */
    ROLES("rules of more than one role, --host picks one"),
    /** Destination ports on protocols other than TCP and UDP (netsh takes them for those only). */
    PORTS_BEYOND_TCP_UDP("ports on a protocol other than tcp and udp"),
    /**
     * A ruleset that allows nothing, on a platform whose deny is implicit (k8s, Windows): Capirca
     * writes nothing for a header without a term.
     */
    NO_RULES("no rule to allow, and its deny is implicit"),
    /** A person's deny decisions ({@code denied}): terms that deny, before the accepting ones. */
    DENY_RULES("deny decisions (a NetworkPolicy only allows)");

    final String reason;

    Feature(String reason) {
      this.reason = reason;
    }
  }

  /** The header blocks of the .pol file, in file order; a block's terms are named for it. */
  enum Block {
    /** Juniper, Cisco, Arista, pf: sources by address, a final deny term. */
    DEVICE(false),
    /** Palo Alto: shorter term names, otherwise as DEVICE. */
    PALOALTO(false),
    /**
     * Windows Firewall: block rules override allow rules there, so no deny term (the outbound
     * default does it); ICMPv6 rules go in an inet6 header, the rest in an inet one.
     */
    WINDOWS(true),
    /** GCE: sources by instance tag, a final deny term to every address. */
    GCE(false),
    /** Kubernetes: one NetworkPolicy for every pod, the deny implicit. */
    K8S(false);

    final boolean headerPerTarget;

    Block(boolean headerPerTarget) {
      this.headerPerTarget = headerPerTarget;
    }
  }

  /** Protocols Capirca names that every packet device and Palo Alto take by name. */
  private static final Set<Integer> NAMED =
      Set.of(
          Protocols.ICMP,
          Protocols.IGMP,
          Protocols.TCP,
          Protocols.UDP,
          Protocols.GRE,
          Protocols.ESP,
          Protocols.AH,
          Protocols.ICMPV6,
          Protocols.SCTP,
          Protocols.VRRP);

  private static final Set<Feature> DEVICE_FEATURES =
      EnumSet.of(
          Feature.ICMP_TYPES,
          Feature.REJECT,
          Feature.ROLES,
          Feature.PORTS_BEYOND_TCP_UDP,
          Feature.NO_RULES,
          Feature.DENY_RULES);

  /** Every platform, in header order. */
  static final List<CapircaPlatform> ALL =
      List.of(
          device("juniper", "juniper egret-egress mixed", "egret.jcl"),
          device("cisco", "cisco egret-egress mixed", "egret.acl"),
          device("arista", "arista egret-egress mixed", "egret.eacl"),
          new CapircaPlatform(
              "paloalto",
              Block.PALOALTO,
              List.of("paloalto from-zone internal to-zone external mixed"),
              "egret.xml",
              28,
              CapircaNames.Style.TERM,
              // PaloAltoFW._SUPPORTED_PROTO_NAMES has no vrrp
              without(NAMED, Protocols.VRRP),
              DEVICE_FEATURES,
              Integer.MAX_VALUE),
          device("packetfilter", "packetfilter egret-egress mixed", "egret.pf"),
          new CapircaPlatform(
              "windows_advfirewall",
              Block.WINDOWS,
              List.of("windows_advfirewall out inet", "windows_advfirewall out inet6"),
              "egret.bat",
              62,
              CapircaNames.Style.TERM,
              // netsh takes tcp, udp, icmpv4/6 and numbers; Capirca writes numbers for ah and
              // vrrp only, and names (gre, esp, igmp, sctp) that netsh rejects for the rest
              Set.of(
                  Protocols.TCP,
                  Protocols.UDP,
                  Protocols.ICMP,
                  Protocols.ICMPV6,
                  Protocols.AH,
                  Protocols.VRRP),
              EnumSet.of(Feature.ICMP_TYPES, Feature.ROLES, Feature.DENY_RULES),
              Integer.MAX_VALUE),
          new CapircaPlatform(
              "gce",
              Block.GCE,
              List.of("gce egret EGRESS mixed"),
              "egret.gce",
              45,
              CapircaNames.Style.STRICT,
              NAMED,
              EnumSet.of(
                  Feature.ROLES,
                  Feature.PORTS_BEYOND_TCP_UDP,
                  Feature.NO_RULES,
                  Feature.DENY_RULES),
              256),
          new CapircaPlatform(
              "k8s",
              Block.K8S,
              List.of("k8s EGRESS"),
              "egret.yml",
              60,
              CapircaNames.Style.STRICT,
              Set.of(Protocols.TCP, Protocols.UDP, Protocols.SCTP),
              EnumSet.of(Feature.PORTS_BEYOND_TCP_UDP),
              Integer.MAX_VALUE));

  private static CapircaPlatform device(String name, String target, String output) {
    return new CapircaPlatform(
        name,
        Block.DEVICE,
        List.of(target),
        output,
        62,
        CapircaNames.Style.TERM,
        NAMED,
        DEVICE_FEATURES,
        Integer.MAX_VALUE);
  }

  private static Set<Integer> without(Set<Integer> s, int p) {
    return s.stream().filter(x -> x != p).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  CapircaPlatform {
    targets = List.copyOf(targets);
    protocols = Set.copyOf(protocols);
    features = Set.copyOf(features);
  }

  static List<String> names() {
    List<String> out = new ArrayList<>();
    ALL.forEach(p -> out.add(p.name()));
    return List.copyOf(out);
  }

  static CapircaPlatform of(String name) {
    for (CapircaPlatform p : ALL) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown Capirca platform " + name);
  }
}
