package dev.egret.baseline;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Random baselines for property tests, from a seeded {@link Random}. Hosts, destinations, ports and
 * names come from small pools so that two baselines share keys and a merge has to combine them.
 * Names include hostile strings (escape sequences, newlines, quotes, formula starters, bidi
 * overrides, very long labels). Sources get random 256-bit fingerprints, so two baselines never
 * share one. The sum of squared gaps is a saturating long, so even huge values (up to 2^62 here)
 * merge exactly; and a merge is associative only to the last bit of that one field.
 */
public final class RandomBaselines {
  static final String[] HOSTILE = {
    "\u001b[31mevil\nname",
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@import",
    "a\"quote\"b",
    "back\\slash",
    "tab\there",
    "cr\rlf\n",
    "nul\u0000byte",
    "del\u007fc1\u0085",
    "bidi\u202eexe.txt",
    "line\u2028sep",
    "zero\u200bwidth",
    "bücher.example",
    "\u4e2d\u6587.example",
    "emoji\ud83d\ude00.example",
    "lone\ud800surrogate",
    "x".repeat(63) + "." + "y".repeat(63) + "." + "z".repeat(63) + "." + "w".repeat(61),
    "a,b;c#d}e{f",
    "",
    " ",
  };
  private static final String[] PLAIN = {
    "example.com", "www.example.com", "api.example.net", "cdn.example.org", "mail.example.com"
  };
  private static final String[] HOSTS = {
    "10.0.0.1", "10.0.0.2", "192.168.1.10", "fd00::1", "100.64.0.7", "172.16.5.5"
  };
  private static final String[] DESTS = {
    "93.184.216.34", "8.8.8.8", "10.0.0.53", "2001:db8::1", "1.1.1.1", "203.0.113.9", "fd00::53"
  };
  private static final String[] PROTOS = {"tcp", "udp", "icmp", "icmp6", "132"};
  private static final int[] PORTS = {0, 8, 22, 53, 80, 123, 443, 8443, 65535};
  private static final String[] SOURCES = {"dns", "sni", "http-host"};
  private static final long DAY_NS = 86_400_000_000_000L;
  private static final long BASE_NS = 1_700_000_000_000_000_000L;

  private final Random r;

  public RandomBaselines(long seed) {
    this.r = new Random(seed);
  }

  public Baseline next() {
    List<SourceRecord> sources = new ArrayList<>();
    int ns = r.nextInt(4);
    for (int i = 0; i < ns; i++) {
      byte[] fp = new byte[32];
      r.nextBytes(fp);
      long first = time();
      sources.add(
          new SourceRecord(
              r.nextInt(5) == 0 ? "stdin" : "file",
              r.nextBoolean() ? "day" + i + ".pcap" : name(),
              HexFormat.of().formatHex(fp),
              first,
              first + r.nextInt(1_000_000),
              r.nextInt(100_000)));
    }
    Map<String, Entry> entries = new TreeMap<>();
    int ne = r.nextInt(25);
    for (int i = 0; i < ne; i++) {
      Entry e = entry();
      entries.put(e.key(), e);
    }
    Map<String, NameRecord> names = new TreeMap<>();
    int nn = r.nextInt(15);
    for (int i = 0; i < nn; i++) {
      long first = time();
      NameRecord n =
          new NameRecord(
              pick(HOSTS),
              pick(DESTS),
              name(),
              pick(SOURCES),
              1 + r.nextInt(1000),
              first,
              first + r.nextInt(1_000_000_000),
              r.nextInt(86_400));
      names.put(n.key(), n);
    }
    Map<String, QueryRecord> queries = new TreeMap<>();
    int nq = r.nextInt(10);
    for (int i = 0; i < nq; i++) {
      long first = time();
      QueryRecord q =
          new QueryRecord(
              pick(HOSTS), name(), 1 + r.nextInt(100), r.nextInt(3), first, first + r.nextInt(9));
      queries.put(q.key(), q);
    }
    Long start = null;
    Long end = null;
    if (r.nextInt(4) != 0) {
      start = time();
      end = start + r.nextInt(1_000_000_000);
    }
    return new Baseline(
        Baseline.SCHEMA,
        "test",
        start,
        end,
        sources,
        counters(),
        new ArrayList<>(entries.values()),
        new ArrayList<>(names.values()),
        new ArrayList<>(queries.values()));
  }

  private Entry entry() {
    TreeSet<String> days = new TreeSet<>();
    TreeSet<Integer> hours = new TreeSet<>();
    int nd = 1 + r.nextInt(4);
    for (int i = 0; i < nd; i++) {
      days.add(LocalDate.of(2024, 3, 1).plusDays(r.nextInt(10)).toString());
      hours.add(r.nextInt(24));
    }
    long first = time();
    long gaps = r.nextInt(50);
    return new Entry(
        common(HOSTS),
        common(DESTS),
        common(PROTOS),
        PORTS[r.nextBoolean() ? 4 : r.nextInt(PORTS.length)],
        r.nextBoolean(),
        1 + r.nextInt(1000),
        r.nextInt(1000),
        r.nextInt(1000),
        r.nextInt(1000),
        r.nextInt(100_000),
        small(),
        r.nextInt(100_000),
        small(),
        first,
        first + r.nextInt(1_000_000_000),
        List.copyOf(days),
        List.copyOf(hours),
        gaps,
        gaps * r.nextInt(3_600_000),
        r.nextLong() >>> 2,
        // A user now and then (audit logs), often the same key under another user or none.
        r.nextInt(4) == 0 ? Integer.valueOf(r.nextBoolean() ? 0 : r.nextInt(70_000)) : null);
  }

  private Counters counters() {
    return new Counters(
        small(),
        small(),
        small(),
        r.nextInt(3),
        small(),
        small(),
        small(),
        small(),
        small(),
        small());
  }

  private long small() {
    return r.nextLong() >>> 24;
  }

  private long time() {
    return BASE_NS + r.nextInt(30) * DAY_NS + (r.nextLong() >>> 20);
  }

  private String name() {
    return r.nextInt(3) == 0 ? pick(HOSTILE) : pick(PLAIN);
  }

  /** Mostly one of the first two, so that keys repeat across baselines. */
  private String common(String[] a) {
    return r.nextInt(3) != 0 ? a[r.nextInt(2)] : pick(a);
  }

  private String pick(String[] a) {
    return a[r.nextInt(a.length)];
  }

  /**
   * A baseline of a few megabytes (crash tests), so that a write takes long enough to be
   * interrupted.
   */
  static Baseline big(long seed, int size) {
    RandomBaselines gen = new RandomBaselines(seed);
    Baseline b = gen.next();
    while (b.entries().isEmpty() || b.names().isEmpty()) {
      b = gen.next();
    }
    List<Entry> entries = new ArrayList<>();
    List<NameRecord> names = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String host = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
      Entry e = b.entries().get(i % b.entries().size());
      entries.add(
          new Entry(
              host,
              e.destination(),
              e.protocol(),
              e.port(),
              e.internalDestination(),
              e.flows() + seed,
              e.answered(),
              e.unanswered(),
              e.rejected(),
              e.packetsOut(),
              e.bytesOut(),
              e.packetsIn(),
              e.bytesIn(),
              e.firstSeenNs(),
              e.lastSeenNs(),
              e.days(),
              e.hours(),
              e.gaps(),
              e.gapSumMs(),
              e.gapSumSqMs()));
      NameRecord n = b.names().get(i % b.names().size());
      names.add(
          new NameRecord(
              host,
              n.address(),
              n.name(),
              n.source(),
              n.count() + seed,
              n.firstSeenNs(),
              n.lastSeenNs(),
              n.maxTtl()));
    }
    return new Baseline(
        b.schemaVersion(),
        b.egretVersion(),
        b.windowStartNs(),
        b.windowEndNs(),
        b.sources(),
        b.counters(),
        entries,
        names,
        b.queries());
  }
}
