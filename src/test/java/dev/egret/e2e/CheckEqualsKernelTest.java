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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code egret check} says is what the kernel does. A three-day site from {@code egret synth
 * --site} (web servers, a mail relay, a resolver, workstations, and a database that never talks
 * outward until a reverse shell on the last day); a policy learned with the defaults from the first
 * two days; {@code egret check} on the third. Then, for nftables and iptables (with ipset), in
 * gateway mode (rules on the router) and in host mode (each host's own {@code --host} rules), every
 * distinct (source, destination, protocol, port) of the third day is really attempted from the
 * source's namespace ({@link KernelTestBed}), with crafted probes besides: from source port 22
 * (keep-access) to a destination never seen, to another host's keep-access port, every protocol
 * from the host in no role, ICMP echo from every host; and from outside towards every host, which
 * is not egress and must get through in every configuration. Each kernel verdict must equal
 * check's; the failure lists every disagreement with the rule involved.
 */
class CheckEqualsKernelTest {
  static final String NEVER_SEEN = "198.51.100.200";
  static final String DATABASE = "10.1.0.5";
  static final String RESOLVER = "10.1.0.53";

  static final String OUTSIDE = KernelTestBed.OUTSIDE_ADDR;

  @TempDir static Path dir;
  static KernelTestBed bed;
  static Policy policy;
  static Path policyFile;

  /** Probe ({@code source proto destination port sourcePort}) to check's verdict. */
  static final Map<String, Boolean> expected = new TreeMap<>();

  static final Map<String, String> why = new TreeMap<>();

  @BeforeAll
  static void siteLearnPolicyCheck() throws IOException {
    if (!Requirements.root()) {
      Requirements.unavailable("the check == kernel test needs root (network namespaces)");
    }
    List<String> missing =
        Requirements.missing("ip", "nft", "iptables-restore", "ipset", "ping", "python3");
    if (!missing.isEmpty()) {
      Requirements.unavailable("the check == kernel test needs " + String.join(", ", missing));
    }
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
    policyFile = dir.resolve("policy.yaml");
    egret(0, "policy", learned.toString(), "-o", policyFile.toString());
    policy = PolicyYaml.read(policyFile);
    Path day3 = site.resolve("day3.pcap");
    String csv =
        egret(
            1,
            "check",
            "--policy",
            policyFile.toString(),
            "--no-resolver", // this test bed has no resolver feeding the name sets
            "--csv",
            day3.toString());
    Set<String> blocked = new HashSet<>();
    for (String line : csv.split("\n")) {
      String[] f = line.split(",");
      if (f.length >= 4 && !f[0].equals("host")) {
        blocked.add(f[0] + " " + f[2] + " " + f[1] + " " + f[3] + " 0");
      }
    }
    Path seen = dir.resolve("day3.json");
    egret(0, "learn", day3.toString(), "-b", seen.toString());
    Set<String> sources = new TreeSet<>();
    for (Entry e : BaselineJson.read(seen).entries()) {
      if (!IpAddress.parse(e.host()).isV4() || !IpAddress.parse(e.destination()).isV4()) {
        continue;
      }
      String p = e.host() + " " + e.protocol() + " " + e.destination() + " " + e.port() + " 0";
      expected.put(p, !blocked.remove(p));
      why.put(p, "seen on the last day");
      sources.add(e.host());
    }
    assertTrue(blocked.isEmpty(), "check blocked what the last day's baseline lacks: " + blocked);
    assertTrue(sources.contains(DATABASE), "the database's reverse shell is on the last day");
    for (var r : policy.roles()) {
      r.hosts().stream()
          .filter(c -> c.isV4() && c.prefixLength() == 32)
          .forEach(c -> sources.add(c.toString().replace("/32", "")));
    }
    for (String s : sources) {
      crafted(s + " tcp " + NEVER_SEEN + " 4444 22", "keep-access source port 22, never seen");
      String neighbour = s.equals(DATABASE) ? RESOLVER : DATABASE;
      crafted(s + " tcp " + neighbour + " 22 0", "another host of the site, its keep-access port");
      // From outside towards the site: not egress, so no ruleset of egret's may stop it.
      for (String port : List.of("22", "443")) {
        String p = KernelTestBed.WORLD + " tcp " + s + " " + port + " 0 " + OUTSIDE;
        expected.put(p, true);
        why.put(p, "inbound from outside, not egress");
      }
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
    assertTrue(expected.size() > 300, "probes: " + expected.size());
    bed = KernelTestBed.create(new ArrayList<>(sources));
  }

  /** A probe whose expected verdict is what the checker behind {@code egret check} says. */
  private static void crafted(String probe, String what) {
    String[] w = probe.split(" ");
    boolean ok =
        new PolicyChecker(policy)
            .allows(
                IpAddress.parse(w[0]),
                IpAddress.parse(w[2]),
                Protocols.parse(w[1]),
                Integer.parseInt(w[3]));
    expected.put(probe, ok);
    why.put(probe, what);
  }

  @AfterAll
  static void removeTestBed() throws IOException {
    if (bed != null) {
      bed.close();
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
        Path out = dir.resolve(target + "-host-" + h.getKey());
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
        if (h.getKey().equals(DATABASE)) {
          assertTrue(err.contains("is in no role of the policy"), err);
        }
        load(h.getValue(), target, out);
      }
      compare(target + " host");
    } finally {
      bed.unload();
    }
  }

  private static void load(String ns, String target, Path out) throws IOException {
    if (target.equals("nftables")) {
      bed.sh(ns, "nft -f " + out.resolve("egret.nft"));
      return;
    }
    if (Files.exists(out.resolve("ipset.conf"))) {
      bed.sh(ns, "ipset restore -exist < " + out.resolve("ipset.conf"));
    }
    bed.sh(ns, "iptables-restore --noflush " + out.resolve("rules.v4"));
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
    assertTrue(allowed > 10 && allowed < expected.size() - 100, config + ": allowed " + allowed);
  }

  private static String describe(String probe, boolean check, Boolean kernel) {
    String[] w = probe.split(" ");
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
          + (kernel == null ? "gave no answer" : kernel ? "allowed it" : "blocked it");
    }
    Rule r =
        new PolicyChecker(policy)
            .allowingRule(
                IpAddress.parse(w[0]),
                IpAddress.parse(w[2]),
                Protocols.parse(w[1]),
                Integer.parseInt(w[3]));
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
        + (kernel == null ? "gave no answer" : kernel ? "allowed it" : "blocked it");
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
