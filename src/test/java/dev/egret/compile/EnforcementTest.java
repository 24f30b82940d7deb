package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import dev.egret.policy.Defaults;
import dev.egret.policy.Destination;
import dev.egret.policy.Evidence;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyMetadata;
import dev.egret.policy.PortRange;
import dev.egret.policy.Role;
import dev.egret.policy.Rule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled rules really enforce: network namespaces joined by veth pairs (names {@code egc-*},
 * addresses 10.99.x.x inside them only), a TCP listener on 8080 and 8081, a policy that allows
 * tcp/8080 only. With the ruleset loaded, 8080 connects, 8081 does not, and the drop is counted.
 * Host mode loads into the client; gateway mode into a router between client and server.
 */
class EnforcementTest {

  @TempDir Path tmp;
  private final String id = Long.toString(ProcessHandle.current().pid() % 100000);
  private final String client = "egc-c" + id;
  private final String server = "egc-s" + id;
  private final String router = "egc-r" + id;
  private final List<Process> listeners = new ArrayList<>();

  @BeforeEach
  void tools() {
    Tools.require("ip", "nft", "iptables-restore", "ip6tables-restore", "python3");
  }

  @AfterEach
  void cleanUp() throws IOException {
    for (Process p : listeners) {
      p.destroyForcibly();
    }
    for (String ns : List.of(client, server, router)) {
      Tools.run(List.of("ip", "netns", "del", ns), null, 10);
    }
  }

  @Test
  void nftablesHostModeAllowsOnlyThePolicysPort() throws IOException {
    hostTopology();
    load(client, "nftables", hostPolicy("10.99.0.2/32"), hostOptions());
    assertConnects(client, "10.99.0.2", 8080);
    assertBlocked(client, "10.99.0.2", 8081);
    assertTrue(nftDropCount(client) > 0, "the blocked attempt was not counted");
    assertBlocked(client, "10.99.0.2", 8081, 22); // keep-access is no way out ...
    listen(client, "10.99.0.1", "22");
    assertConnects(server, "10.99.0.1", 22); // ... and the operator's way in stays open
  }

  @Test
  void iptablesHostModeAllowsOnlyThePolicysPort() throws IOException {
    hostTopology();
    load(client, "iptables", hostPolicy("10.99.0.2/32"), hostOptions());
    assertConnects(client, "10.99.0.2", 8080);
    assertBlocked(client, "10.99.0.2", 8081);
    String chain = sh(client, "iptables -L EGRET-EGRESS -v -x -n");
    Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\d+\\s+DROP").matcher(chain);
    assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, "drop not counted:\n" + chain);
    assertTrue(chain.contains("LOG"), chain);
    assertBlocked(client, "10.99.0.2", 8081, 22);
    listen(client, "10.99.0.1", "22");
    assertConnects(server, "10.99.0.1", 22);
  }

  @Test
  void nftablesGatewayModeFiltersWhatTheRouterForwards() throws IOException {
    gatewayTopology();
    load(router, "nftables", hostPolicy("10.99.2.2/32"), CompileOptions.gateway());
    assertConnects(client, "10.99.2.2", 8080);
    assertBlocked(client, "10.99.2.2", 8081);
    assertTrue(nftDropCount(router) > 0, "the blocked attempt was not counted");
    assertBlocked(client, "10.99.2.2", 8081, 22); // source port 22 opens nothing
  }

  @Test
  void iptablesGatewayModeFiltersWhatTheRouterForwards() throws IOException {
    gatewayTopology();
    load(router, "iptables", hostPolicy("10.99.2.2/32"), CompileOptions.gateway());
    assertConnects(client, "10.99.2.2", 8080);
    assertBlocked(client, "10.99.2.2", 8081);
    assertBlocked(client, "10.99.2.2", 8081, 22);
  }

  /**
   * An IPv6 host under host-mode rules still resolves its neighbours and answers theirs: neighbour
   * solicitations and advertisements leave through the output hook, and without them (as before
   * egret accepted them) nothing worked, the operator's way in over IPv6 included. Neighbour caches
   * are flushed before each attempt, so each one needs discovery again.
   */
  @Test
  void nftablesHostModeKeepsIpv6NeighbourDiscovery() throws IOException {
    ipv6HostMode("nftables");
    assertTrue(nftDropCount(client) > 0, "the blocked attempt was not counted");
  }

  @Test
  void iptablesHostModeKeepsIpv6NeighbourDiscovery() throws IOException {
    ipv6HostMode("iptables");
    String chain = sh(client, "ip6tables -L EGRET-EGRESS -v -x -n");
    Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\d+\\s+DROP").matcher(chain);
    assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, "drop not counted:\n" + chain);
  }

  private void ipv6HostMode(String target) throws IOException {
    ip("netns", "add", client);
    ip("netns", "add", server);
    for (String ns : List.of(client, server)) {
      sh(ns, "sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0");
    }
    link(client, "fd99::1/64 nodad", server, "fd99::2/64 nodad", "6");
    listen(server, "fd99::2", "8080", "8081");
    Policy p = policy(List.of(Cidr.parse("fd99::1/128")), "fd99::2/128");
    load(
        client,
        target,
        p,
        CompileOptions.builder(CompileOptions.Mode.HOST)
            .hosts(List.of(IpAddress.parse("fd99::1")))
            .build());
    forgetNeighbours();
    assertConnects(client, "fd99::2", 8080);
    forgetNeighbours();
    assertBlocked(client, "fd99::2", 8081);
    assertBlocked(client, "fd99::2", 8081, 22);
    listen(client, "fd99::1", "22");
    forgetNeighbours();
    assertConnects(server, "fd99::1", 22);
  }

  private void forgetNeighbours() throws IOException {
    for (String ns : List.of(client, server)) {
      sh(ns, "ip -6 neigh flush all");
    }
  }

  private static CompileOptions hostOptions() {
    return CompileOptions.builder(CompileOptions.Mode.HOST)
        .hosts(List.of(IpAddress.parse("10.99.0.1")))
        .build();
  }

  /** Role "client" (10.99.0.1 or 10.99.1.2) may open tcp/8080 to the server, nothing else. */
  static Policy hostPolicy(String serverCidr) {
    return policy(List.of(Cidr.parse("10.99.0.1/32"), Cidr.parse("10.99.1.2/32")), serverCidr);
  }

  static Policy policy(List<Cidr> clients, String serverCidr) {
    Role role = new Role("client", clients, "");
    Evidence ev = new Evidence(1, 1, null, null, List.of(), List.of(), List.of(), null);
    Rule rule =
        new Rule(
            "client-web",
            "client",
            "tcp",
            List.of(PortRange.of(8080)),
            List.of(),
            new Destination(false, List.of("server.test"), List.of(Cidr.parse(serverCidr))),
            false,
            0,
            ev);
    return new Policy(
        Policy.API_VERSION,
        Policy.KIND,
        PolicyMetadata.empty(),
        List.of(role),
        List.of(rule),
        Defaults.standard(),
        List.of(),
        List.of());
  }

  private void hostTopology() throws IOException {
    ip("netns", "add", client);
    ip("netns", "add", server);
    link(client, "10.99.0.1/24", server, "10.99.0.2/24", "a");
    listen(server, "10.99.0.2", "8080", "8081");
  }

  private void gatewayTopology() throws IOException {
    ip("netns", "add", client);
    ip("netns", "add", server);
    ip("netns", "add", router);
    link(client, "10.99.1.2/24", router, "10.99.1.1/24", "a");
    link(server, "10.99.2.2/24", router, "10.99.2.1/24", "b");
    sh(router, "sysctl -qw net.ipv4.ip_forward=1");
    sh(client, "ip route add default via 10.99.1.1");
    sh(server, "ip route add default via 10.99.2.1");
    listen(server, "10.99.2.2", "8080", "8081");
  }

  private void link(String a, String aAddr, String b, String bAddr, String tag) throws IOException {
    String va = "egc" + tag + "a" + id;
    String vb = "egc" + tag + "b" + id;
    ip("link", "add", va, "type", "veth", "peer", "name", vb);
    ip("link", "set", va, "netns", a);
    ip("link", "set", vb, "netns", b);
    sh(
        a,
        "ip addr add "
            + aAddr
            + " dev "
            + va
            + " && ip link set "
            + va
            + " up && ip link set lo up");
    sh(
        b,
        "ip addr add "
            + bAddr
            + " dev "
            + vb
            + " && ip link set "
            + vb
            + " up && ip link set lo up");
  }

  private void listen(String ns, String addr, String... ports) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of("ip", "netns", "exec", ns, "python3", "-c", NetnsPrograms.SERVER, addr));
    cmd.addAll(List.of(ports));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    listeners.add(p);
    String line =
        new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
    assertEquals("listening", line, "listener in " + ns + " did not start");
  }

  private void load(String ns, String target, Policy p, CompileOptions o) throws IOException {
    CompiledRules r = CompilerRegistry.get(target).compile(p, o);
    Path dir = tmp.resolve(target);
    java.nio.file.Files.createDirectories(dir);
    Tools.writeFiles(dir, r.files());
    String sets =
        r.files().containsKey("ipset.conf")
            ? "ipset restore -exist < " + dir.resolve("ipset.conf") + " && "
            : "";
    String cmd =
        target.equals("nftables")
            ? "nft -f " + dir.resolve("egret.nft")
            : sets
                + "iptables-restore --noflush "
                + dir.resolve("rules.v4")
                + " && ip6tables-restore --noflush "
                + dir.resolve("rules.v6");
    sh(ns, cmd);
  }

  private long nftDropCount(String ns) throws IOException {
    String out = sh(ns, "nft list chain inet egret egress");
    Matcher m = Pattern.compile("(?m)counter packets (\\d+) bytes \\d+ drop$").matcher(out);
    assertTrue(m.find(), out);
    return Long.parseLong(m.group(1));
  }

  private void assertConnects(String ns, String addr, int port) throws IOException {
    assertEquals(0, connect(ns, addr, port), ns + " could not reach " + addr + ":" + port);
  }

  private void assertBlocked(String ns, String addr, int port) throws IOException {
    assertTrue(connect(ns, addr, port) != 0, ns + " reached " + addr + ":" + port);
  }

  /** Blocked even from a client socket bound to {@code sourcePort}. */
  private void assertBlocked(String ns, String addr, int port, int sourcePort) throws IOException {
    List<String> cmd =
        List.of(
            "ip",
            "netns",
            "exec",
            ns,
            "python3",
            "-c",
            NetnsPrograms.CONNECT,
            addr,
            "" + port,
            "" + sourcePort);
    Tools.Result r = Tools.run(cmd, null, 10);
    assertTrue(
        r.exit() != 0 && r.output().contains("timed out"),
        ns + " reached " + addr + ":" + port + " from source port " + sourcePort + ": " + r);
  }

  private int connect(String ns, String addr, int port) throws IOException {
    return Tools.run(
            List.of(
                "ip", "netns", "exec", ns, "python3", "-c", NetnsPrograms.CONNECT, addr, "" + port),
            null,
            10)
        .exit();
  }

  private static void ip(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Tools.Result r = Tools.run(cmd, null, 20);
    assertEquals(0, r.exit(), String.join(" ", cmd) + ": " + r.output());
  }

  private static String sh(String ns, String script) throws IOException {
    Tools.Result r = Tools.run(List.of("ip", "netns", "exec", ns, "sh", "-ec", script), null, 30);
    assertEquals(0, r.exit(), script + ": " + r.output());
    return r.output();
  }
}
