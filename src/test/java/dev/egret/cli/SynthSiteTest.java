package dev.egret.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Entry;
import dev.egret.baseline.NameRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code egret synth --site}: files, labels that agree with what egret learns, bad options. */
class SynthSiteTest {
  @TempDir Path dir;

  @Test
  void labelsCountExactlyTheFlowsEgretLearns() throws Exception {
    assertEquals(Map.of(), learnedAndLabelled("shop", "6"));
  }

  /**
   * The office's labels agree with what egret learns too, the UDP datagrams a host sends from port
   * 53 or 123 to a high port on the last day included: they answer no request heard, so they are
   * the host's egress (see "Who started a connection" in the README).
   */
  @Test
  void officeLabelsCountExactlyTheFlowsEgretLearns() throws Exception {
    assertEquals(Map.of(), learnedAndLabelled("office", "8"));
  }

  /**
   * The clinic's labels agree too: SIP from port 5060 to port 5060, RTP and RTCP between high
   * ports, a laptop on an address another laptop had the day before.
   */
  @Test
  void clinicLabelsCountExactlyTheFlowsEgretLearns() throws Exception {
    assertEquals(Map.of(), learnedAndLabelled("clinic", "12"));
  }

  /**
   * Two days of a site of {@code hosts}; asserts every tuple egret learns is labelled with its
   * exact flow count, and returns the labelled tuples egret did not learn.
   */
  private Map<String, Long> learnedAndLabelled(String profile, String hosts) throws Exception {
    Path site = dir.resolve(profile);
    Path baseline = synthAndLearn(profile, hosts);
    Run export = Run.of("baseline", "export", "--csv", baseline.toString());
    assertEquals(0, export.exit(), export::toString);

    Map<String, Long> learned = new TreeMap<>();
    for (String line : export.out().split("\n")) {
      String[] c = line.split(",");
      if (!c[0].equals("host")) {
        learned.merge(c[0] + " " + c[1] + " " + c[3] + " " + c[4], Long.parseLong(c[5]), Long::sum);
      }
    }
    Map<String, Long> labelled = new TreeMap<>();
    List<String> rows = Files.readAllLines(site.resolve("labels.csv"));
    assertEquals(
        "day,source,destination,protocol,port,flows,label,behaviour,direction", rows.get(0));
    for (String line : rows.subList(1, rows.size())) {
      String[] c = line.split(",");
      if (!c[8].equals("inbound")) {
        labelled.merge(
            c[1] + " " + c[2] + " " + c[3] + " " + c[4], Long.parseLong(c[5]), Long::sum);
      }
    }
    assertTrue(labelled.size() > 100, "tuples: " + labelled.size());
    Map<String, Long> left = new TreeMap<>(labelled);
    left.keySet().removeAll(learned.keySet());
    Map<String, Long> both = new TreeMap<>(labelled);
    both.keySet().retainAll(learned.keySet());
    assertEquals(both, learned);
    return left;
  }

  /**
   * The site resolver fetched upstream every answer a host got from it, within the answer's TTL
   * before: a sensor at the site's edge, which sees only the resolver's questions, sees every
   * address (and name) the hosts use. Only a host asking an outside resolver (the office's DNS
   * tunnel and the workstation that asks one) gets answers it did not fetch.
   */
  @Test
  void theResolverFetchedUpstreamEveryAnswerTheHostsGot() throws Exception {
    for (String profile : new String[] {"shop", "office", "clinic"}) {
      Path b = synthAndLearn(profile, "12");
      dev.egret.baseline.Baseline baseline = dev.egret.baseline.BaselineJson.read(b);
      String resolver = "10.1.0.53";
      java.util.Set<String> outside = new java.util.TreeSet<>();
      for (dev.egret.baseline.Entry e : baseline.entries()) {
        if (e.port() == 53 && !e.internalDestination() && !e.host().equals(resolver)) {
          outside.add(e.host());
        }
      }
      java.util.Set<String> fetched = new java.util.HashSet<>();
      int asked = 0;
      for (dev.egret.baseline.NameRecord r : baseline.names()) {
        if (r.source().equals("dns") && r.host().equals(resolver)) {
          fetched.add(r.address() + " " + r.name());
        }
      }
      List<String> missing = new java.util.ArrayList<>();
      for (dev.egret.baseline.NameRecord r : baseline.names()) {
        if (r.source().equals("dns") && !r.host().equals(resolver) && !outside.contains(r.host())) {
          asked++;
          if (!fetched.contains(r.address() + " " + r.name())) {
            missing.add(r.host() + " " + r.address() + " " + r.name());
          }
        }
      }
      assertTrue(asked > 100, profile + ": " + asked);
      assertEquals(List.of(), missing, profile);
    }
  }

  /**
   * Every outside address a clinic device reaches was handed out in a DNS answer, but for those no
   * name stands for: the lab partner's HL7 address and the media servers SIP's SDP names (RTP and
   * RTCP to ports 16384 and up). The router, which is the resolver, asks upstream for its own
   * names. The last day's attacks, which go to raw addresses, are left out by their labels.
   */
  @Test
  void clinicDevicesReachOnlyAnsweredAddressesButTheLabPartnerAndMedia() throws Exception {
    Baseline b = BaselineJson.read(synthAndLearn("clinic", "12"));
    Set<String> malicious = new HashSet<>();
    for (String line : Files.readAllLines(dir.resolve("clinic").resolve("labels.csv"))) {
      String[] c = line.split(",");
      if (c[6].equals("malicious")) {
        malicious.add(c[1] + " " + c[2] + " " + c[3] + " " + c[4]);
      }
    }
    Set<String> answered = new HashSet<>();
    for (NameRecord r : b.names()) {
      if (r.source().equals("dns")) {
        answered.add(r.address());
      }
    }
    Set<String> unanswered = new TreeSet<>();
    int outside = 0;
    for (Entry e : b.entries()) {
      String tuple = e.host() + " " + e.destination() + " " + e.protocol() + " " + e.port();
      if (e.internalDestination() || e.port() == 53 || malicious.contains(tuple)) {
        continue;
      }
      outside++;
      if (!answered.contains(e.destination())) {
        String where = e.port() >= 16384 ? "media" : e.destination() + ":" + e.port();
        unanswered.add(e.protocol() + " " + where);
      }
    }
    assertTrue(outside > 300, "outside entries: " + outside);
    assertEquals(Set.of("tcp 192.0.2.75:2575", "udp media"), unanswered);
  }

  /** Two days of a site of {@code hosts} written by synth and learned; the baseline's path. */
  private Path synthAndLearn(String profile, String hosts) throws Exception {
    Path site = dir.resolve(profile);
    Run synth =
        Run.of(
            "synth",
            "--site",
            "--profile",
            profile,
            "-o",
            site.toString(),
            "--days",
            "2",
            "--hosts",
            hosts);
    assertEquals(0, synth.exit(), synth::toString);
    assertTrue(
        synth
            .err()
            .matches(
                "egret synth: wrote \\d+ packets \\(\\d+ conversations\\) over 2 days"
                    + " to .*"
                    + profile
                    + " \\(day1.pcap .. day2.pcap, labels.csv\\)\\n"),
        synth.err());
    Path baseline = dir.resolve(profile + ".json");
    Run learn =
        Run.of(
            "learn",
            site.resolve("day1.pcap").toString(),
            site.resolve("day2.pcap").toString(),
            "-b",
            baseline.toString());
    assertEquals(0, learn.exit(), learn::toString);
    return baseline;
  }

  @Test
  void badSiteOptionsAreUsageErrors() {
    assertUsage("--site writes a directory of files: give -o DIR", "synth", "--site", "-o", "-");
    assertUsage(
        "--site sets its own traffic: drop --size, --packets, --hostile, --trojan",
        "synth",
        "--site",
        "-o",
        dir.toString(),
        "--size",
        "1M");
    assertUsage(
        "days must be 2..60 for a site (learn, then check the last): 1",
        "synth",
        "--site",
        "-o",
        dir.toString(),
        "--days",
        "1");
    assertUsage(
        "--profile: not a site profile: 'home' (expected shop, office or clinic)",
        "synth",
        "--site",
        "--profile",
        "home",
        "-o",
        dir.toString());
    assertUsage(
        "--profile chooses the site of --site; add --site",
        "synth",
        "--profile",
        "office",
        "-o",
        dir.resolve("x.pcap").toString());
    assertUsage(
        "hosts must be 6..2000 for a site: 3",
        "synth",
        "--site",
        "-o",
        dir.toString(),
        "--hosts",
        "3");
  }

  @Test
  void aFileWhereTheDirectoryShouldBeIsRefused() throws Exception {
    Path file = Files.writeString(dir.resolve("taken"), "x");
    assertUsage(
        file + ": not a directory (--site writes one file per day into it)",
        "synth",
        "--site",
        "-o",
        file.toString());
  }

  private static void assertUsage(String message, String... args) {
    Run r = Run.of(args);
    assertEquals(2, r.exit(), r::toString);
    assertEquals("egret: " + message + "\n", r.err(), r::toString);
  }
}
