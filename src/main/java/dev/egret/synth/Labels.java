package dev.egret.synth;

import dev.egret.io.Csv;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVPrinter;

/**
 * The ground truth of a site scenario: how many flows each (day, source, destination, protocol,
 * port) carried, and whether they were legitimate or malicious, by which behaviour. One flow is
 * what egret counts as one: a TCP connection attempt (retransmitted SYNs included), one UDP
 * exchange from one source port, one ICMP echo conversation.
 */
public final class Labels {
  /** Who started the flows, seen from the site. */
  public enum Direction {
    /** An internal host to the outside. */
    EGRESS,
    /** An internal host to another internal host (a resolver, a database). */
    INTERNAL,
    /** An outside client to an internal server. */
    INBOUND;

    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One labelled tuple; {@code day} counts from 1. */
  public record Key(
      int day,
      String source,
      String destination,
      String protocol,
      int port,
      boolean malicious,
      String behaviour,
      Direction direction)
      implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return java.util.Comparator.comparingInt(Key::day)
          .thenComparing(Key::source)
          .thenComparing(Key::destination)
          .thenComparing(Key::protocol)
          .thenComparingInt(Key::port)
          .thenComparing(Key::behaviour)
          .compare(this, o);
    }
  }

  /** The CSV header, in column order. */
  public static final String[] HEADER = {
    "day", "source", "destination", "protocol", "port", "flows", "label", "behaviour", "direction"
  };

  private final Map<Key, Long> flows = new TreeMap<>();

  void add(
      int day,
      int src4,
      int dst4,
      String protocol,
      int port,
      boolean malicious,
      String behaviour,
      Direction direction) {
    add(day, text(src4), text(dst4), protocol, port, malicious, behaviour, direction);
  }

  /** As above, with addresses as egret writes them (dotted quad, or RFC 5952 IPv6). */
  void add(
      int day,
      String source,
      String destination,
      String protocol,
      int port,
      boolean malicious,
      String behaviour,
      Direction direction) {
    Key k = new Key(day, source, destination, protocol, port, malicious, behaviour, direction);
    flows.merge(k, 1L, Long::sum);
  }

  /** Every labelled tuple with its flow count, in a stable order. */
  public Map<Key, Long> flows() {
    return java.util.Collections.unmodifiableMap(flows);
  }

  /** Writes the labels as CSV, one row per tuple. */
  public void write(Writer out) throws IOException {
    CSVPrinter p = Csv.printer(out, HEADER);
    for (Map.Entry<Key, Long> e : flows.entrySet()) {
      Key k = e.getKey();
      p.printRecord(
          k.day(),
          k.source(),
          k.destination(),
          k.protocol(),
          k.port(),
          e.getValue(),
          k.malicious() ? "malicious" : "legit",
          k.behaviour(),
          k.direction().text());
    }
    p.flush();
  }

  static String text(int v4) {
    return (v4 >>> 24) + "." + ((v4 >>> 16) & 0xff) + "." + ((v4 >>> 8) & 0xff) + "." + (v4 & 0xff);
  }
}
