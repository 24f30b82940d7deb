package dev.egret.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.synth.Labels.Direction;
import dev.egret.synth.Labels.Key;
import dev.egret.synth.SiteOptions.Profile;
import dev.egret.synth.SiteWorld.Host;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The clinic profile's shape: its devices, opening days, DHCP churn and the last day's attacks. */
class ClinicScenarioTest {
  static final Instant MONDAY = Instant.parse("2024-01-15T00:00:00Z");
  static final int DAYS = 7;
  static final int HOSTS = 30;
  static final int POOL_LOW = Catalog.v4(10, 1, 2, 100);
  static Labels labels;
  static String digest;

  /** Day (1-based) -> pool address -> the MACs that sent from it. */
  static Map<Integer, Map<Integer, Set<Long>>> pool = new TreeMap<>();

  @BeforeAll
  static void generate() throws Exception {
    labels = new Labels();
    long start = MONDAY.getEpochSecond() * 1_000_000_000L;
    new SiteScenario(options(3))
        .run(
            labels,
            (t, frame, len) -> {
              int type = (frame[12] & 0xff) << 8 | frame[13] & 0xff;
              if (type != 0x0800) {
                return;
              }
              int src = readInt(frame, 26);
              if (src >= POOL_LOW && src < POOL_LOW + 100) {
                int day = (int) ((t - start) / ClinicPlanner.DAY) + 1;
                long mac = 0;
                for (int i = 6; i < 12; i++) {
                  mac = mac << 8 | frame[i] & 0xff;
                }
                pool.computeIfAbsent(day, d -> new TreeMap<>())
                    .computeIfAbsent(src, a -> new TreeSet<>())
                    .add(mac);
              }
            });
    digest = SiteScenarioTest.run(options(3), new Labels()).digest();
  }

  static SiteOptions options(long seed) {
    return new SiteOptions(seed, MONDAY, DAYS, HOSTS, Profile.CLINIC);
  }

  private static int readInt(byte[] b, int off) {
    return (b[off] & 0xff) << 24
        | (b[off + 1] & 0xff) << 16
        | (b[off + 2] & 0xff) << 8
        | b[off + 3] & 0xff;
  }

  static long flows(Predicate<Key> p) {
    return labels.flows().entrySet().stream()
        .filter(e -> p.test(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  static Set<String> where(Predicate<Key> p, Function<Key, String> f) {
    return labels.flows().keySet().stream()
        .filter(p)
        .map(f)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static Predicate<Key> is(String behaviour) {
    return k -> k.behaviour().equals(behaviour);
  }

  @Test
  void sameSeedSameBytesAndLabelsOtherSeedOthers() throws Exception {
    Labels again = new Labels();
    assertEquals(digest, SiteScenarioTest.run(options(3), again).digest());
    assertEquals(csv(labels), csv(again));
    assertNotEquals(digest, SiteScenarioTest.run(options(4), new Labels()).digest());
  }

  @Test
  void attacksOnTheLastDayOnlyWithTheCountsPlanned() {
    assertEquals(0, flows(k -> k.malicious() && k.day() != DAYS));
    // Fixed by the plan: 600 telnet probes; 4 h of a beacon every 30 s; 3 x 254 addresses swept
    // but the PC's own; 8 uploads; 1 h of a tunnel query every 10 s, each forwarded (TTL 0).
    assertEquals(600, flows(is("mirai-telnet-scan")));
    assertEquals(480, flows(is("ransomware-beacon")));
    assertEquals(761, flows(is("ransomware-smb-sweep")));
    assertEquals(8, flows(is("ransomware-exfil")));
    assertEquals(360, flows(is("dns-tunnel")));
    assertEquals(360, flows(is("dns-tunnel-forward")));
    assertEquals(20, flows(is("outside-resolver")));
    assertEquals(10, flows(is("tls-unnamed-address")));
    assertEquals(10, flows(is("tls-spoofed-sni")));
    assertEquals(1, flows(is("reverse-shell-443")));
    // Drawn with this seed: C2 calls a minute apart with jitter, a call every 4 min +- 30 s.
    assertEquals(175, flows(is("mirai-c2")));
    assertEquals(46, flows(is("toll-fraud-sip")));
    assertEquals(46, flows(is("toll-fraud-media")));
    assertEquals(
        Set.of("10.1.1.20 23", "10.1.1.20 2323"),
        where(is("mirai-telnet-scan"), k -> k.source() + " " + k.port()));
    assertEquals(
        Set.of(
            "10.1.0.20 udp 53 203.0.113.53 41234",
            "10.1.0.20 udp 123 203.0.113.53 41235",
            "10.1.0.20 tcp 443 203.0.113.44 50443"),
        sourcePortTricks());
    // The tunnel goes through the site's resolver: the lab server asks it, the router forwards.
    assertEquals(
        Set.of("10.1.0.25 10.1.0.53"),
        where(is("dns-tunnel"), k -> k.source() + " " + k.destination()));
    assertEquals(Set.of("10.1.0.53"), where(is("dns-tunnel-forward"), Key::source));
  }

  /** The source port of each trick is the label's hidden part: the scripts' planned ports. */
  private static Set<String> sourcePortTricks() {
    Map<Integer, String> from = Map.of(41234, "udp 53", 41235, "udp 123", 50443, "tcp 443");
    return where(
        is("source-port-trick"),
        k -> k.source() + " " + from.get(k.port()) + " " + k.destination() + " " + k.port());
  }

  @Test
  void devicesWorkEveryDayDesksOnOpeningDays() {
    // 30 hosts: router, NAS, lab server, a card terminal, 2 printers, 3 cameras, 6 phones, 3
    // reception PCs, 12 laptops. Monday 15 January: day 6 is Saturday (mornings), 7 Sunday.
    assertEquals(
        Set.of("10.1.1.100", "10.1.1.102", "10.1.1.104"), where(is("sip-register"), Key::source));
    assertEquals(
        Set.of("10.1.1.101", "10.1.1.103", "10.1.1.105"), where(is("sip-tls"), Key::source));
    assertEquals(
        Set.of("10.1.1.20", "10.1.1.21", "10.1.1.22"), where(is("camera-mqtt"), Key::source));
    assertEquals(Set.of("192.0.2.75"), where(is("hl7-lab"), Key::destination));
    assertEquals(Set.of("10.1.0.53"), where(is("dns-forward"), Key::source));
    assertEquals(0, flows(k -> k.day() == 7 && k.behaviour().startsWith("browse")));
    assertEquals(0, flows(k -> k.day() == 7 && k.behaviour().equals("card-payment")));
    long saturday = flows(k -> k.day() == 6 && k.behaviour().equals("practice-saas"));
    long friday = flows(k -> k.day() == 5 && k.behaviour().equals("practice-saas"));
    // Saturday mornings: 388 practice SaaS flows, against 1,458 on Friday.
    assertEquals(388, saturday);
    assertEquals(1458, friday);
    for (int d = 1; d <= DAYS; d++) {
      int day = d;
      assertTrue(flows(k -> k.day() == day && k.behaviour().equals("nas-backup")) >= 6);
      assertEquals(
          day == 7 ? Set.of() : Set.of(Direction.INTERNAL),
          where(
                  k ->
                      k.day() == day
                          && (k.behaviour().equals("print") || k.behaviour().equals("file-share")),
                  k -> k.direction().name())
              .stream()
              .map(Direction::valueOf)
              .collect(Collectors.toSet()));
    }
  }

  @Test
  void phonesSpeakSipFromPort5060AndMediaGoesToAddressesNeverLookedUp() {
    assertEquals(Set.of("udp 5060"), where(is("sip-register"), k -> k.protocol() + " " + k.port()));
    assertEquals(Set.of("tcp 5061"), where(is("sip-tls"), k -> k.protocol() + " " + k.port()));
    Set<String> media = where(is("rtp-media"), Key::destination);
    // A media server and a port of its own each call: 277 addresses, 320 ports in the week.
    assertEquals(277, media.size());
    assertTrue(media.stream().allMatch(a -> a.startsWith("198.18.16")), media.toString());
    Set<String> named = where(is("dns-lookup"), Key::destination);
    assertEquals(Set.of("10.1.0.53", "fd00:1:0:1::53"), named);
    assertEquals(320, where(is("rtp-media"), k -> "" + k.port()).size());
  }

  @Test
  void laptopAddressesChangeHandsFromDayToDay() {
    Map<Integer, Set<Long>> owners = new HashMap<>();
    Map<Long, Set<Integer>> addresses = new HashMap<>();
    for (Map.Entry<Integer, Map<Integer, Set<Long>>> day : pool.entrySet()) {
      for (Map.Entry<Integer, Set<Long>> a : day.getValue().entrySet()) {
        assertEquals(1, a.getValue().size(), "one laptop an address a day: " + a);
        long mac = a.getValue().iterator().next();
        owners.computeIfAbsent(a.getKey(), x -> new TreeSet<>()).add(mac);
        addresses.computeIfAbsent(mac, x -> new TreeSet<>()).add(a.getKey());
      }
    }
    assertEquals(Set.of(1, 2, 3, 4, 5, 6), pool.keySet());
    long shared = owners.values().stream().filter(s -> s.size() > 1).count();
    long moved = addresses.values().stream().filter(s -> s.size() > 1).count();
    assertEquals(12, addresses.size());
    // Seed 3: 7 of the pool's addresses had two laptops or more in the week, 5 of the 12 laptops
    // two addresses or more; 8 came on Monday.
    assertEquals(7, shared, "addresses with more than one laptop: " + owners);
    assertEquals(5, moved, "laptops on more than one address: " + addresses);
    int mondays = pool.get(1).size();
    assertEquals(8, mondays);
  }

  @Test
  void leasesLastADayAndGoToTheLowestFreeAddress() {
    List<Host> laptops =
        List.of(
            new Host(5, ClinicWorld.LAPTOP, 0),
            new Host(6, ClinicWorld.LAPTOP, 0),
            new Host(7, ClinicWorld.LAPTOP, 0));
    ClinicLeases leases = new ClinicLeases(POOL_LOW, 3);
    SplittableRandom rnd = new SplittableRandom(1);
    Map<Integer, Integer> first =
        byMac(leases.day(laptops, new boolean[] {true, true, false}, rnd));
    assertEquals(Set.of(POOL_LOW, POOL_LOW + 1), Set.copyOf(first.values()));
    // The first laptop is away: its lease expires, the third takes the lowest free address.
    Map<Integer, Integer> second =
        byMac(leases.day(laptops, new boolean[] {false, true, true}, rnd));
    assertEquals(first.get(6), second.get(6));
    assertEquals(first.get(5), second.get(7));
    Map<Integer, Integer> third = byMac(leases.day(laptops, new boolean[] {true, true, true}, rnd));
    assertEquals(POOL_LOW + 2, third.get(5));
  }

  private static Map<Integer, Integer> byMac(List<Host> hosts) {
    return hosts.stream().collect(Collectors.toMap(Host::index, Host::v4));
  }

  private static String csv(Labels l) throws IOException {
    StringWriter w = new StringWriter();
    l.write(w);
    return w.toString();
  }
}
