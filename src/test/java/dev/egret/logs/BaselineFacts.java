package dev.egret.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Entry;
import dev.egret.baseline.NameRecord;
import dev.egret.baseline.QueryRecord;
import dev.egret.cli.Egret;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The comparison behind the log equivalence tests (Zeek and EVE against the packets): a baseline
 * learned with every host inside, reduced to tab-separated facts (entry: host, destination,
 * protocol, port; name: host, address, name, source; query: host, name), the differences between
 * two sets of facts, and the check that they are exactly the ones listed with a reason in a test
 * resource.
 */
final class BaselineFacts {
  private BaselineFacts() {}

  /** {@code egret learn INPUTS} into a fresh baseline in {@code dir}; no warning allowed. */
  static Baseline learn(Path dir, List<String> inputs, String name) throws IOException {
    Path state = dir.resolve(name.replace('/', '_') + ".json");
    List<String> args = new ArrayList<>(List.of("learn"));
    args.addAll(inputs);
    args.addAll(List.of("--baseline", state.toString(), "--internal", "0.0.0.0/0,::/0"));
    StringWriter err = new StringWriter();
    int rc =
        Egret.run(
            args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertEquals(0, rc, name + ": " + err);
    assertFalse(err.toString().contains("warning"), name + ": " + err);
    return BaselineJson.read(state);
  }

  /** What is compared: entries, names and questions, as tab-separated facts. */
  static Set<String> of(Baseline b) {
    Set<String> out = new TreeSet<>();
    for (Entry e : b.entries()) {
      out.add(
          String.join(
              "\t", "entry", e.host(), e.destination(), e.protocol(), String.valueOf(e.port())));
    }
    for (NameRecord n : b.names()) {
      out.add(String.join("\t", "name", n.host(), n.address(), n.name(), n.source()));
    }
    for (QueryRecord q : b.queries()) {
      out.add(String.join("\t", "query", q.host(), q.name()));
    }
    return out;
  }

  /**
   * What each entry's flows came to, by entry ("host, destination, protocol, port"): answered,
   * never answered, refused, each present when some flow had it.
   */
  static Map<String, String> outcomes(Baseline b) {
    Map<String, String> out = new TreeMap<>();
    for (Entry e : b.entries()) {
      List<String> o = new ArrayList<>();
      if (e.answered() > 0) {
        o.add("answered");
      }
      if (e.unanswered() > 0) {
        o.add("unanswered");
      }
      if (e.rejected() > 0) {
        o.add("refused");
      }
      out.put(
          String.join("\t", e.host(), e.destination(), e.protocol(), String.valueOf(e.port())),
          String.join(",", o));
    }
    return out;
  }

  /**
   * Adds to {@code out} every entry on both sides whose outcomes differ, as "stem, outcomes, entry,
   * packets' outcomes, the logs' outcomes" (an entry on one side only is a difference of {@link
   * #of} already).
   */
  static void diffOutcomes(
      String stem, Map<String, String> packets, Map<String, String> logs, Set<String> out) {
    for (Map.Entry<String, String> p : packets.entrySet()) {
      String l = logs.get(p.getKey());
      if (l != null && !l.equals(p.getValue())) {
        out.add(String.join("\t", stem, "outcomes", p.getKey(), p.getValue(), l));
      }
    }
  }

  /** Adds to {@code out} every fact on one side only, as "stem, side, fact". */
  static void diff(String stem, Set<String> packets, Set<String> logs, Set<String> out) {
    for (String f : packets) {
      if (!logs.contains(f)) {
        out.add(stem + "\tpackets-only\t" + f);
      }
    }
    for (String f : logs) {
      if (!packets.contains(f)) {
        out.add(stem + "\tlogs-only\t" + f);
      }
    }
  }

  /**
   * Fails unless {@code found} is exactly the differences listed in the resource (every column but
   * the last, which is the reason): an unlisted difference fails, and so does a stale listed one.
   */
  static void assertListed(Set<String> found, String resource) throws IOException {
    Map<String, String> listed = listed(resource);
    List<String> unlisted = new ArrayList<>(found);
    unlisted.removeAll(listed.keySet());
    List<String> stale = new ArrayList<>(listed.keySet());
    stale.removeAll(found);
    assertEquals(List.of(), unlisted, "differences not listed in " + resource);
    assertEquals(List.of(), stale, "listed differences that no longer occur");
  }

  private static Map<String, String> listed(String resource) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (InputStream in = BaselineFacts.class.getResourceAsStream(resource)) {
      assertTrue(in != null, resource + " missing");
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        int cut = line.lastIndexOf('\t');
        assertTrue(cut > 0 && !line.substring(cut + 1).isBlank(), "a reason: " + line);
        assertTrue(out.put(line.substring(0, cut), line.substring(cut + 1)) == null, line);
      }
    }
    return out;
  }
}
