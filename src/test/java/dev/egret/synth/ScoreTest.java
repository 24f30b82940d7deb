package dev.egret.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.egret.synth.Labels.Direction;
import dev.egret.synth.Labels.Key;
import dev.egret.synth.Score.Behaviour;
import dev.egret.synth.Score.Blocked;
import dev.egret.synth.Score.Card;
import dev.egret.synth.Score.Flag;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ScoreTest {
  static final String WS = "10.1.2.1";
  static final String WEB = "10.1.0.80";

  static Map<Key, Long> labels() {
    Map<Key, Long> m = new TreeMap<>();
    m.put(new Key(2, WS, "198.18.1.1", "tcp", 443, false, "browse", Direction.EGRESS), 10L);
    m.put(new Key(2, WS, "198.18.9.9", "tcp", 443, false, "browse", Direction.EGRESS), 4L);
    m.put(new Key(2, WS, "10.1.0.53", "udp", 53, false, "dns-lookup", Direction.INTERNAL), 6L);
    m.put(
        new Key(2, "198.51.100.200", WEB, "tcp", 443, false, "inbound-web", Direction.INBOUND),
        50L);
    m.put(new Key(2, WEB, "203.0.113.99", "tcp", 443, true, "beacon-tls", Direction.EGRESS), 20L);
    m.put(new Key(2, WS, "198.51.100.1", "tcp", 445, true, "scan", Direction.EGRESS), 1L);
    m.put(new Key(2, WS, "198.51.100.2", "tcp", 445, true, "scan", Direction.EGRESS), 1L);
    m.put(new Key(1, WS, "198.18.9.9", "tcp", 443, false, "browse", Direction.EGRESS), 7L);
    return m;
  }

  @Test
  void blockedFlaggedAndCaughtAddUpPerClass() {
    List<Blocked> blocked =
        List.of(
            new Blocked(WS, "198.18.9.9", "tcp", 443, 4),
            new Blocked(WS, "198.51.100.1", "tcp", 445, 1),
            new Blocked(WS, "198.51.100.2", "tcp", 445, 3), // more than labelled: 1 counts
            new Blocked(WEB, "192.0.2.200", "udp", 53, 5), // no label at all
            new Blocked(WEB, "203.0.113.99", "tcp", 443, 7));
    List<Flag> flags =
        List.of(
            new Flag("periodic", WEB, List.of("203.0.113.99"), "tcp", 443),
            new Flag("port-scan", WS, List.of("198.51.100.77"), "tcp", 445),
            new Flag("late-new", WS, List.of("198.18.9.9"), "udp", 443)); // other protocol
    Card c = Score.score(labels(), 2, blocked, flags);
    // Legit: 10 + 4 + 6 (inbound and day 1 left out), 4 blocked.
    assertEquals(20, c.legitFlows());
    assertEquals(4, c.legitBlocked());
    // Malicious: 20 + 1 + 1; blocked 7 + 1 + 1; caught: the beacon's 20 flagged, the scan's 2.
    assertEquals(22, c.maliciousFlows());
    assertEquals(9, c.maliciousBlocked());
    assertEquals(22, c.maliciousCaught());
    assertEquals(2 + 5, c.unlabelledBlocked());
    assertEquals(20.0, Card.percent(c.legitBlocked(), c.legitFlows()));
    assertEquals(0.0, Card.percent(1, 0));
    assertEquals(
        List.of(
            new Behaviour("beacon-tls", true, 20, 7, 20, 20, new TreeSet<>(Set.of("periodic"))),
            new Behaviour("browse", false, 14, 4, 0, 4, new TreeSet<>()),
            new Behaviour("dns-lookup", false, 6, 0, 0, 0, new TreeSet<>()),
            new Behaviour("scan", true, 2, 2, 2, 2, new TreeSet<>(Set.of("port-scan")))),
        c.behaviours());
  }

  /**
   * A DNS tunnel's anomaly names the domain, not an address: it flags the host's questions to any
   * resolver (the site's, where the tunnel and the host's own lookups share a tuple), nothing else.
   */
  @Test
  void aDnsTunnelFlagsTheHostsQuestionsToAnyResolver() {
    Map<Key, Long> m = new TreeMap<>();
    m.put(new Key(2, WS, "10.1.0.53", "udp", 53, true, "dns-tunnel", Direction.INTERNAL), 30L);
    m.put(new Key(2, WS, "192.0.2.153", "udp", 53, true, "dns-tunnel", Direction.EGRESS), 5L);
    m.put(new Key(2, WS, "192.0.2.153", "tcp", 53, true, "dns-tcp", Direction.EGRESS), 2L);
    m.put(new Key(2, WEB, "10.1.0.53", "udp", 53, true, "other-host", Direction.INTERNAL), 4L);
    List<Flag> flags = List.of(new Flag("dns-tunnel", WS, List.of("exfil.example"), "udp", 53));
    Card c = Score.score(m, 2, List.of(), flags);
    assertEquals(41, c.maliciousFlows());
    assertEquals(0, c.maliciousBlocked());
    assertEquals(35, c.maliciousCaught());
  }

  @Test
  void labelsRoundTripAndBadRowsNameTheLine() throws Exception {
    Labels l = new Labels();
    l.add(
        3,
        Catalog.v4(10, 1, 0, 5),
        Catalog.v4(203, 0, 113, 7),
        "tcp",
        4444,
        true,
        "reverse-shell",
        Direction.EGRESS);
    l.add(
        3,
        Catalog.v4(10, 1, 0, 5),
        Catalog.v4(203, 0, 113, 7),
        "tcp",
        4444,
        true,
        "reverse-shell",
        Direction.EGRESS);
    String csv = csv(l);
    assertEquals(
        String.join(",", Labels.HEADER)
            + "\n3,10.1.0.5,203.0.113.7,tcp,4444,2,malicious,reverse-shell,egress\n",
        csv);
    assertEquals(l.flows(), Score.readLabels(new StringReader(csv), "l.csv"));
    String header = String.join(",", Labels.HEADER) + "\n";
    assertEquals(
        "l.csv:2: label 'evil' is not legit or malicious",
        bad(header + "3,10.1.0.5,203.0.113.7,tcp,4444,2,evil,x,egress\n"));
    assertEquals(
        "l.csv:2: direction 'up' is not egress, internal or inbound",
        bad(header + "3,10.1.0.5,203.0.113.7,tcp,4444,2,legit,x,up\n"));
    assertEquals(
        "l.csv:3: 2 cells, expected 9",
        bad(header + "3,10.1.0.5,203.0.113.7,tcp,4444,2,legit,x,egress\n1,2\n"));
    assertEquals(
        "l.csv:1: not a labels file (expected the header " + String.join(",", Labels.HEADER) + ")",
        bad("host,destination\n"));
    assertEquals("l.csv: empty (expected a labels CSV)", bad(""));
  }

  private static String bad(String text) {
    return assertThrows(
            IllegalArgumentException.class, () -> Score.readLabels(new StringReader(text), "l.csv"))
        .getMessage();
  }

  private static String csv(Labels l) throws java.io.IOException {
    java.io.StringWriter w = new java.io.StringWriter();
    l.write(w);
    return w.toString();
  }
}
