package dev.egret.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.synth.Labels.Direction;
import dev.egret.synth.Labels.Key;
import dev.egret.synth.SiteOptions.Profile;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The office profile's shape: its hosts, days, weekends, addresses and the last day's attacks. */
class OfficeScenarioTest {
  static final Instant MONDAY = Instant.parse("2024-01-15T00:00:00Z");
  static final int DAYS = 7;
  static final int HOSTS = 30;
  static Labels labels;
  static String digest;

  @BeforeAll
  static void generate() throws Exception {
    labels = new Labels();
    digest = SiteScenarioTest.run(options(3), labels).digest();
  }

  static SiteOptions options(long seed) {
    return new SiteOptions(seed, MONDAY, DAYS, HOSTS, Profile.OFFICE);
  }

  static long flows(Predicate<Key> p) {
    return labels.flows().entrySet().stream()
        .filter(e -> p.test(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  static Set<String> where(Predicate<Key> p, java.util.function.Function<Key, String> f) {
    return labels.flows().keySet().stream().filter(p).map(f).collect(Collectors.toSet());
  }

  @Test
  void sameSeedSameBytesAndLabelsOtherSeedOthers() throws Exception {
    Labels again = new Labels();
    assertEquals(digest, SiteScenarioTest.run(options(3), again).digest());
    assertEquals(csv(labels), csv(again));
    Labels other = new Labels();
    assertNotEquals(digest, SiteScenarioTest.run(options(4), other).digest());
  }

  @Test
  void theShopIsStillTheDefaultAndTheOfficeIsAnotherSite() throws Exception {
    Labels shop = new Labels();
    SiteScenarioTest.run(new SiteOptions(3, MONDAY, DAYS, HOSTS), shop);
    Labels sameAsShop = new Labels();
    SiteScenarioTest.run(new SiteOptions(3, MONDAY, DAYS, HOSTS, Profile.SHOP), sameAsShop);
    assertEquals(csv(shop), csv(sameAsShop));
    assertTrue(shop.flows().keySet().stream().anyMatch(k -> k.behaviour().equals("inbound-web")));
    assertFalse(labels.flows().keySet().stream().anyMatch(k -> k.behaviour().equals("api")));
  }

  @Test
  void attacksOnTheLastDayOnlyWithTheCountsPlanned() {
    assertEquals(0, flows(k -> k.malicious() && k.day() != DAYS));
    // 6 h of one beacon a minute; 2 h of a tunnel query every 30 s; 150 SSH attempts; 100
    // addresses x 2 ports; a device unseen before, every 2 min for an hour.
    assertEquals(360, flows(k -> k.behaviour().equals("beacon-https")));
    assertEquals(240, flows(k -> k.behaviour().equals("dns-tunnel")));
    assertEquals(150, flows(k -> k.behaviour().equals("ssh-brute-force")));
    assertEquals(200, flows(k -> k.behaviour().equals("lan-scan")));
    assertEquals(30, flows(k -> k.behaviour().equals("unknown-device")));
    assertEquals(1, flows(k -> k.behaviour().equals("payload-http")));
    assertEquals(1, flows(k -> k.behaviour().equals("reverse-shell-443")));
    assertEquals(2, flows(k -> k.behaviour().equals("udp-source-port-trick")));
    // The tunnel goes to the outside resolver a workstation uses legitimately.
    assertEquals(
        where(k -> k.behaviour().equals("dns-tunnel"), Key::destination),
        where(k -> k.behaviour().equals("dns-outside-resolver"), Key::destination));
    assertEquals(
        Set.of("10.1.2.1", "10.1.2.100"),
        where(k -> k.behaviour().equals("lan-scan"), Key::destination).stream()
            .filter(a -> a.endsWith(".1") || a.endsWith(".100"))
            .collect(Collectors.toSet()));
  }

  @Test
  void serversWorkEveryDayWorkstationsMostlyOnWeekdays() {
    // 30 hosts: a directory server, a build host, 3 application servers, 2 printers, 23 desks.
    assertEquals(
        Set.of("10.1.0.100", "10.1.0.101", "10.1.0.102"),
        where(k -> k.behaviour().equals("cloud-api") && !k.source().contains(":"), Key::source));
    assertEquals(
        Set.of("10.1.0.53", "10.1.0.60", "10.1.0.100", "10.1.0.101", "10.1.0.102"),
        where(k -> k.behaviour().equals("ntp-pool"), Key::source));
    Set<String> desks = where(k -> k.behaviour().equals("browse"), Key::source);
    assertEquals(23, desks.stream().filter(a -> a.startsWith("10.1.2.")).count());
    // Monday 15 January: days 6 and 7 are the weekend.
    long weekday = flows(k -> k.day() == 5 && k.behaviour().startsWith("browse"));
    long saturday = flows(k -> k.day() == 6 && k.behaviour().startsWith("browse"));
    assertTrue(saturday * 5 < weekday, saturday + " on Saturday, " + weekday + " on Friday");
    long apiWeekday = flows(k -> k.day() == 5 && k.behaviour().equals("cloud-api"));
    long apiSaturday = flows(k -> k.day() == 6 && k.behaviour().equals("cloud-api"));
    assertTrue(apiSaturday * 3 > apiWeekday, "servers keep working: " + apiSaturday);
  }

  @Test
  void addressesRotateWithinTheDayAndBetweenDays() {
    for (int d = 2; d < DAYS; d++) {
      int day = d;
      Set<String> api =
          where(k -> k.day() == day && k.behaviour().equals("cloud-api"), Key::destination);
      assertTrue(api.size() >= 30, "day " + d + ": " + api.size() + " cloud API addresses");
      Set<String> ntp =
          where(k -> k.day() == day && k.behaviour().equals("ntp-pool"), Key::destination);
      ntp.removeAll(
          where(k -> k.day() == day - 1 && k.behaviour().equals("ntp-pool"), Key::destination));
      assertTrue(ntp.size() >= 15, "day " + d + ": " + ntp.size() + " new NTP sources");
    }
  }

  @Test
  void someHostsAndServicesSpeakIpv6AndQuicAndVideoCalls() {
    Set<String> v6 = where(k -> k.source().contains(":"), Key::source);
    assertTrue(v6.size() >= 5, "IPv6 sources: " + v6);
    assertTrue(v6.stream().allMatch(a -> a.startsWith("fd00:1:0:1::")), v6.toString());
    assertTrue(flows(k -> k.behaviour().equals("browse-quic") && k.protocol().equals("udp")) > 0);
    Set<Integer> media =
        labels.flows().keySet().stream()
            .filter(k -> k.behaviour().equals("video-call-media"))
            .map(Key::port)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(3478, 3479, 3480, 3481), media);
    assertEquals(
        Set.of(Direction.INTERNAL),
        labels.flows().keySet().stream()
            .filter(k -> k.behaviour().equals("directory") || k.behaviour().equals("print"))
            .map(Key::direction)
            .collect(Collectors.toSet()));
    assertEquals(
        Set.of(853),
        where(k -> k.behaviour().equals("dns-over-tls"), k -> "" + k.port()).stream()
            .map(Integer::parseInt)
            .collect(Collectors.toSet()));
  }

  private static String csv(Labels l) throws IOException {
    StringWriter w = new StringWriter();
    l.write(w);
    return w.toString();
  }
}
