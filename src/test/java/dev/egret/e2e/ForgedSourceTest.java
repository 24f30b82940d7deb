package dev.egret.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egret.cli.Egret;
import dev.egret.testutil.Requirements;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gateway mode on a real kernel ({@link KernelTestBed}) against a host of the site that forges its
 * source address: host {@link #NARROW} may reach one server on tcp/443, host {@link #WIDE} any
 * address on udp/443. The narrow host sends (1) a datagram from an outside address to the wide
 * host, whose echo would go out to that address as the reply of a connection "from outside",
 * carrying what the narrow host put in it; (2) a datagram from the wide host's address to an
 * outside one on udp/443, under the wide host's rule. The world counts what reaches it: nothing of
 * either, while the wide host's own datagram and probes from outside still get through. The world
 * counts them before its catch-all and drops them, so that no echo goes back and forth.
 *
 * <p>Once with each target that enforces gateway mode: nftables ({@code fib saddr . iif oif
 * missing} in the forward chain) and iptables (raw PREROUTING's {@code -m rpfilter --invert}, both
 * files loaded with iptables-restore and ip6tables-restore as {@code egret apply} does); and once
 * with the iptables files stripped of their raw table section, where both forgeries get out, so
 * that the test is seen to catch the hole.
 */
class ForgedSourceTest {
  static final String NARROW = "10.1.0.10";
  static final String WIDE = "10.1.0.20";
  static final String FORGED_OUTSIDE = "203.0.113.66";
  static final String DROP_BOX = "198.51.100.99";

  @TempDir static Path dir;
  static KernelTestBed bed;

  @BeforeAll
  static void bed() throws IOException {
    if (!Requirements.root()) {
      Requirements.unavailable("the forged source test needs root (network namespaces, nftables)");
      return;
    }
    List<String> missing =
        Requirements.missing("ip", "nft", "iptables-restore", "ip6tables-restore");
    if (!missing.isEmpty()) {
      Requirements.unavailable("the forged source test needs " + String.join(", ", missing));
      return;
    }
    bed = KernelTestBed.create(List.of(NARROW, WIDE));
  }

  @AfterAll
  static void close() throws IOException {
    if (bed != null) {
      bed.close();
    }
  }

  static String rule(String name, String role, String proto, String destination) {
    return String.join(
        "\n",
        "  - name: " + name,
        "    role: " + role,
        "    protocol: " + proto,
        "    ports: ['443']",
        "    icmpTypes: []",
        "    destination: " + destination,
        "    broad: false",
        "    exposure: 1",
        "    evidence: {flows: 50, days: 7, firstSeen: '2026-11-01T00:00:00Z', lastSeen:"
            + " '2026-11-07T00:00:00Z', hosts: [], names: [], addresses: []}");
  }

  /** The packets counted by the world's rule with this comment. */
  static long counted(String listing, String comment) {
    Matcher m =
        Pattern.compile("packets (\\d+) bytes \\d+ drop comment \"" + comment + "\"")
            .matcher(listing);
    assertEquals(true, m.find(), listing);
    return Long.parseLong(m.group(1));
  }

  /**
   * Sends one UDP datagram from {@code source}, an address given to the namespace for the time of
   * the send (not kept: the narrow host would take the wide host's datagrams for its own).
   */
  static void send(String ns, String source, int sport, String destination, int port)
      throws IOException {
    bed.sh(
        ns,
        "added=0\nip addr add "
            + source
            + "/32 dev lo 2>/dev/null && added=1 || true\n"
            + KernelTestBed.python()
            + " -c \"import socket; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);"
            + " s.bind(('"
            + source
            + "',"
            + sport
            + ")); s.sendto(b'egret-forged',('"
            + destination
            + "',"
            + port
            + "))\"\nsleep 0.5\n"
            + "if [ $added = 1 ]; then ip addr del "
            + source
            + "/32 dev lo; fi\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"nftables", "iptables", "iptables-without-raw"})
  void aHostThatForgesItsSourceGetsNothingOut(String variant) throws Exception {
    boolean nft = variant.equals("nftables");
    boolean hole = variant.equals("iptables-without-raw");
    // A source port of its own, so that no connection tracked in an earlier variant is reused.
    int sport = 41000 + Math.floorMod(variant.hashCode(), 1000);
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(
        policy,
        String.join(
            "\n",
            PolicyText.HEADER,
            "roles:",
            "  - {name: narrow, hosts: [" + NARROW + "/32], description: narrow}",
            "  - {name: wide, hosts: [" + WIDE + "/32], description: wide}",
            "rules:",
            rule(
                "narrow-api",
                "narrow",
                "tcp",
                "{any: false, names: [], addresses: [198.51.100.10/32]}"),
            rule("wide-quic", "wide", "udp", "{any: true, names: [], addresses: []}"),
            "defaults: {action: drop, allowEstablished: true, allowLoopback: true, logRate: 3,"
                + " logBurst: 10, logPrefix: 'egret-drop ', keepAccess: [tcp/22]}",
            ""));
    Path out = Files.createDirectories(dir.resolve("gateway-" + variant));
    StringWriter err = new StringWriter();
    int rc =
        Egret.run(
            new String[] {
              "compile",
              "--target",
              nft ? "nftables" : "iptables",
              "--mode",
              "gateway",
              policy.toString(),
              "-o",
              out.toString()
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertEquals(0, rc, err.toString());
    // Each variant starts from an empty router and fresh counters in the world.
    bed.sh(bed.router, "nft flush ruleset");
    bed.sh(bed.world, "nft delete table inet egkcount 2>/dev/null || true");
    if (nft) {
      bed.sh(bed.router, "nft -f " + out.resolve("egret.nft"));
    } else {
      for (String f : List.of("rules.v4", "rules.v6")) {
        String rules = Files.readString(out.resolve(f));
        assertEquals(true, rules.contains("\n*raw\n"), rules);
        if (hole) {
          Files.writeString(
              out.resolve(f), rules.replaceFirst("(?s)\n\\*raw\n.*?\nCOMMIT\n", "\n"));
        }
      }
      bed.sh(
          bed.router,
          "iptables-restore --noflush "
              + out.resolve("rules.v4")
              + "\nip6tables-restore --noflush "
              + out.resolve("rules.v6"));
    }
    bed.sh(
        bed.world,
        "nft -f - <<EOF\n"
            + "table inet egkcount {\n"
            + "\tchain pre {\n\t\ttype filter hook prerouting priority raw; policy accept;\n"
            + "\t\tip saddr "
            + WIDE
            + " ip daddr "
            + FORGED_OUTSIDE
            + " counter drop comment \"reflected\"\n"
            + "\t\tip saddr "
            + WIDE
            + " ip daddr "
            + DROP_BOX
            + " udp dport 443 counter drop comment \"wide\"\n"
            + "\t}\n}\nEOF\n");
    String narrow = bed.hosts.get(NARROW);
    // (1) From an outside address to the wide host, whose catch-all echoes it back to that address.
    send(narrow, FORGED_OUTSIDE, sport, WIDE, 5353);
    // (2) From the wide host's address, on the wide host's rule.
    send(narrow, WIDE, sport, DROP_BOX, 443);
    String forged = bed.sh(bed.world, "nft list table inet egkcount");
    int leaked = hole ? 1 : 0;
    assertEquals(leaked, counted(forged, "reflected"), "the echo of a forged outside source");
    assertEquals(leaked, counted(forged, "wide"), "a datagram forged from the wide host");
    // The wide host's own datagram and a probe from outside still get through.
    send(bed.hosts.get(WIDE), WIDE, sport, DROP_BOX, 443);
    assertEquals(leaked + 1, counted(bed.sh(bed.world, "nft list table inet egkcount"), "wide"));
    String in = KernelTestBed.WORLD + " tcp " + NARROW + " 22 0 " + KernelTestBed.OUTSIDE_ADDR;
    assertEquals(
        true,
        bed.probe(java.util.Map.of(KernelTestBed.WORLD, List.of(in.substring(6)))).get(in),
        "inbound from outside is not egress");
  }
}
