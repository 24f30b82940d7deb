package dev.egret.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.synth.Labels.Direction;
import dev.egret.synth.Labels.Key;
import java.io.IOException;
import java.io.StringWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SiteScenarioTest {
  static final Instant MONDAY = Instant.parse("2024-01-15T00:00:00Z");
  static final int DAYS = 4;
  static Labels labels;
  static String digest;
  static long frames;

  @BeforeAll
  static void generate() throws Exception {
    labels = new Labels();
    Result r = run(new SiteOptions(7, MONDAY, DAYS, 12), labels);
    digest = r.digest;
    frames = r.frames;
  }

  record Result(String digest, long frames) {}

  static Result run(SiteOptions o, Labels into) throws IOException, NoSuchAlgorithmException {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    long[] last = {Long.MIN_VALUE, 0};
    new SiteScenario(o)
        .run(
            into,
            (t, frame, len) -> {
              assertTrue(t >= last[0], "frames in time order");
              last[0] = t;
              last[1]++;
              md.update(frame, 0, len);
              md.update((byte) (t >>> 3));
            });
    return new Result(HexFormat.of().formatHex(md.digest()), last[1]);
  }

  static long flows(Predicate<Key> p) {
    return labels.flows().entrySet().stream()
        .filter(e -> p.test(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  static Set<String> destinations(int day, String behaviour) {
    return labels.flows().keySet().stream()
        .filter(k -> k.day() == day && k.behaviour().equals(behaviour))
        .map(Key::destination)
        .collect(Collectors.toSet());
  }

  @Test
  void sameSeedSameBytesAndLabelsOtherSeedOthers() throws Exception {
    Labels again = new Labels();
    assertEquals(digest, run(new SiteOptions(7, MONDAY, DAYS, 12), again).digest);
    assertEquals(csv(labels), csv(again));
    Labels other = new Labels();
    assertNotEquals(digest, run(new SiteOptions(8, MONDAY, DAYS, 12), other).digest);
    assertNotEquals(csv(labels), csv(other));
  }

  @Test
  void hostileBehaviourOnTheLastDayOnlyWithTheCountsPlanned() {
    assertEquals(0, flows(k -> k.malicious() && k.day() != DAYS));
    // 6 h and 3 h of one attempt every 30 s; 120 scan probes; one shell, one download.
    assertEquals(720, flows(k -> k.behaviour().equals("beacon-tls")));
    assertEquals(360, flows(k -> k.behaviour().equals("beacon-smtp")));
    assertEquals(120, flows(k -> k.behaviour().equals("scan")));
    assertEquals(120, destinations(DAYS, "scan").size());
    assertEquals(1, flows(k -> k.behaviour().equals("reverse-shell")));
    assertEquals(1, flows(k -> k.behaviour().equals("payload-download")));
    assertEquals(
        Set.of("beacon-tls", "beacon-smtp", "scan", "reverse-shell", "payload-download"),
        labels.flows().keySet().stream()
            .filter(Key::malicious)
            .map(Key::behaviour)
            .collect(Collectors.toSet()));
  }

  @Test
  void theDatabaseNeverStartsAConversationOutwardExceptTheShell() {
    Set<String> db =
        labels.flows().keySet().stream()
            .filter(k -> k.source().equals("10.1.0.5"))
            .map(Key::behaviour)
            .collect(Collectors.toSet());
    assertEquals(Set.of("reverse-shell"), db);
  }

  @Test
  void apiAddressesMxHostsAndSitesChangeEveryDay() {
    for (int d = 2; d <= DAYS; d++) {
      Set<String> apiToday = destinations(d, "api");
      Set<String> apiBefore = destinations(d - 1, "api");
      assertFalse(apiBefore.containsAll(apiToday), "day " + d + " API addresses are new");
      Set<String> mx = destinations(d, "mail-delivery");
      mx.removeAll(destinations(d - 1, "mail-delivery"));
      assertTrue(mx.size() >= 10, "day " + d + " new MX hosts: " + mx.size());
      Set<String> sites = destinations(d, "browse");
      sites.removeAll(destinations(d - 1, "browse"));
      assertTrue(sites.size() >= 7 * 8, "day " + d + " new sites: " + sites.size());
    }
    assertTrue(destinations(1, "open-at-start").size() >= 2);
    assertEquals(Set.of(), destinations(2, "open-at-start"));
  }

  @Test
  void everyFlowIsLabelledWithItsDirection() {
    assertTrue(flows(k -> k.direction() == Direction.INBOUND) > 0);
    assertTrue(flows(k -> k.behaviour().equals("dns-forward")) > 0);
    assertEquals(
        flows(k -> k.behaviour().equals("dns-lookup")),
        flows(k -> k.direction() == Direction.INTERNAL && k.destination().equals("10.1.0.53")));
    // One weekly backup at most in four days.
    assertTrue(flows(k -> k.behaviour().equals("weekly-backup")) <= 1);
  }

  @Test
  void moreHostsMeanMoreWorkstationsAndWebServers() throws Exception {
    Labels big = new Labels();
    run(new SiteOptions(7, MONDAY, 2, 40), big);
    Map<String, Set<String>> sources = new TreeMap<>();
    for (Key k : big.flows().keySet()) {
      if (k.direction() != Direction.INBOUND) {
        sources.computeIfAbsent(k.behaviour(), b -> new java.util.TreeSet<>()).add(k.source());
      }
    }
    assertEquals(33, sources.get("browse").size(), "40 hosts: 4 web, 3 other servers, 33 desks");
    assertEquals(4, sources.get("api").size());
  }

  @Test
  void badOptionsAreRefusedWithTheValue() {
    assertEquals(
        "days must be 2..60 for a site (learn, then check the last): 1",
        assertThrows(IllegalArgumentException.class, () -> new SiteOptions(1, MONDAY, 1, 12))
            .getMessage());
    assertEquals(
        "hosts must be 6..2000 for a site: 5",
        assertThrows(IllegalArgumentException.class, () -> new SiteOptions(1, MONDAY, 4, 5))
            .getMessage());
  }

  private static String csv(Labels l) throws IOException {
    StringWriter w = new StringWriter();
    l.write(w);
    return w.toString();
  }
}
