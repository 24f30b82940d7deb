package dev.egret.synth;

import dev.egret.synth.Labels.Direction;
import dev.egret.synth.Labels.Key;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Scores a policy against a scenario's ground truth ({@link Labels}) on one day: of the flows
 * started inside the site (egress and internal; inbound ones are not the egress policy's to block),
 * how many legitimate and how many malicious ones the policy blocks, and which malicious ones an
 * anomaly flags. A tuple's blocked flows count up to its labelled flows; blocked flows of a tuple
 * without a label are counted apart (a disagreement between the generator and egret).
 */
public final class Score {
  private Score() {}

  /** One row of {@code egret check --csv}. */
  public record Blocked(String host, String destination, String protocol, int port, long flows) {}

  /** An anomaly, reduced to what matching needs. */
  public record Flag(
      String kind, String host, List<String> destinations, String protocol, int port) {}

  /** The figures of one behaviour; {@code caught} counts flows blocked or in a flagged tuple. */
  public record Behaviour(
      String name,
      boolean malicious,
      long flows,
      long blocked,
      long flagged,
      long caught,
      SortedSet<String> kinds) {}

  /** The figures of one day. */
  public record Card(
      int day,
      long legitFlows,
      long legitBlocked,
      long maliciousFlows,
      long maliciousBlocked,
      long maliciousCaught,
      long unlabelledBlocked,
      List<Behaviour> behaviours) {
    /** {@code part} of {@code whole} in percent, 0 when there is no whole. */
    public static double percent(long part, long whole) {
      return whole == 0 ? 0 : 100.0 * part / whole;
    }
  }

  private record Tuple(String source, String destination, String protocol, int port) {}

  /** Scores day {@code day} of {@code labels}. */
  public static Card score(
      Map<Key, Long> labels, int day, List<Blocked> blocked, List<Flag> flags) {
    Map<Tuple, Long> blockedFlows = new HashMap<>();
    for (Blocked b : blocked) {
      blockedFlows.merge(
          new Tuple(b.host(), b.destination(), b.protocol(), b.port()), b.flows(), Long::sum);
    }
    Map<String, long[]> byBehaviour = new TreeMap<>();
    Map<String, SortedSet<String>> kinds = new TreeMap<>();
    Map<String, Boolean> malicious = new HashMap<>();
    long[] legit = new long[2];
    long[] bad = new long[3];
    for (Map.Entry<Key, Long> e : labels.entrySet()) {
      Key k = e.getKey();
      if (k.day() != day || k.direction() == Direction.INBOUND) {
        continue;
      }
      Tuple t = new Tuple(k.source(), k.destination(), k.protocol(), k.port());
      long flows = e.getValue();
      long left = blockedFlows.getOrDefault(t, 0L);
      long b = Math.min(left, flows);
      if (left > 0) {
        blockedFlows.put(t, left - b);
      }
      SortedSet<String> flaggedBy = new TreeSet<>();
      for (Flag f : flags) {
        if (matches(f, t)) {
          flaggedBy.add(f.kind());
        }
      }
      long flagged = flaggedBy.isEmpty() ? 0 : flows;
      long caught = Math.max(b, flagged);
      long[] sums = byBehaviour.computeIfAbsent(k.behaviour(), x -> new long[4]);
      sums[0] += flows;
      sums[1] += b;
      sums[2] += flagged;
      sums[3] += caught;
      kinds.computeIfAbsent(k.behaviour(), x -> new TreeSet<>()).addAll(flaggedBy);
      malicious.put(k.behaviour(), k.malicious());
      if (k.malicious()) {
        bad[0] += flows;
        bad[1] += b;
        bad[2] += caught;
      } else {
        legit[0] += flows;
        legit[1] += b;
      }
    }
    long unlabelled = blockedFlows.values().stream().mapToLong(Long::longValue).sum();
    List<Behaviour> behaviours = new ArrayList<>();
    byBehaviour.forEach(
        (name, s) ->
            behaviours.add(
                new Behaviour(name, malicious.get(name), s[0], s[1], s[2], s[3], kinds.get(name))));
    return new Card(day, legit[0], legit[1], bad[0], bad[1], bad[2], unlabelled, behaviours);
  }

  /**
   * The same host, and the tuple's destination among the anomaly's; a scan's destinations are a
   * sample, and a DNS tunnel's are the domain its questions carry data under, asked through
   * whichever resolver answers, so these two match on their protocol and port instead.
   */
  private static boolean matches(Flag f, Tuple t) {
    if (!f.host().equals(t.source())) {
      return false;
    }
    if (f.destinations().contains(t.destination())) {
      return f.protocol().equals(t.protocol()) && f.port() == t.port();
    }
    return (f.kind().equals("port-scan") || f.kind().equals("dns-tunnel"))
        && f.protocol().equals(t.protocol())
        && f.port() == t.port();
  }

  /**
   * Reads a labels CSV as {@link Labels#write} writes it; errors name {@code name} and the line.
   */
  public static Map<Key, Long> readLabels(Reader in, String name) throws IOException {
    Map<Key, Long> out = new TreeMap<>();
    CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();
    boolean header = true;
    for (CSVRecord r : format.parse(in)) {
      long line = r.getRecordNumber();
      if (header) {
        header = false;
        List<String> cells = r.toList();
        if (!cells.equals(Arrays.asList(Labels.HEADER))) {
          throw new IllegalArgumentException(
              name
                  + ":1: not a labels file (expected the header "
                  + String.join(",", Labels.HEADER)
                  + ")");
        }
        continue;
      }
      if (r.size() != Labels.HEADER.length) {
        throw new IllegalArgumentException(
            name + ":" + line + ": " + r.size() + " cells, expected " + Labels.HEADER.length);
      }
      try {
        String label = r.get(6);
        if (!label.equals("legit") && !label.equals("malicious")) {
          throw new IllegalArgumentException("label '" + label + "' is not legit or malicious");
        }
        Direction direction = direction(r.get(8));
        Key k =
            new Key(
                Integer.parseInt(r.get(0)),
                r.get(1),
                r.get(2),
                r.get(3),
                Integer.parseInt(r.get(4)),
                label.equals("malicious"),
                r.get(7),
                direction);
        out.merge(k, Long.parseLong(r.get(5)), Long::sum);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ":" + line + ": " + e.getMessage(), e);
      }
    }
    if (header) {
      throw new IllegalArgumentException(name + ": empty (expected a labels CSV)");
    }
    return out;
  }

  private static Direction direction(String text) {
    for (Direction d : Direction.values()) {
      if (d.text().equals(text)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "direction '" + text + "' is not egress, internal or inbound");
  }

  /** Reads {@code egret check --csv} output; errors name {@code name} and the line. */
  public static List<Blocked> readBlocked(Reader in, String name) throws IOException {
    List<Blocked> out = new ArrayList<>();
    boolean header = true;
    for (CSVRecord r : CSVFormat.DEFAULT.parse(in)) {
      long line = r.getRecordNumber();
      if (header) {
        header = false;
        if (r.size() < 5 || !r.get(0).equals("host") || !r.get(4).equals("flows")) {
          throw new IllegalArgumentException(
              name + ":1: not the CSV of egret check --csv (expected host,destination,...)");
        }
        continue;
      }
      try {
        out.add(
            new Blocked(
                r.get(0),
                r.get(1),
                r.get(2),
                Integer.parseInt(r.get(3)),
                Long.parseLong(r.get(4))));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(name + ":" + line + ": " + e.getMessage(), e);
      }
    }
    if (header) {
      throw new IllegalArgumentException(name + ": empty (expected the CSV of egret check --csv)");
    }
    return out;
  }
}
