package dev.egret.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The key order without keys: the same sign as comparing the keys, on every pair. */
class KeyOrderTest {
  /** Fields that meet at the separator: prefixes, spaces, characters below and above a space. */
  private static final String[] TEXT = {
    "",
    " ",
    "a",
    "a ",
    " a",
    "a b",
    "ab",
    "a\tb",
    "a\u0001",
    "a!",
    "a~",
    "10.0.0.1",
    "10.0.0.10",
    "10.0.0.1 0",
    "10.0.0.1!",
    "fd00::1",
    "fd00::1 ",
    "ex.com",
    "ex.com sni",
    "ex.co",
    "\u00e9",
    "\ud83d\ude00",
    "dns",
    "sni",
    "null",
  };

  private static final int[] PORTS = {0, 1, 8, 10, 80, 443, 8080, 65535};

  private final Random r = new Random(17);

  private String text() {
    return TEXT[r.nextInt(TEXT.length)];
  }

  @Test
  void entriesInKeyOrder() {
    List<Entry> es = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      es.add(
          new Entry(
              text(),
              text(),
              text(),
              PORTS[r.nextInt(PORTS.length)],
              false,
              1,
              1,
              0,
              0,
              1,
              1,
              1,
              1,
              0,
              0,
              null,
              null,
              0,
              0,
              0));
    }
    for (Entry a : es) {
      for (Entry b : es) {
        assertEquals(
            Integer.signum(a.key().compareTo(b.key())),
            Integer.signum(KeyOrder.ENTRIES.compare(a, b)),
            () -> "\"" + a.key() + "\" vs \"" + b.key() + "\"");
      }
    }
  }

  @Test
  void namesAndQueriesInKeyOrder() {
    List<NameRecord> ns = new ArrayList<>();
    List<QueryRecord> qs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ns.add(new NameRecord(text(), text(), text(), text(), 1, 0, 0, 0));
      qs.add(
          new QueryRecord(
              r.nextInt(10) == 0 ? null : text(), r.nextInt(10) == 0 ? null : text(), 1, 0, 0, 0));
    }
    for (NameRecord a : ns) {
      for (NameRecord b : ns) {
        assertEquals(
            Integer.signum(a.key().compareTo(b.key())),
            Integer.signum(KeyOrder.NAMES.compare(a, b)),
            () -> "\"" + a.key() + "\" vs \"" + b.key() + "\"");
      }
    }
    for (QueryRecord a : qs) {
      for (QueryRecord b : qs) {
        assertEquals(
            Integer.signum(a.key().compareTo(b.key())),
            Integer.signum(KeyOrder.QUERIES.compare(a, b)),
            () -> "\"" + a.key() + "\" vs \"" + b.key() + "\"");
      }
    }
  }

  /** The walk over two sorted lists gives what the map keyed by the joined key gives. */
  @Test
  void sortedUnionEqualsKeyedUnion() {
    for (int round = 0; round < 50; round++) {
      List<NameRecord> a = new ArrayList<>();
      List<NameRecord> b = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        (r.nextBoolean() ? a : b)
            .add(new NameRecord(text(), text(), text(), "dns", r.nextInt(9) + 1, 0, 0, 0));
      }
      Baseline x = new Baseline(Baseline.SCHEMA, "t", null, null, null, null, null, a, null);
      Baseline y = new Baseline(Baseline.SCHEMA, "t", null, null, null, null, null, b, null);
      assertEquals(
          Baselines.union(x.names(), y.names(), NameRecord::key, Baselines::mergeName),
          Baselines.union(x.names(), y.names(), KeyOrder.NAMES, Baselines::mergeName));
    }
  }

  @Test
  void portsCompareAsTheirDecimalTexts() {
    Random r = new Random(1130);
    int[] edges = {
      0, 1, 5, 9, 10, 44, 53, 99, 100, 440, 443, 444, 4430, 8443, 65535, 70000, -1, -53
    };
    for (int round = 0; round < 200_000; round++) {
      int x = round < 400 ? edges[round % edges.length] : r.nextInt(r.nextBoolean() ? 70_000 : 100);
      int y = round < 400 ? edges[round / edges.length % edges.length] : r.nextInt(70_000);
      if (r.nextInt(1000) == 0) {
        x = r.nextInt();
        y = r.nextInt();
      }
      int expected = Integer.signum(Integer.toString(x).compareTo(Integer.toString(y)));
      assertEquals(expected, Integer.signum(KeyOrder.decimal(x, y)), x + " vs " + y);
    }
  }
}
