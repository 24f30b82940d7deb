package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link CheckEqualsKernel} with IPv6: three days of {@code egret synth} traffic (hosts on IPv4 and
 * on IPv6, TLS, HTTP, SSH, SMTP, NTP, DNS, pings), a policy learned from all of it with every
 * connection as evidence (rules for a destination, "any destination" ones, anomalies) and {@code
 * egret check} on the same capture (what the policy leaves to review is blocked). Every distinct
 * (source, destination, protocol, port) of it is probed, IPv4 and IPv6, with crafted probes from
 * every host of each family: from source port 22 (keep-access) and 53 to a destination never seen,
 * to another host's keep-access port, ICMP and ICMPv6 echo to another host, every common service
 * from the hosts in no role, and from outside towards every host.
 */
class CheckEqualsKernelDualStackTest extends CheckEqualsKernel {
  static final String NEVER_SEEN = "198.51.100.200";
  static final String NEVER_SEEN6 = "2001:db8:c8::200";
  static final String NO_ROLE = "10.1.1.99";
  static final String NO_ROLE6 = "fd00:1:0:1::99";

  @Override
  Set<String> scenario() throws IOException {
    Path capture = dir.resolve("three-days.pcap");
    egret(
        0,
        "synth",
        "-o",
        capture.toString(),
        "--size",
        "3M",
        "--days",
        "3",
        "--hosts",
        "8",
        "--seed",
        "3");
    Path learned = dir.resolve("learned.json");
    egret(0, "learn", capture.toString(), "-b", learned.toString());
    // Every connection counts as evidence: as many IPv6 rules as there are IPv6 destinations,
    // "any destination" ones too, for the kernel to enforce (the defaults leave most of this
    // capture's few IPv6 connections to review).
    policy(learned, "--min-flows", "1", "--min-days", "1");
    Set<String> sources = checked(capture, 0);
    Set<String> v6 = roleHosts(false);
    assertTrue(v6.size() >= 2, "roles of IPv6 hosts: " + v6);
    sources.addAll(v6);
    sources.addAll(roleHosts(true));
    Set<String> inRole = new TreeSet<>(v6);
    inRole.addAll(roleHosts(true));
    // A host of the site that learned nothing, or one that took a new address: in no role.
    sources.addAll(List.of(NO_ROLE, NO_ROLE6));
    Set<String> echoed = new TreeSet<>();
    for (String s : sources) {
      boolean six = s.contains(":");
      String never = six ? NEVER_SEEN6 : NEVER_SEEN;
      crafted(s + " tcp " + never + " 4444 22", "keep-access source port 22, never seen");
      crafted(s + " udp " + never + " 4444 53", "source port 53, never seen");
      String neighbour = neighbour(sources, s);
      crafted(s + " tcp " + neighbour + " 22 0", "another host of the site, its keep-access port");
      crafted(s + (six ? " icmp6 " : " icmp ") + neighbour + (six ? " 128 0" : " 8 0"), "echo");
      inbound(s);
      if (!inRole.contains(s)) {
        for (String p : List.of("tcp 443", "tcp 80", "udp 53", "udp 123", "tcp 25", "tcp 22")) {
          String[] w = p.split(" ");
          crafted(s + " " + w[0] + " " + never + " " + w[1] + " 0", "a host in no role");
        }
      }
    }
    for (String p : expected.keySet()) {
      String[] w = p.split(" ");
      if (w[1].startsWith("icmp")) {
        echoed.add(w[2]);
      }
    }
    assertTrue(!inRole.contains(NO_ROLE) && !inRole.contains(NO_ROLE6), "in a role: " + inRole);
    this.echoed = echoed;
    return sources;
  }

  private Set<String> echoed = Set.of();

  @Override
  void prepared() throws IOException {
    bed.answerEcho(echoed);
  }

  @Override
  String hostModeWarning(String host) {
    return host.equals(NO_ROLE) || host.equals(NO_ROLE6) ? "is in no role of the policy" : null;
  }

  /** Another host of the site of the same family. */
  private static String neighbour(Set<String> sources, String s) {
    boolean six = s.contains(":");
    return sources.stream()
        .filter(o -> !o.equals(s) && o.contains(":") == six)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no other host of the family of " + s));
  }

  @Override
  int minimumProbes() {
    return 250;
  }
}
