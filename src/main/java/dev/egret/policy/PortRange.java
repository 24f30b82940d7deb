package dev.egret.policy;

/** An inclusive port range; a single port has {@code from == to}. */
public record PortRange(int from, int to) implements Comparable<PortRange> {
  public PortRange {
    if (from < 0 || to > 65535 || from > to) {
      throw new PolicyException(
          "port range out of order or out of range: " + from + "-" + to + " (expected 0-65535)");
    }
  }

  public static PortRange of(int port) {
    return new PortRange(port, port);
  }

  public static PortRange of(int from, int to) {
    return new PortRange(from, to);
  }

  /** Parses {@code 443} or {@code 8000-8010}. */
  public static PortRange parse(String text) {
    String t = text.trim();
    int dash = t.indexOf('-');
    try {
      if (dash < 0) {
        return of(Integer.parseInt(t));
      }
      return of(
          Integer.parseInt(t.substring(0, dash).trim()),
          Integer.parseInt(t.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new PolicyException(
          "not a port or port range: \"" + text + "\" (expected 443 or 8000-8010)");
    }
  }

  public boolean single() {
    return from == to;
  }

  public boolean contains(int port) {
    return port >= from && port <= to;
  }

  public int count() {
    return to - from + 1;
  }

  @Override
  public int compareTo(PortRange o) {
    return from != o.from ? Integer.compare(from, o.from) : Integer.compare(to, o.to);
  }

  @Override
  public String toString() {
    return single() ? Integer.toString(from) : from + "-" + to;
  }
}
