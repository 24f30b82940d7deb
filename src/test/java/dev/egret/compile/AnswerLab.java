package dev.egret.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.net.Cidr;
import dev.egret.policy.Defaults;
import dev.egret.policy.Destination;
import dev.egret.policy.Evidence;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyMetadata;
import dev.egret.policy.PortRange;
import dev.egret.policy.Role;
import dev.egret.policy.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A site behind a router that is its resolver, in four network namespaces joined by veth pairs
 * (names {@code egq-*}, addresses 10.95.N.x only): a workstation of role {@code desk} ({@link
 * #desk}) and a host in no role ({@link #stray}), each on a link of its own to the router, which
 * forwards, holds the gateway-mode rules and runs the site resolver (dnsmasq on its two inside
 * addresses, forwarding upstream); the upstream namespace holds an upstream dnsmasq answering
 * {@link #WEB} with {@link #web} and {@link #API} with {@link #api}, and TCP listeners on 443 and
 * 8443 on those addresses, on {@link #bare}, which no answer gives, and on {@link #seed}.
 *
 * <p>The policy: {@code desk} may reach any address the site resolver answered on tcp/443
 * (resolved-only, {@link #seed} learned), and {@link #API} on tcp/8443 (a name rule, whose name has
 * its own dnsmasq line).
 */
final class AnswerLab implements AutoCloseable {
  static final String WEB = "www.site.example";
  static final String API = "api.other.example";

  /** Resolves NAME at SERVER (A), prints the first address or {@code rcode=N}; connects to PORT. */
  static final String CLIENT =
      "import socket,struct,sys\n"
          + "srv,name,port=sys.argv[1],sys.argv[2],int(sys.argv[3])\n"
          + "q=struct.pack('>HHHHHH',0x4321,0x0100,1,0,0,0)\n"
          + "q+=b''.join(bytes([len(l)])+l.encode() for l in name.split('.'))+b'\\0'\n"
          + "q+=struct.pack('>HH',1,1)\n"
          + "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(3)\n"
          + "s.sendto(q,(srv,53)); r=s.recv(4096)\n"
          + "an=struct.unpack('>H',r[6:8])[0]; i=len(q); out=[]\n"
          + "for _ in range(an):\n"
          + "  if r[i]&0xc0==0xc0: i+=2\n"
          + "  else:\n"
          + "    while r[i]: i+=r[i]+1\n"
          + "    i+=1\n"
          + "  t,c,ttl,l=struct.unpack('>HHIH',r[i:i+10]); i+=10\n"
          + "  if t==1: out.append(socket.inet_ntoa(r[i:i+l]))\n"
          + "  i+=l\n"
          + "if not out: print('rcode=%d' % (r[3]&15)); sys.exit(3)\n"
          + "print(out[0],flush=True)\n"
          + "try: socket.create_connection((out[0],port),timeout=2).close()\n"
          + "except OSError as e: print(e); sys.exit(1)\n";

  final String id;
  final String desk;
  final String stray;
  final String router;
  final String upstream;
  final String deskAddr;
  final String strayAddr;

  /** The router's address on the desk's link and on the stray host's: the site resolver. */
  final String deskGateway;

  final String strayGateway;
  final String dns;
  final String web;
  final String api;
  final String bare;

  /** An address the resolved-only rule learned: allowed from the start. */
  final String seed;

  final Path dir;
  private final Path hosts;
  private final LabProcesses procs;

  AnswerLab(Path dir) throws IOException {
    Tools.require("ip", "nft", "iptables-restore", "ipset", "python3", "dnsmasq");
    this.dir = dir;
    this.procs = new LabProcesses(dir);
    int n = ThreadLocalRandom.current().nextInt(1, 250);
    id = Long.toString(ProcessHandle.current().pid() % 10000) + Integer.toHexString(n);
    desk = "egq-d" + id;
    stray = "egq-s" + id;
    router = "egq-r" + id;
    upstream = "egq-u" + id;
    String net = "10.95." + n + ".";
    deskGateway = net + "1";
    deskAddr = net + "2";
    strayGateway = net + "65";
    strayAddr = net + "66";
    String upstreamGateway = net + "129";
    dns = net + "130";
    web = net + "140";
    bare = net + "142";
    seed = net + "150";
    api = net + "143";
    hosts = dir.resolve("upstream.hosts");
    // dnsmasq drops root for "nobody" and reads its hosts file after that.
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      for (String ns : List.of(desk, stray, router, upstream)) {
        procs.netns(ns);
        sh(ns, "ip link set lo up");
      }
      link(desk, deskAddr + "/26", deskGateway + "/26", "d");
      link(stray, strayAddr + "/26", strayGateway + "/26", "s");
      link(upstream, dns + "/25", upstreamGateway + "/25", "u");
      sh(router, "sysctl -qw net.ipv4.ip_forward=1");
      sh(desk, "ip route add default via " + deskGateway);
      sh(stray, "ip route add default via " + strayGateway);
      StringBuilder up = new StringBuilder("ip route add " + net + "0/25 via " + upstreamGateway);
      for (String addr : List.of(web, bare, api, seed)) {
        up.append(" && ip addr add ").append(addr).append("/25 dev egqu").append(id);
      }
      sh(upstream, up.toString());
      Files.writeString(hosts, web + " " + WEB + "\n" + api + " " + API + "\n");
      Files.setPosixFilePermissions(
          hosts, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      procs.start(
          upstream,
          "upstream-dnsmasq.log",
          "dnsmasq",
          "-k",
          "-C",
          "/dev/null",
          "--no-resolv",
          "--no-hosts",
          "--addn-hosts=" + hosts,
          // Names under example are answered here only: no data for AAAA, not REFUSED.
          "--local=/example/",
          "--listen-address=" + dns,
          "--bind-interfaces",
          "--local-ttl=1",
          "--pid-file=" + dir.resolve("upstream.pid"),
          "--log-facility=-");
      Process listener =
          procs.start(
              upstream, "listener.log", "python3", "-c", NetnsPrograms.SERVER, "0.0.0.0", "443");
      LabProcesses.waitFor(
          () -> Files.readString(dir.resolve("listener.log")).contains("listening"), listener);
      Process other =
          procs.start(
              upstream, "listener2.log", "python3", "-c", NetnsPrograms.SERVER, api, "8443");
      LabProcesses.waitFor(
          () -> Files.readString(dir.resolve("listener2.log")).contains("listening"), other);
    } catch (IOException | RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * Role {@code desk} (the desk host alone): tcp/443 to any address the site resolver answered,
   * {@link #WEB} as evidence; tcp/8443 to {@link #API}, no address learned.
   */
  Policy policy() {
    Evidence ev = new Evidence(10, 2, null, null, List.of(), List.of(), List.of(), null);
    Rule web443 =
        new Rule(
            "desk-web-resolved",
            "desk",
            "tcp",
            List.of(PortRange.of(443)),
            List.of(),
            Destination.anywhere(List.of(WEB)).onlyResolved(List.of(Cidr.parse(seed + "/32"))),
            true,
            -1,
            ev);
    Rule api8443 =
        new Rule(
            "desk-tcp8443-api-other-example",
            "desk",
            "tcp",
            List.of(PortRange.of(8443)),
            List.of(),
            new Destination(false, List.of(API), List.of()),
            false,
            0,
            ev);
    return new Policy(
        Policy.API_VERSION,
        Policy.KIND,
        new PolicyMetadata(null, null, 2, List.of(), 0, 0, 0, null, null, List.of()),
        List.of(new Role("desk", List.of(Cidr.parse(deskAddr + "/32")), "workstations")),
        List.of(web443, api8443),
        Defaults.standard(),
        List.of(),
        List.of());
  }

  /** Loads the compiled gateway rules of {@code target} (nftables or iptables) into the router. */
  void loadRules(String target, CompiledRules rules) throws IOException {
    Path d = dir.resolve(target);
    Tools.writeFiles(d, rules.files());
    if (target.equals("nftables")) {
      sh(router, "nft -f " + d.resolve("egret.nft"));
    } else {
      sh(
          router,
          "ipset restore -exist < "
              + d.resolve("ipset.conf")
              + " && iptables-restore --noflush "
              + d.resolve("rules.v4"));
    }
  }

  /** Starts the site resolver in the router: this configuration, forwarding upstream. */
  void startSiteResolver(CompiledRules dnsmasqConf) throws IOException {
    Path d = dir.resolve(dnsmasqConf.target());
    Tools.writeFiles(d, dnsmasqConf.files());
    Process p =
        procs.start(
            router,
            "site-dnsmasq.log",
            "dnsmasq",
            "-k",
            "-C",
            d.resolve(DnsmasqCompiler.FILE).toString(),
            "--no-resolv",
            "--no-hosts",
            "--server=" + dns,
            "--listen-address=" + deskGateway + "," + strayGateway,
            "--bind-interfaces",
            "--pid-file=" + dir.resolve("site.pid"),
            "--log-facility=-",
            "--log-queries");
    LabProcesses.waitFor(
        () -> Files.readString(dir.resolve("site-dnsmasq.log")).contains("started"), p);
  }

  /** Starts a plain site resolver (no sets), as used with {@code egret resolve}. */
  void startPlainSiteResolver() throws IOException {
    startSiteResolver(
        CompiledRules.of("plain", java.util.Map.of(DnsmasqCompiler.FILE, "# plain\n")));
  }

  /**
   * From {@code ns} (the desk or the stray host): resolves {@code name} at its gateway and connects
   * to the first address on {@code port}. Exit 0: connected; 1: blocked; 3: no answer (the output
   * says {@code rcode=N}). The first line of the output is the address.
   */
  Tools.Result connectByName(String ns, String name, int port) throws IOException {
    String server = ns.equals(desk) ? deskGateway : strayGateway;
    return Tools.run(
        List.of("ip", "netns", "exec", ns, "python3", "-c", CLIENT, server, name, "" + port),
        null,
        20);
  }

  /** From {@code ns}, a connection to {@code addr}:{@code port}, from {@code sourcePort} if > 0. */
  Tools.Result connectTo(String ns, String addr, int port, int sourcePort) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of("ip", "netns", "exec", ns, "python3", "-c", NetnsPrograms.CONNECT, addr));
    cmd.add("" + port);
    if (sourcePort > 0) {
      cmd.add("" + sourcePort);
    }
    return Tools.run(cmd, null, 20);
  }

  String sh(String ns, String script) throws IOException {
    Tools.Result r = Tools.run(List.of("ip", "netns", "exec", ns, "sh", "-ec", script), null, 30);
    assertEquals(0, r.exit(), script + ": " + r.output());
    return r.output();
  }

  String log(String name) throws IOException {
    Path p = dir.resolve(name);
    return Files.exists(p) ? Files.readString(p) : "";
  }

  private void link(String ns, String addr, String routerAddr, String tag) throws IOException {
    String v = "egq" + tag + id;
    String r = "egqr" + tag + id;
    LabProcesses.ip("link", "add", v, "type", "veth", "peer", "name", r);
    LabProcesses.ip("link", "set", v, "netns", ns);
    LabProcesses.ip("link", "set", r, "netns", router);
    sh(ns, "ip addr add " + addr + " dev " + v + " && ip link set " + v + " up");
    sh(router, "ip addr add " + routerAddr + " dev " + r + " && ip link set " + r + " up");
  }

  @Override
  public void close() {
    procs.close();
  }
}
