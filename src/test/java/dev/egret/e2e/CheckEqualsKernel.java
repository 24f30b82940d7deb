package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Entry;
import dev.egret.cli.Egret;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyChecker;
import dev.egret.policy.PolicyYaml;
import dev.egret.policy.Rule;
import dev.egret.testutil.Requirements;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What {@code egret check} says is what the kernel does, for one scenario a subclass sets up: a
 * policy learned with the defaults, the distinct (source, destination, protocol, port) of a capture
 * that {@code egret check} judged, and crafted probes judged by the checker behind it. Then, for
 * nftables and iptables (with ipset), in gateway mode (rules on the router) and in host mode (each
 * host's own {@code --host} rules), every probe is really attempted from its source's namespace
 * ({@link KernelTestBed}). Each kernel verdict must equal check's; the failure lists every
 * disagreement with the rule involved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CheckEqualsKernel {
  static final String OUTSIDE = KernelTestBed.OUTSIDE_ADDR;
  static final String OUTSIDE6 = KernelTestBed.OUTSIDE_ADDR6;
  static final String NEVER_SEEN = "198.51.100.200";
  static final String NEVER_SEEN6 = "2001:db8:c8::200";

  Path dir;
  KernelTestBed bed;
  Policy policy;
  Path policyFile;

  /** Probe ({@code source proto destination port sourcePort}) to check's verdict. */
  final Map<String, Boolean> expected = new TreeMap<>();

  final Map<String, String> why = new TreeMap<>();

  /**
   * Writes the scenario's policy ({@link #policy(Path, String...)}), fills {@link #expected} (see
   * {@link #checked} and {@link #crafted}) and returns the host addresses the test bed must have.
   */
  abstract Set<String> scenario() throws IOException;

  /** The smallest number of probes the scenario must make, so that a broken set-up fails. */
  abstract int minimumProbes();

  /** Host mode for the host with this address: what compile must say on stderr, or null. */
  String hostModeWarning(String host) {
    return null;
  }

  @BeforeAll
  void setUp() throws IOException {
    if (!Requirements.root()) {
      Requirements.unavailable("the check == kernel test needs root (network namespaces)");
    }
    List<String> missing =
        Requirements.missing(
            "ip", "nft", "iptables-restore", "ip6tables-restore", "ipset", "ping", "python3");
    if (!missing.isEmpty()) {
      Requirements.unavailable("the check == kernel test needs " + String.join(", ", missing));
    }
    dir = Files.createTempDirectory("egret-kernel");
    Set<String> sources = scenario();
    assertTrue(expected.size() >= minimumProbes(), "probes: " + expected.size());
    bed = KernelTestBed.create(new ArrayList<>(sources));
    Set<String> echoed = new TreeSet<>();
    for (String p : expected.keySet()) {
      String[] w = p.split(" ");
      if (w[1].startsWith("icmp")) {
        echoed.add(w[2]);
      }
    }
    bed.answerEcho(echoed);
  }

  @AfterAll
  void tearDown() throws IOException {
    try {
      if (bed != null) {
        bed.close();
      }
    } finally {
      if (dir != null) {
        try (Stream<Path> s = Files.walk(dir)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  /** Writes the policy of {@code baseline} (the defaults, unless options say otherwise). */
  void policy(Path baseline, String... options) throws IOException {
    policyFile = dir.resolve("policy.yaml");
    List<String> args = new ArrayList<>(List.of("policy", baseline.toString()));
    args.addAll(List.of(options));
    args.addAll(List.of("-o", policyFile.toString()));
    egret(0, args.toArray(String[]::new));
    policy = PolicyYaml.read(policyFile);
  }

  /**
   * Runs {@code egret check} on {@code capture} and makes each distinct (host, destination,
   * protocol, port) of it a probe with check's verdict; the hosts (of {@code family} 4 or 6, 0 for
   * both) with such probes.
   */
  Set<String> checked(Path capture, int family) throws IOException {
    String csv =
        egret(
            1,
            "check",
            "--policy",
            policyFile.toString(),
            "--no-resolver", // the test bed has no resolver feeding the name sets
            "--csv",
            capture.toString());
    Set<String> blocked = new HashSet<>();
    for (String line : csv.split("\n")) {
      String[] f = line.split(",");
      if (f.length >= 4 && !f[0].equals("host")) {
        blocked.add(f[0] + " " + f[2] + " " + f[1] + " " + f[3] + " 0");
      }
    }
    Path seen = dir.resolve(capture.getFileName() + ".json");
    egret(0, "learn", capture.toString(), "-b", seen.toString());
    Set<String> sources = new TreeSet<>();
    for (Entry e : BaselineJson.read(seen).entries()) {
      IpAddress h = IpAddress.parse(e.host());
      if (h.isV4() != IpAddress.parse(e.destination()).isV4()
          || (family == 4 && !h.isV4())
          || (family == 6 && h.isV4())) {
        continue;
      }
      String p = e.host() + " " + e.protocol() + " " + e.destination() + " " + e.port() + " 0";
      expected.put(p, !blocked.remove(p));
      why.put(p, "seen in " + capture.getFileName());
      sources.add(e.host());
    }
    blocked.removeIf(p -> (family == 4 && p.contains(":")) || (family == 6 && !p.contains(":")));
    assertTrue(blocked.isEmpty(), "check blocked what the capture's baseline lacks: " + blocked);
    return sources;
  }

  /** The role hosts of the policy (single addresses), IPv4 or IPv6. */
  Set<String> roleHosts(boolean v4) {
    Set<String> out = new TreeSet<>();
    for (var r : policy.roles()) {
      r.hosts().stream()
          .filter(c -> c.isV4() == v4 && c.prefixLength() == (v4 ? 32 : 128))
          .forEach(c -> out.add(c.toString().replaceAll("/\\d+$", "")));
    }
    return out;
  }

  /** A probe whose expected verdict is what the checker behind {@code egret check} says. */
  void crafted(String probe, String what) {
    expected.put(probe, allowingRule(probe) != null);
    why.put(probe, what);
  }

  /** The rule that lets probe {@code source proto destination port ...} through, or null. */
  private Rule allowingRule(String probe) {
    String[] w = probe.split(" ");
    return new PolicyChecker(policy)
        .allowingRule(
            IpAddress.parse(w[0]),
            IpAddress.parse(w[2]),
            Protocols.parse(w[1]),
            Integer.parseInt(w[3]));
  }

  /**
   * Crafted probes from each of {@code sources}, to a destination of its family: from source port
   * 22 (keep-access) and from 53 and 123 (replies' ports) to one never seen, to another host's SSH,
   * echo to another host, and inbound from outside.
   */
  void fromEveryHost(Set<String> sources) {
    for (String s : sources) {
      boolean six = s.contains(":");
      String never = six ? NEVER_SEEN6 : NEVER_SEEN;
      crafted(s + " tcp " + never + " 4444 22", "keep-access source port 22, never seen");
      crafted(s + " udp " + never + " 41234 53", "source port 53, never seen");
      crafted(s + " udp " + never + " 41234 123", "source port 123, never seen");
      String neighbour =
          sources.stream()
              .filter(o -> !o.equals(s) && o.contains(":") == six)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no other host of the family of " + s));
      crafted(s + " tcp " + neighbour + " 22 0", "another host of the site, its keep-access port");
      crafted(s + (six ? " icmp6 " : " icmp ") + neighbour + (six ? " 128 0" : " 8 0"), "echo");
      inbound(s);
    }
  }

  /** From outside towards {@code host}: not egress, so no ruleset of egret's may stop it. */
  void inbound(String host) {
    for (String port : List.of("22", "443")) {
      String from = host.contains(":") ? OUTSIDE6 : OUTSIDE;
      String p = KernelTestBed.WORLD + " tcp " + host + " " + port + " 0 " + from;
      expected.put(p, true);
      why.put(p, "inbound from outside, not egress");
    }
  }

  @Test
  void nftablesGatewayMode() throws IOException {
    gateway("nftables");
  }

  @Test
  void iptablesGatewayMode() throws IOException {
    gateway("iptables");
  }

  @Test
  void nftablesHostMode() throws IOException {
    host("nftables");
  }

  @Test
  void iptablesHostMode() throws IOException {
    host("iptables");
  }

  private void gateway(String target) throws IOException {
    Path out = dir.resolve(target + "-gateway");
    egret(
        0,
        "compile",
        "--target",
        target,
        "--mode",
        "gateway",
        policyFile.toString(),
        "-o",
        out.toString());
    bed.unload();
    try {
      load(bed.router, target, out);
      compare(target + " gateway");
    } finally {
      bed.unload();
    }
  }

  private void host(String target) throws IOException {
    bed.unload();
    try {
      for (var h : bed.hosts.entrySet()) {
        Path out = dir.resolve(target + "-host-" + h.getKey().replace(':', '_'));
        String err =
            egret(
                0,
                "compile",
                "--target",
                target,
                "--host",
                h.getKey(),
                policyFile.toString(),
                "-o",
                out.toString());
        String warning = hostModeWarning(h.getKey());
        if (warning != null) {
          assertTrue(err.contains(warning), err);
        }
        load(h.getValue(), target, out);
      }
      compare(target + " host");
    } finally {
      bed.unload();
    }
  }

  private void load(String ns, String target, Path out) throws IOException {
    if (target.equals("nftables")) {
      bed.sh(ns, "nft -f " + out.resolve("egret.nft"));
      return;
    }
    if (Files.exists(out.resolve("ipset.conf"))) {
      bed.sh(ns, "ipset restore -exist < " + out.resolve("ipset.conf"));
    }
    bed.sh(ns, "iptables-restore --noflush " + out.resolve("rules.v4"));
    if (Files.exists(out.resolve("rules.v6"))) {
      bed.sh(ns, "ip6tables-restore --noflush " + out.resolve("rules.v6"));
    }
  }

  private void compare(String config) throws IOException {
    Map<String, List<String>> bySource = new TreeMap<>();
    for (String p : expected.keySet()) {
      int sp = p.indexOf(' ');
      bySource.computeIfAbsent(p.substring(0, sp), k -> new ArrayList<>()).add(p.substring(sp + 1));
    }
    Map<String, Boolean> kernel = bed.probe(bySource);
    List<String> disagreements = new ArrayList<>();
    int allowed = 0;
    for (var e : expected.entrySet()) {
      Boolean k = kernel.get(e.getKey());
      if (Boolean.TRUE.equals(k)) {
        allowed++;
      }
      if (!e.getValue().equals(k)) {
        disagreements.add(describe(e.getKey(), e.getValue(), k));
      }
    }
    assertTrue(
        disagreements.isEmpty(),
        config
            + ": "
            + disagreements.size()
            + " of "
            + expected.size()
            + " probes disagree with check:\n"
            + String.join("\n", disagreements));
    long blocked = expected.values().stream().filter(v -> !v).count();
    assertTrue(
        allowed > 10 && blocked > 10, config + ": allowed " + allowed + ", blocked " + blocked);
    // Neither family may pass by everything getting through or nothing: each has probes allowed
    // and probes blocked.
    for (boolean six : new boolean[] {false, true}) {
      int[] verdicts = new int[2];
      for (var e : expected.entrySet()) {
        String[] w = e.getKey().split(" ");
        if (!w[0].equals(KernelTestBed.WORLD) && w[2].contains(":") == six) {
          verdicts[e.getValue() ? 1 : 0]++;
        }
      }
      if (verdicts[0] + verdicts[1] > 0) {
        assertTrue(
            verdicts[0] > 5 && verdicts[1] > 5,
            config
                + (six ? " IPv6" : " IPv4")
                + ": blocked "
                + verdicts[0]
                + ", allowed "
                + verdicts[1]);
      }
    }
  }

  private String describe(String probe, boolean check, Boolean kernel) {
    String[] w = probe.split(" ");
    String verdict = kernel == null ? "gave no answer" : kernel ? "allowed it" : "blocked it";
    if (w[0].equals(KernelTestBed.WORLD)) {
      return "  "
          + w[5]
          + " -> "
          + w[2]
          + " "
          + w[1]
          + "/"
          + w[3]
          + " ("
          + why.get(probe)
          + "): kernel "
          + verdict;
    }
    Rule r = allowingRule(probe);
    return "  "
        + w[0]
        + " -> "
        + w[2]
        + " "
        + w[1]
        + "/"
        + w[3]
        + (w[4].equals("0") ? "" : " from port " + w[4])
        + " ("
        + why.get(probe)
        + "): check "
        + (check ? "allows (rule " + (r == null ? "?" : r.name()) + ")" : "blocks (no rule)")
        + ", kernel "
        + verdict;
  }

  /** Runs egret with the expected exit code; returns stdout, or stderr when stdout is empty. */
  static String egret(int code, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int c = Egret.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(code, c, String.join(" ", args) + ": " + err);
    return out.toString().isEmpty() ? err.toString() : out.toString();
  }
}
