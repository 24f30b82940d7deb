package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.cli.Egret;
import dev.egret.testutil.Requirements;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop log read back from a real kernel. A network namespace ({@code egd<id>}, a veth pair with
 * 10.77.N.1, IPv6 off) loads a ruleset compiled by egret (host mode: udp/53 to one resolver
 * allowed), user 1001 makes blocked attempts (one TCP connect to port 25, three UDP datagrams to
 * port 5353) and one allowed datagram, and {@code egret drops} must report exactly the two blocked
 * groups with their counts and the user: from NFLOG ({@code compile --log-group}) read live through
 * libpcap's {@code nflog:N} device and from a {@code tcpdump -i nflog:N} capture, for nftables and
 * iptables; and from the kernel log ({@code LOG}, nftables {@code log}).
 *
 * <p>The kernel writes a namespace's LOG lines to the kernel log only when {@code
 * net.netfilter.nf_log_all_netns} is 1 (namespaces' logs are dropped otherwise: a container must
 * not fill the host's log). The kernel-log case sets it to 1 and leaves it so, since a concurrent
 * run of this test may rely on it; its lines carry a prefix unique to the run.
 */
class DropsReadBackTest {
  static final int GROUP = 7;
  static final String SYSCTL = "/proc/sys/net/netfilter/nf_log_all_netns";

  @TempDir static Path dir;
  static String id;
  static String ns;
  static String net;
  static String prefix;
  static Path policy;

  @BeforeAll
  static void namespace() throws IOException {
    if (!Requirements.root()) {
      Requirements.unavailable("the drop log test needs root (network namespaces, nftables)");
      return;
    }
    List<String> missing =
        Requirements.missing("ip", "nft", "iptables-restore", "tcpdump", "setpriv");
    if (!missing.isEmpty()) {
      Requirements.unavailable("the drop log test needs " + String.join(", ", missing));
      return;
    }
    id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    net = "10.77." + ThreadLocalRandom.current().nextInt(1, 250);
    ns = "egd" + id;
    prefix = "egret-t" + id + " ";
    KernelTestBed.root(
        String.join(
            "\n",
            "ip netns add " + ns,
            "ip -n " + ns + " link set lo up",
            "ip netns exec "
                + ns
                + " sysctl -qw net.ipv6.conf.all.disable_ipv6=1"
                + " net.ipv6.conf.default.disable_ipv6=1",
            "ip -n " + ns + " link add d" + id + "a type veth peer name d" + id + "b",
            "ip -n " + ns + " addr add " + net + ".1/24 dev d" + id + "a",
            "ip -n " + ns + " link set d" + id + "a up",
            "ip -n " + ns + " link set d" + id + "b up"),
        30);
    policy = dir.resolve("policy.yaml");
    Files.writeString(
        policy,
        String.join(
            "\n",
            PolicyText.HEADER,
            "roles:",
            "  - {name: web, hosts: [" + net + ".1/32], description: web}",
            "rules:",
            "  - name: web-dns",
            "    role: web",
            "    protocol: udp",
            "    ports: ['53']",
            "    icmpTypes: []",
            "    destination: {any: false, names: [], addresses: [" + net + ".53/32]}",
            "    broad: false",
            "    exposure: 1",
            "    evidence: {flows: 50, days: 7, firstSeen: '2026-11-01T00:00:00Z', lastSeen:"
                + " '2026-11-07T00:00:00Z', hosts: [], names: [], addresses: []}",
            "defaults: {action: drop, allowEstablished: true, allowLoopback: true, logRate: 60,"
                + " logBurst: 20, logPrefix: '"
                + prefix
                + "', keepAccess: [tcp/22]}",
            ""));
  }

  @AfterAll
  static void remove() throws IOException {
    if (ns != null) {
      KernelTestBed.root("ip netns del " + ns + " 2>/dev/null || true", 30);
    }
  }

  /** Blocked: tcp/25 once, udp/5353 three times, as user 1001; allowed: udp/53 once. */
  static final String ATTEMPTS =
      "import socket\n"
          + "t=socket.socket(); t.settimeout(0.3)\n"
          + "try: t.connect(('@N.9',25))\n"
          + "except OSError: pass\n"
          + "u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
          + "for i in range(3):\n"
          + "  try: u.sendto(b'x',('@N.9',5353))\n"
          + "  except OSError: pass\n"
          + "u.sendto(b'x',('@N.53',53))\n";

  static void attempt() throws IOException {
    KernelTestBed.root(
        "ip netns exec "
            + ns
            + " setpriv --reuid 1001 --regid 1001 --clear-groups "
            + KernelTestBed.python()
            + " -c \""
            + ATTEMPTS.replace("@N", net)
            + "\"",
        30);
  }

  /** The groups egret drops must report, as CSV without times: host, uid, dst, proto, port, n. */
  static List<String> expected() {
    return List.of(
        net + ".1,1001," + net + ".9,udp,5353,3", net + ".1,1001," + net + ".9,tcp,25,1");
  }

  static List<String> groups(String csv) {
    List<String> out = new ArrayList<>();
    String[] lines = csv.split("\n");
    assertEquals(
        "host,uid,destination,protocol,port,attempts,first,last,interval_s,periodic,names",
        lines[0]);
    for (String l : Arrays.asList(lines).subList(1, lines.length)) {
      out.add(String.join(",", Arrays.asList(l.split(",", -1)).subList(0, 6)));
    }
    return out;
  }

  static String[] egret(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = Egret.run(args, new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, rc, String.join(" ", args) + ": " + err);
    return new String[] {out.toString(), err.toString()};
  }

  /** Compiles the policy for {@code target}, loads it in the namespace. */
  void load(String target, String... extra) throws IOException {
    Path out = Files.createDirectories(dir.resolve(target + extra.length));
    List<String> args =
        new ArrayList<>(
            List.of("compile", "--target", target, policy.toString(), "-o", out.toString()));
    args.addAll(List.of(extra));
    egret(args.toArray(new String[0]));
    String x = "ip netns exec " + ns + " ";
    KernelTestBed.root(
        x
            + "nft delete table inet egret 2>/dev/null || true\n"
            + x
            + "iptables -F 2>/dev/null || true\n"
            + x
            + "iptables -X 2>/dev/null || true\n"
            + (target.equals("nftables")
                ? x + "nft -f " + out.resolve("egret.nft")
                : x + "iptables-restore " + out.resolve("rules.v4")),
        30);
  }

  @Test
  void nflogLiveAndCapturedForNftablesAndIptables() throws Exception {
    for (String target : List.of("nftables", "iptables")) {
      load(target, "--log-group", Integer.toString(GROUP));
      List<String> cmd =
          List.of(
              "ip",
              "netns",
              "exec",
              ns,
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("java.class.path"),
              "dev.egret.cli.Egret",
              "drops",
              "--log-group",
              Integer.toString(GROUP),
              "--prefix",
              prefix,
              "--for",
              "4s",
              "--format",
              "csv");
      Process live = new ProcessBuilder(cmd).start();
      BufferedReader err =
          new BufferedReader(new InputStreamReader(live.getErrorStream(), StandardCharsets.UTF_8));
      String banner = err.readLine();
      assertEquals(
          "egret: drops: reading NFLOG group "
              + GROUP
              + " for 4s; Ctrl-C prints what was read"
              + " and stops",
          banner);
      attempt();
      String out = new String(live.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(live.waitFor(30, TimeUnit.SECONDS), "egret drops --for 4s ended");
      String rest = err.lines().collect(java.util.stream.Collectors.joining("\n"));
      assertEquals(0, live.exitValue(), target + ": " + out + rest);
      assertEquals(expected(), groups(out), target + " live from nflog:" + GROUP + "; " + rest);
      assertEquals("egret: drops: 4 blocked attempts in 2 groups from 1 host", rest, target);

      // One listener per group: the capture comes after the live read.
      Path pcap = dir.resolve(target + "-nflog.pcap");
      NflogCapture.during(ns, GROUP, pcap, 4, () -> attempt());
      String[] fromFile = egret("drops", pcap.toString(), "--prefix", prefix, "--format", "csv");
      assertEquals(expected(), groups(fromFile[0]), target + " from " + pcap.getFileName());
    }
  }

  @Test
  void kernelLogForNftablesAndIptables() throws Exception {
    if (!Files.isWritable(Path.of(SYSCTL)) || Requirements.missing("dmesg").size() > 0) {
      Requirements.unavailable("the kernel-log case needs " + SYSCTL + " and dmesg");
      return;
    }
    Files.writeString(Path.of(SYSCTL), "1");
    for (String target : List.of("nftables", "iptables")) {
      String tag = prefix.strip() + target.charAt(0) + " ";
      Path p = dir.resolve(target + "-policy.yaml");
      Files.writeString(p, Files.readString(policy).replace(prefix, tag));
      Path out = Files.createDirectories(dir.resolve(target + "-log"));
      egret("compile", "--target", target, p.toString(), "-o", out.toString());
      String x = "ip netns exec " + ns + " ";
      KernelTestBed.root(
          x
              + "nft delete table inet egret 2>/dev/null || true\n"
              + x
              + "iptables -F 2>/dev/null || true\n"
              + x
              + "iptables -X 2>/dev/null || true\n"
              + (target.equals("nftables")
                  ? x + "nft -f " + out.resolve("egret.nft")
                  : x + "iptables-restore " + out.resolve("rules.v4")),
          30);
      attempt();
      Path log = dir.resolve(target + "-kern.log");
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        lines = KernelTestBed.root("dmesg", 30).lines().filter(l -> l.contains(tag)).toList();
        if (lines.size() >= 4) {
          break;
        }
        Thread.sleep(200);
      }
      Files.write(log, lines);
      String[] r = egret("drops", log.toString(), "--prefix", tag, "--format", "csv");
      assertEquals(expected(), groups(r[0]), target + " from the kernel log:\n" + lines);
    }
  }
}
