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
    fromEveryHost(sources);
    for (String s : sources) {
      if (!inRole.contains(s)) {
        String never = s.contains(":") ? NEVER_SEEN6 : NEVER_SEEN;
        for (String p : List.of("tcp 443", "tcp 80", "udp 53", "udp 123", "tcp 25", "tcp 22")) {
          String[] w = p.split(" ");
          crafted(s + " " + w[0] + " " + never + " " + w[1] + " 0", "a host in no role");
        }
      }
    }
    assertTrue(!inRole.contains(NO_ROLE) && !inRole.contains(NO_ROLE6), "in a role: " + inRole);
    return sources;
  }

  @Override
  String hostModeWarning(String host) {
    return host.equals(NO_ROLE) || host.equals(NO_ROLE6) ? "is in no role of the policy" : null;
  }

  @Override
  int minimumProbes() {
    return 250;
  }
}
