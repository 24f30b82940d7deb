package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@link CheckEqualsKernel} on a three-day site from {@code egret synth --site} (web servers, a
 * mail relay, a resolver, workstations, and a database that never talks outward until a reverse
 * shell on the last day): a policy learned with the defaults from the first two days, {@code egret
 * check} on the third, every distinct (source, destination, protocol, port) of it probed, with
 * crafted probes besides: from source port 22 (keep-access) to a destination never seen, to another
 * host's keep-access port, every protocol from the host in no role, ICMP echo from every host; and
 * from outside towards every host, which is not egress and must get through in every configuration.
 */
class CheckEqualsKernelTest extends CheckEqualsKernel {
  static final String DATABASE = "10.1.0.5";
  static final String RESOLVER = "10.1.0.53";

  @Override
  Set<String> scenario() throws IOException {
    Path site = dir.resolve("site");
    egret(0, "synth", "--site", "-o", site.toString(), "--days", "3", "--seed", "7");
    Path learned = dir.resolve("learned.json");
    egret(
        0,
        "learn",
        site.resolve("day1.pcap").toString(),
        site.resolve("day2.pcap").toString(),
        "-b",
        learned.toString());
    policy(learned);
    Set<String> sources = checked(site.resolve("day3.pcap"), 4);
    assertTrue(sources.contains(DATABASE), "the database's reverse shell is on the last day");
    sources.addAll(roleHosts(true));
    for (String s : sources) {
      crafted(s + " tcp " + NEVER_SEEN + " 4444 22", "keep-access source port 22, never seen");
      String neighbour = s.equals(DATABASE) ? RESOLVER : DATABASE;
      crafted(s + " tcp " + neighbour + " 22 0", "another host of the site, its keep-access port");
      inbound(s);
      crafted(s + " icmp " + (s.equals(RESOLVER) ? DATABASE : RESOLVER) + " 8 0", "ICMP echo");
    }
    for (String p :
        List.of(
            "tcp 203.0.113.10 443",
            "tcp 192.0.2.80 80",
            "udp 10.1.0.53 53",
            "udp 192.0.2.123 123",
            "tcp 203.0.113.10 22",
            "tcp 203.0.113.25 25")) {
      crafted(DATABASE + " " + p + " 0", "the host in no role");
    }
    return sources;
  }

  @Override
  int minimumProbes() {
    return 300;
  }

  @Override
  String hostModeWarning(String host) {
    return host.equals(DATABASE) ? "is in no role of the policy" : null;
  }
}
