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
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A site with its own resolver, in two network namespaces joined by a veth pair (names {@code
 * egd-*}, addresses 10.97.N.x only): the client namespace holds the host, its firewall and the site
 * resolver (dnsmasq on 127.0.0.1, forwarding upstream); the upstream namespace holds an upstream
 * dnsmasq answering from a hosts file the test rewrites, and a TCP listener on 8443 on the
 * addresses {@link #seed}, {@link #a}, {@link #b}, {@link #c} and {@link #other}.
 *
 * <p>The policy allows DNS to the upstream only and tcp/8443 to {@code api.example.test}, seeded
 * with {@link #seed} (an address learned earlier that no answer gives any more).
 */
final class DnsLab implements AutoCloseable {
  static final String NAME = "api.example.test";
  static final String OTHER_NAME = "other.example.test";

  /** A name under {@link #NAME}, answered with {@code other}: the rule is for the name alone. */
  static final String SUB_NAME = "evil.api.example.test";

  static final int PORT = 8443;

  /** Resolves a name at the site resolver (127.0.0.1) or takes an address; connects to port. */
  static final String CLIENT =
      "import socket,struct,sys\n"
          + "def resolve(name):\n"
          + "  q=struct.pack('>HHHHHH',0x1234,0x0100,1,0,0,0)\n"
          + "  q+=b''.join(bytes([len(l)])+l.encode() for l in name.split('.'))+b'\\0'\n"
          + "  q+=struct.pack('>HH',1,1)\n"
          + "  s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.settimeout(3)\n"
          + "  s.sendto(q,('127.0.0.1',53)); r=s.recv(4096)\n"
          + "  an=struct.unpack('>H',r[6:8])[0]; i=len(q); out=[]\n"
          + "  for _ in range(an):\n"
          + "    if r[i]&0xc0==0xc0: i+=2\n"
          + "    else:\n"
          + "      while r[i]: i+=r[i]+1\n"
          + "      i+=1\n"
          + "    t,c,ttl,l=struct.unpack('>HHIH',r[i:i+10]); i+=10\n"
          + "    if t==1: out.append(socket.inet_ntoa(r[i:i+l]))\n"
          + "    i+=l\n"
          + "  return out\n"
          + "kind,what,port=sys.argv[1],sys.argv[2],int(sys.argv[3])\n"
          + "addrs=resolve(what) if kind=='name' else [what]\n"
          + "if not addrs: print('no answer'); sys.exit(3)\n"
          + "print(addrs[0],flush=True)\n"
          + "try: socket.create_connection((addrs[0],port),timeout=2).close()\n"
          + "except OSError as e: print(e); sys.exit(1)\n";

  final String id;
  final String client;
  final String upstream;
  final String clientAddr;
  final String dns;
  final String seed;
  final String a;
  final String b;
  final String c;
  final String other;
  final Path dir;
  private final Path hosts;
  private final LabProcesses procs;
  private Process siteResolver;
  private Process capture;

  DnsLab(Path dir) throws IOException {
    Tools.require("ip", "nft", "iptables-restore", "ipset", "python3", "dnsmasq", "tcpdump");
    this.dir = dir;
    this.procs = new LabProcesses(dir);
    int n = ThreadLocalRandom.current().nextInt(1, 250);
    id = Long.toString(ProcessHandle.current().pid() % 10000) + Integer.toHexString(n);
    client = "egd-c" + id;
    upstream = "egd-u" + id;
    String net = "10.97." + n + ".";
    clientAddr = net + "1";
    dns = net + "2";
    seed = net + "20";
    a = net + "10";
    b = net + "11";
    c = net + "12";
    other = net + "13";
    hosts = dir.resolve("upstream.hosts");
    // dnsmasq drops root for "nobody" and reads its hosts file after that.
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      procs.netns(client);
      procs.netns(upstream);
      String vc = "egdc" + id;
      String vu = "egdu" + id;
      LabProcesses.ip("link", "add", vc, "type", "veth", "peer", "name", vu);
      LabProcesses.ip("link", "set", vc, "netns", client);
      LabProcesses.ip("link", "set", vu, "netns", upstream);
      sh(client, "ip addr add " + clientAddr + "/24 dev " + vc + " && ip link set " + vc + " up");
      sh(client, "ip link set lo up");
      StringBuilder up = new StringBuilder("ip link set lo up && ip link set " + vu + " up");
      for (String addr : List.of(dns, seed, a, b, c, other)) {
        up.append(" && ip addr add ").append(addr).append("/24 dev ").append(vu);
      }
      sh(upstream, up.toString());
      answer(a);
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
          // Names under example.test are answered here only: no data for AAAA, not REFUSED.
          "--local=/example.test/",
          "--listen-address=" + dns,
          "--bind-interfaces",
          "--local-ttl=1",
          "--pid-file=" + dir.resolve("upstream.pid"),
          "--log-facility=-");
      Process listener =
          procs.start(
              upstream,
              "listener.log",
              "python3",
              "-c",
              NetnsPrograms.SERVER,
              "0.0.0.0",
              "" + PORT);
      LabProcesses.waitFor(
          () -> Files.readString(dir.resolve("listener.log")).contains("listening"), listener);
    } catch (IOException | RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** The policy: DNS to the upstream, tcp/8443 to {@link #NAME} seeded with {@link #seed}. */
  Policy policy() {
    return policy(List.of(NAME));
  }

  /** The policy, its name rule listing {@code names}. */
  Policy policy(List<String> names) {
    return policy(names, null);
  }

  /** The policy, its name rule listing {@code names} with this hold (seconds, or null). */
  Policy policy(List<String> names, Long hold) {
    Evidence ev = new Evidence(10, 2, null, null, List.of(), List.of(), List.of(), null);
    Rule dnsRule =
        new Rule(
            "client-dns",
            "client",
            "udp",
            List.of(PortRange.of(53, 53)),
            List.of(),
            new Destination(false, List.of(), List.of(Cidr.parse(dns + "/32"))),
            false,
            0,
            ev);
    Rule api =
        new Rule(
            "client-tcp8443-api-example-test",
            "client",
            "tcp",
            List.of(PortRange.of(PORT, PORT)),
            List.of(),
            new Destination(false, names, List.of(Cidr.parse(seed + "/32")), hold),
            false,
            0,
            ev);
    return new Policy(
        Policy.API_VERSION,
        Policy.KIND,
        new PolicyMetadata(null, null, 2, List.of(), 0, 0, 0, null, null, List.of()),
        List.of(new Role("client", List.of(Cidr.parse(clientAddr + "/32")), "the host")),
        List.of(dnsRule, api),
        Defaults.standard(),
        List.of(),
        List.of());
  }

  /**
   * The upstream now answers {@link #NAME} with {@code addr} (and {@link #OTHER_NAME} and {@link
   * #SUB_NAME} with {@code other}).
   */
  void answer(String addr) throws IOException {
    Files.writeString(
        hosts, addr + " " + NAME + "\n" + other + " " + OTHER_NAME + " " + SUB_NAME + "\n");
    Files.setPosixFilePermissions(
        hosts, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    for (Process p : procs.started()) {
      if (p.isAlive() && p.info().commandLine().orElse("").contains("upstream.pid")) {
        // SIGHUP: dnsmasq re-reads its hosts files and clears its cache.
        Tools.run(List.of("kill", "-HUP", "" + p.pid()), null, 5);
      }
    }
  }

  /** Loads the compiled rules of {@code target} (nftables or iptables) into the client. */
  void loadRules(String target, CompiledRules rules) throws IOException {
    Path d = dir.resolve(target);
    Tools.writeFiles(d, rules.files());
    if (target.equals("nftables")) {
      sh(client, "nft -f " + d.resolve("egret.nft"));
    } else {
      sh(
          client,
          "ipset restore -exist < "
              + d.resolve("ipset.conf")
              + " && iptables-restore --noflush "
              + d.resolve("rules.v4"));
    }
  }

  /** Starts the site resolver in the client with egret's configuration, forwarding upstream. */
  void startSiteResolver(CompiledRules dnsmasqConf) throws IOException {
    Path d = dir.resolve(dnsmasqConf.target());
    Tools.writeFiles(d, dnsmasqConf.files());
    siteResolver =
        procs.start(
            client,
            "site-dnsmasq.log",
            "dnsmasq",
            "-k",
            "-C",
            d.resolve(DnsmasqCompiler.FILE).toString(),
            "--no-resolv",
            "--no-hosts",
            "--server=" + dns,
            "--listen-address=127.0.0.1",
            "--bind-interfaces",
            "--pid-file=" + dir.resolve("site.pid"),
            "--log-facility=-",
            "--log-queries");
    LabProcesses.waitFor(
        () -> Files.readString(dir.resolve("site-dnsmasq.log")).contains("started"), siteResolver);
  }

  /** Starts a plain site resolver (no sets), as used with {@code egret resolve}. */
  void startPlainSiteResolver() throws IOException {
    Files.writeString(dir.resolve("plain.conf"), "");
    startSiteResolver(
        CompiledRules.of("plain", java.util.Map.of(DnsmasqCompiler.FILE, "# plain\n")));
  }

  /** Records everything the client sends and receives (loopback included) into {@code file}. */
  private Path captureFile;

  void startCapture(Path file) throws IOException {
    captureFile = file;
    capture =
        procs.start(
            client, "tcpdump.log", "tcpdump", "-i", "any", "-U", "-n", "-w", file.toString());
    LabProcesses.waitFor(
        () -> Files.readString(dir.resolve("tcpdump.log")).contains("listening"), capture);
  }

  /**
   * Stops the capture once the file is complete. tcpdump drops what the kernel still holds for it
   * when it is interrupted, and on a loaded machine it can be seconds behind: so a marker datagram
   * goes to the client's loopback last (not egress: {@code check} leaves it out), and the capture
   * is stopped only once the file holds it (bounded: 30 s), that is after everything before it.
   */
  void stopCapture() throws IOException {
    String marker = "egret-capture-end-" + Long.toHexString(System.nanoTime());
    Tools.run(
        List.of(
            "ip",
            "netns",
            "exec",
            client,
            "python3",
            "-c",
            "import socket,sys; socket.socket(socket.AF_INET,socket.SOCK_DGRAM)"
                + ".sendto(sys.argv[1].encode(),('127.0.0.1',9))",
            marker),
        null,
        10);
    byte[] mark = marker.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = 0; i < 120 && !contains(Files.readAllBytes(captureFile), mark); i++) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }
    Tools.run(List.of("kill", "-INT", "" + capture.pid()), null, 5);
    try {
      capture.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** The site resolver forgets its cache (as when the bounded TTL has run out). */
  void siteCacheExpires() throws IOException {
    Tools.run(List.of("kill", "-HUP", "" + siteResolver.pid()), null, 5);
  }

  /** Exit 0: connected; 1: blocked (timed out or refused); 3: no answer. First line: address. */
  Tools.Result connectByName(String name) throws IOException {
    return Tools.run(
        List.of("ip", "netns", "exec", client, "python3", "-c", CLIENT, "name", name, "" + PORT),
        null,
        20);
  }

  Tools.Result connectTo(String addr) throws IOException {
    return Tools.run(
        List.of("ip", "netns", "exec", client, "python3", "-c", CLIENT, "addr", addr, "" + PORT),
        null,
        20);
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

  @Override
  public void close() {
    procs.close();
  }
}
