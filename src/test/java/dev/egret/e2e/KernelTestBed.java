package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A site in network namespaces: a router ({@code egk<id>r}), a world ({@code egk<id>w}) behind it
 * that owns every address not inside the site (a local route for 0.0.0.0/0, and for ::/0 when the
 * site has IPv6 hosts) and one namespace per internal host address, IPv4 or IPv6 ({@code
 * egk<id>h<n>}), each joined to the router by a veth pair. The world and every host answer on every
 * TCP and UDP port: nat prerouting redirects new connections to a catch-all listener on port 9 that
 * accepts TCP and echoes UDP; the hosts' kernels answer ICMP and ICMPv6 echo. So a connection
 * attempt fails only where a firewall stops it. Everything made here is removed by {@link
 * #close()}; addresses exist only inside the namespaces.
 */
final class KernelTestBed implements AutoCloseable {
  /** Accepts every TCP connection and echoes every UDP datagram on port 9, IPv4 and IPv6. */
  static final String CATCH_ALL =
      "import socket,threading\n"
          + "def dual(kind):\n"
          + "  s=socket.socket(socket.AF_INET6,kind)\n"
          + "  s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
          + "  s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,0); s.bind(('::',9)); return s\n"
          + "t=dual(socket.SOCK_STREAM); t.listen(4096)\n"
          + "u=dual(socket.SOCK_DGRAM)\n"
          + "def echo():\n"
          + "  while True:\n"
          + "    d,a=u.recvfrom(2048); u.sendto(d,a)\n"
          + "threading.Thread(target=echo,daemon=True).start()\n"
          + "print('ready',flush=True)\n"
          + "while True:\n"
          + "  c,_=t.accept(); c.close()\n";

  /**
   * Runs probes given on stdin ({@code id proto destination port sourcePort [sourceAddress]}, one a
   * line), 64 at a time, and prints {@code id allowed} or {@code id blocked} for each: a TCP
   * connect or a UDP answer or an ICMP echo reply within 1.5 s is allowed. A probe that fails is
   * tried once more before it counts as blocked: on a loaded machine, with every namespace probing
   * at once, a SYN or a datagram is now and then lost to a full queue, not to a firewall.
   */
  static final String PROBE =
      "import socket,sys,subprocess\n"
          + "from concurrent.futures import ThreadPoolExecutor\n"
          + "def attempt(proto,dst,port,sport,saddr):\n"
          + "  try:\n"
          + "    if proto.startswith('icmp'):\n"
          + "      r=subprocess.run(['ping','-6' if ':' in dst else '-4','-n','-q','-c1','-W1.5',dst],"
          + "stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)\n"
          + "      return r.returncode==0\n"
          + "    kind=socket.SOCK_STREAM if proto=='tcp' else socket.SOCK_DGRAM\n"
          + "    fam=socket.AF_INET6 if ':' in dst else socket.AF_INET\n"
          + "    s=socket.socket(fam,kind); s.settimeout(1.5)\n"
          + "    s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
          + "    try:\n"
          + "      if int(sport) or saddr: s.bind((saddr,int(sport)))\n"
          + "      if proto=='tcp':\n"
          + "        s.connect((dst,int(port))); return True\n"
          + "      s.sendto(b'egret-probe',(dst,int(port))); s.recvfrom(2048); return True\n"
          + "    finally:\n"
          + "      s.close()\n"
          + "  except OSError:\n"
          + "    return False\n"
          + "def probe(line):\n"
          + "  w=line.split(); i,proto,dst,port,sport=w[:5]; saddr=w[5] if len(w)>5 else ''\n"
          + "  return i,attempt(proto,dst,port,sport,saddr) or attempt(proto,dst,port,sport,saddr)\n"
          + "lines=[l for l in sys.stdin.read().split('\\n') if l.strip()]\n"
          + "with ThreadPoolExecutor(64) as ex:\n"
          + "  for i,ok in ex.map(probe,lines):\n"
          + "    print(i,'allowed' if ok else 'blocked',flush=True)\n";

  /** The source of {@link #probe} probes made from the world namespace. */
  static final String WORLD = "world";

  /** The address, outside the site, that probes from the world come from. */
  static final String OUTSIDE_ADDR = "203.0.113.77";

  /** The IPv6 address, outside the site, that probes from the world come from. */
  static final String OUTSIDE_ADDR6 = "2001:db8:77::77";

  static final String ROUTER_ADDR = "172.31.255.1";
  static final String WORLD_ADDR = "172.31.255.2";
  static final String HOST_GATEWAY = "169.254.0.1";
  static final String ROUTER_ADDR6 = "fd7f:ffff::1";
  static final String WORLD_ADDR6 = "fd7f:ffff::2";
  static final String HOST_GATEWAY6 = "fe80::1";

  final String router;
  final String world;

  /** Host address to its namespace. */
  final Map<String, String> hosts = new LinkedHashMap<>();

  private final String id;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> listeners = new ArrayList<>();

  private KernelTestBed(String id) {
    this.id = id;
    this.router = "egk" + id + "r";
    this.world = "egk" + id + "w";
  }

  /** A test bed with one namespace per address in {@code hostAddresses} (IPv4 or IPv6). */
  static KernelTestBed create(List<String> hostAddresses) throws IOException {
    String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    KernelTestBed bed = new KernelTestBed(id);
    try {
      bed.build(hostAddresses);
    } catch (IOException | RuntimeException | Error e) {
      bed.close();
      throw e;
    }
    return bed;
  }

  private void build(List<String> addresses) throws IOException {
    StringBuilder sh = new StringBuilder();
    namespaces.add(router);
    namespaces.add(world);
    for (int i = 0; i < addresses.size(); i++) {
      String ns = "egk" + id + "h" + i;
      hosts.put(addresses.get(i), ns);
      namespaces.add(ns);
    }
    boolean v6 = addresses.stream().anyMatch(a -> a.contains(":"));
    for (String ns : namespaces) {
      sh.append("ip netns add ").append(ns).append('\n');
      sh.append("ip -n ").append(ns).append(" link set lo up\n");
      sh.append(exec(ns))
          .append("sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0")
          .append(
              v6
                  ? " net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0\n"
                  : " net.ipv6.conf.all.disable_ipv6=1\n");
    }
    sh.append(exec(router)).append("sysctl -qw net.ipv4.ip_forward=1");
    sh.append(v6 ? " net.ipv6.conf.all.forwarding=1\n" : "\n");
    String rw = "k" + id + "rw";
    String wr = "k" + id + "wr";
    link(sh, rw, router, ROUTER_ADDR + "/30", wr, world, WORLD_ADDR + "/30");
    route(sh, router, "default via " + WORLD_ADDR);
    // The world owns every address but the site's hosts, whose traffic goes back to the router.
    // (ICMP echo to such an address gets no reply: the kernel answers only from addresses in the
    // local table, so echo probes go to hosts of the site.)
    route(sh, world, "local 0.0.0.0/0 dev lo table 100");
    sh.append("ip -n ").append(world).append(" rule add pref 999 to ");
    sh.append(ROUTER_ADDR).append("/30 lookup main\n");
    if (v6) {
      address(sh, router, ROUTER_ADDR6 + "/126", rw);
      address(sh, world, WORLD_ADDR6 + "/126", wr);
      route(sh, router, "default via " + WORLD_ADDR6);
      route(sh, world, "local ::/0 dev lo table 100");
      sh.append("ip -6 -n ").append(world).append(" rule add pref 999 to ");
      sh.append(ROUTER_ADDR6).append("/126 lookup main\n");
    }
    int i = 0;
    for (var h : hosts.entrySet()) {
      String a = "k" + id + "h" + i + "a";
      String b = "k" + id + "h" + i + "b";
      String host = h.getKey();
      boolean six = host.contains(":");
      String len = six ? "/128" : "/32";
      String gateway = six ? HOST_GATEWAY6 : HOST_GATEWAY;
      link(sh, a, h.getValue(), host + len, b, router, gateway + (six ? "/64" : "/32"));
      route(sh, h.getValue(), "default via " + gateway + " dev " + a + (six ? "" : " onlink"));
      route(sh, router, host + len + " dev " + b);
      route(sh, world, host + len + " via " + (six ? ROUTER_ADDR6 : ROUTER_ADDR));
      sh.append("ip ").append(six ? "-6 " : "").append("-n ").append(world);
      sh.append(" rule add pref 1000 to ").append(host).append(len).append(" lookup main\n");
      i++;
    }
    sh.append("ip -n ").append(world).append(" rule add pref 1001 lookup 100\n");
    // The addresses the world's probes come from (local ones: the kernel routes only those).
    address(sh, world, OUTSIDE_ADDR + "/32", "lo");
    if (v6) {
      sh.append("ip -6 -n ").append(world).append(" rule add pref 1001 lookup 100\n");
      address(sh, world, OUTSIDE_ADDR6 + "/128", "lo");
    }
    List<String> answering = new ArrayList<>(hosts.values());
    answering.add(world);
    for (String ns : answering) {
      sh.append(exec(ns))
          .append("nft -f - <<'EOF'\n")
          .append("table inet egkprobe {\n")
          .append("\tchain pre {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n")
          .append("\t\tmeta l4proto { tcp, udp } redirect to :9\n\t}\n}\nEOF\n");
    }
    root(sh.toString(), 60);
    for (String ns : answering) {
      Process p =
          new ProcessBuilder("ip", "netns", "exec", ns, python(), "-c", CATCH_ALL)
              .redirectErrorStream(true)
              .start();
      listeners.add(p);
      String line =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertEquals("ready", line, "catch-all listener in " + ns);
    }
  }

  private static void link(
      StringBuilder sh, String a, String nsA, String addrA, String b, String nsB, String addrB) {
    sh.append("ip link add ").append(a).append(" type veth peer name ").append(b).append('\n');
    sh.append("ip link set ").append(a).append(" netns ").append(nsA).append('\n');
    sh.append("ip link set ").append(b).append(" netns ").append(nsB).append('\n');
    address(sh, nsA, addrA, a);
    address(sh, nsB, addrB, b);
    sh.append("ip -n ").append(nsA).append(" link set ").append(a).append(" up\n");
    sh.append("ip -n ").append(nsB).append(" link set ").append(b).append(" up\n");
  }

  /** Adds an address; an IPv6 one without duplicate detection, so that it is usable at once. */
  private static void address(StringBuilder sh, String ns, String addr, String dev) {
    sh.append("ip -n ").append(ns).append(" addr add ").append(addr).append(" dev ").append(dev);
    sh.append(addr.contains(":") ? " nodad\n" : "\n");
  }

  private static void route(StringBuilder sh, String ns, String route) {
    sh.append("ip ").append(route.contains(":") ? "-6 " : "").append("-n ").append(ns);
    sh.append(" route add ").append(route).append('\n');
  }

  private static String exec(String ns) {
    return "ip netns exec " + ns + " ";
  }

  static String python() {
    return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3"))
        ? "/usr/bin/python3"
        : "python3";
  }

  /**
   * Makes the world answer ICMP echo to these outside addresses (its kernel answers echo only from
   * addresses it has), as it answers TCP and UDP to every address.
   */
  void answerEcho(java.util.Collection<String> addresses) throws IOException {
    StringBuilder sh = new StringBuilder();
    for (String a : addresses) {
      if (!hosts.containsKey(a)) {
        address(sh, world, a + (a.contains(":") ? "/128" : "/32"), "lo");
      }
    }
    if (sh.length() > 0) {
      root(sh.toString(), 60);
    }
  }

  /** Runs a shell script in namespace {@code ns}; fails the test unless it exits 0. */
  String sh(String ns, String script) throws IOException {
    return root(exec(ns) + "sh -ec '" + script.replace("'", "'\\''") + "'", 60);
  }

  /**
   * Removes every filter egret loaded (nftables table, iptables chains, raw ones included, and
   * sets) everywhere.
   */
  void unload() throws IOException {
    StringBuilder sh = new StringBuilder();
    for (String ns : namespaces) {
      sh.append(exec(ns)).append("nft delete table inet egret 2>/dev/null || true\n");
      sh.append(exec(ns)).append("nft delete table ip filter 2>/dev/null || true\n");
      sh.append(exec(ns)).append("nft delete table ip6 filter 2>/dev/null || true\n");
      sh.append(exec(ns)).append("nft delete table ip raw 2>/dev/null || true\n");
      sh.append(exec(ns)).append("nft delete table ip6 raw 2>/dev/null || true\n");
      sh.append(exec(ns)).append("ipset destroy 2>/dev/null || true\n");
    }
    root(sh.toString(), 60);
  }

  /**
   * The kernel's verdict on each probe, probes run from each source's namespace at once: probe line
   * ({@code proto destination port sourcePort}) to true when it got through.
   */
  Map<String, Boolean> probe(Map<String, List<String>> bySource) throws IOException {
    Map<String, Process> running = new HashMap<>();
    for (var e : bySource.entrySet()) {
      String ns = e.getKey().equals(WORLD) ? world : hosts.get(e.getKey());
      Process p =
          new ProcessBuilder("ip", "netns", "exec", ns, python(), "-c", PROBE)
              .redirectErrorStream(true)
              .start();
      try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
        List<String> ps = e.getValue();
        for (int i = 0; i < ps.size(); i++) {
          w.write(i + " " + ps.get(i) + "\n");
        }
      }
      running.put(e.getKey(), p);
    }
    Map<String, Boolean> out = new HashMap<>();
    for (var e : running.entrySet()) {
      Process p = e.getValue();
      List<String> ps = bySource.get(e.getKey());
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException("probes from " + e.getKey() + " did not finish");
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new IOException(ie);
      }
      for (String line : text.split("\n")) {
        String[] w = line.trim().split(" ");
        if (w.length != 2 || !w[0].matches("\\d+")) {
          throw new IOException("probe output from " + e.getKey() + ": " + text);
        }
        out.put(e.getKey() + " " + ps.get(Integer.parseInt(w[0])), w[1].equals("allowed"));
      }
    }
    return out;
  }

  static String root(String script, int timeoutSeconds) throws IOException {
    Process p =
        new ProcessBuilder("sh", "-ec", script)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + script);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    assertEquals(0, p.exitValue(), script + "\n" + out);
    return out;
  }

  @Override
  public void close() throws IOException {
    for (Process p : listeners) {
      p.destroyForcibly();
    }
    StringBuilder sh = new StringBuilder();
    for (String ns : namespaces) {
      sh.append("ip netns del ").append(ns).append(" 2>/dev/null || true\n");
    }
    root(sh.toString(), 60);
  }
}
