package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@link CheckEqualsKernel} on the second site, {@code egret synth --site --profile office},
 * designed apart from the first: four days of a directory server, application servers, a build
 * host, printers and workstations, a third of them dual-stack; the default policy learned from the
 * first three days, {@code egret check} on the fourth (a beacon, a payload download, a DNS tunnel,
 * an SSH brute force, a reverse shell on tcp/443, a LAN scan, a device never seen, UDP from source
 * ports 53 and 123), every distinct (source, destination, protocol, port) of it probed over IPv4
 * and IPv6, with crafted probes from every host besides: from source ports 22, 53 and 123 to a
 * destination never seen, another host's SSH, echo, and inbound from outside.
 */
class CheckEqualsKernelOfficeTest extends CheckEqualsKernel {
  @Override
  Set<String> scenario() throws IOException {
    Path site = dir.resolve("office");
    egret(
        0,
        "synth",
        "--site",
        "--profile",
        "office",
        "-o",
        site.toString(),
        "--days",
        "4",
        "--hosts",
        "12",
        "--seed",
        "1");
    Path learned = dir.resolve("learned.json");
    egret(
        0,
        "learn",
        site.resolve("day1.pcap").toString(),
        site.resolve("day2.pcap").toString(),
        site.resolve("day3.pcap").toString(),
        "-b",
        learned.toString());
    policy(learned);
    Set<String> sources = checked(site.resolve("day4.pcap"), 0);
    sources.addAll(roleHosts(true));
    sources.addAll(roleHosts(false));
    assertTrue(sources.stream().anyMatch(s -> s.contains(":")), "IPv6 hosts: " + sources);
    fromEveryHost(sources);
    return sources;
  }

  @Override
  int minimumProbes() {
    return 500;
  }
}
