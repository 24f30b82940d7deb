package dev.egret.live;

import dev.egret.baseline.Learner;
import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowStartObserver;
import dev.egret.flow.NameObserver;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import dev.egret.policy.NameTtl;
import dev.egret.policy.PolicyChecker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks every new egress flow against the policy as it starts, with the same check as {@code egret
 * check} ({@link PolicyChecker#allows}), and reports those it would block: at most one alert per
 * (host, destination, protocol, port) per period, the rest only counted. The name in an alert is
 * the last one the host resolved or sent for that address (DNS answer, SNI, HTTP Host) before the
 * flow started, remembered for at most {@value #MAX_NAMES} pairs.
 */
public final class DriftAlerts implements FlowStartObserver {
  static final int MAX_NAMES = 65_536;
  static final int MAX_LIMITED = 100_000;

  private record Pair(long hHi, long hLo, long aHi, long aLo) {}

  private record Limit(long hHi, long hLo, long dHi, long dLo, int proto, int port) {}

  private record Address(long hi, long lo) {}

  private final PolicyChecker checker;
  private final Learner classifier;
  private final long everyNanos;
  private final Consumer<Alert> sink;
  private final Map<Pair, String> names = lru(MAX_NAMES);
  private final Map<Limit, Long> lastAlert = lru(MAX_LIMITED);
  // address -> end of the window of the last DNS answer that gave it (ns)
  private final Map<Address, Long> answered = lru(MAX_NAMES);
  private long blocked;
  private long alerts;

  /**
   * @param classifier decides which flows are egress, exactly as learning does
   * @param everyNanos at most one alert per (host, destination, protocol, port) in this period
   * @param sink receives the alerts, on the processing thread
   */
  public DriftAlerts(
      PolicyChecker checker, Learner classifier, long everyNanos, Consumer<Alert> sink) {
    this.checker = checker;
    this.classifier = classifier;
    this.everyNanos = everyNanos;
    this.sink = sink;
  }

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> e) {
        return size() > max;
      }
    };
  }

  /** A flow the policy would block. */
  public record Alert(
      long tsNanos, String host, String destination, String name, String protocol, int port) {
    public String text() {
      return Times.iso(tsNanos)
          + " would block "
          + host
          + " -> "
          + destination
          + (name.isEmpty() ? "" : " (" + name + ")")
          + " "
          + protocol
          + "/"
          + port;
    }

    public String json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", Times.iso(tsNanos));
      m.put("event", "would-block");
      m.put("host", host);
      m.put("destination", destination);
      m.put("name", name);
      m.put("protocol", protocol);
      m.put("port", port);
      return Times.json(m);
    }
  }

  /**
   * True when {@code k}, started at {@code startNanos}, is egress, as learning sorts flows, and the
   * policy would block it. A rule limited to the resolver's answers ({@link
   * dev.egret.policy.Destination#resolved}) allows an address a DNS answer seen here gave, within
   * that answer's window ({@link NameTtl#DEFAULT}).
   */
  public boolean wouldBlock(FlowKey k, boolean linkBroadcast, long startNanos) {
    if (classifier.classify(k, linkBroadcast) != Learner.Kind.EGRESS) {
      return false;
    }
    IpAddress host = IpAddress.of(k.initHi(), k.initLo());
    IpAddress dest = IpAddress.of(k.respHi(), k.respLo());
    int port = Learner.entryPort(k);
    if (checker.allows(host, dest, k.proto(), port)) {
      return false;
    }
    Long until = answered.get(new Address(k.respHi(), k.respLo()));
    return until == null
        || startNanos > until
        || !checker.allowsResolved(host, dest, k.proto(), port);
  }

  @Override
  public void flowStarted(FlowKey k, long tsNanos, boolean linkBroadcast) {
    if (!wouldBlock(k, linkBroadcast, tsNanos)) {
      return;
    }
    int port = Learner.entryPort(k);
    blocked++;
    Limit key = new Limit(k.initHi(), k.initLo(), k.respHi(), k.respLo(), k.proto(), port);
    Long last = lastAlert.get(key);
    if (last != null && tsNanos - last < everyNanos) {
      return;
    }
    lastAlert.put(key, tsNanos);
    alerts++;
    String name = names.get(new Pair(k.initHi(), k.initLo(), k.respHi(), k.respLo()));
    sink.accept(
        new Alert(
            tsNanos,
            IpAddress.of(k.initHi(), k.initLo()).toString(),
            IpAddress.of(k.respHi(), k.respLo()).toString(),
            name == null ? "" : name,
            Protocols.name(k.proto()),
            port));
  }

  /** New egress flows the policy would block, alerted or not. */
  public long blocked() {
    return blocked;
  }

  /** Alerts sent; {@link #blocked()} minus this were rate-limited. */
  public long alerts() {
    return alerts;
  }

  /** Passes names on to {@code next} and remembers them for alerts. */
  public NameObserver names(NameObserver next) {
    return new NameObserver() {
      @Override
      public void dnsAnswer(
          long ts, long cHi, long cLo, String name, long aHi, long aLo, long ttl) {
        names.put(new Pair(cHi, cLo, aHi, aLo), name);
        answered.merge(
            new Address(aHi, aLo), ts + NameTtl.DEFAULT.window(ttl) * 1_000_000_000L, Math::max);
        next.dnsAnswer(ts, cHi, cLo, name, aHi, aLo, ttl);
      }

      @Override
      public void dnsQuestion(long ts, long cHi, long cLo, String name, int qtype, int rcode) {
        next.dnsQuestion(ts, cHi, cLo, name, qtype, rcode);
      }

      @Override
      public void serverName(long ts, FlowKey flow, String name, Source source) {
        names.put(new Pair(flow.initHi(), flow.initLo(), flow.respHi(), flow.respLo()), name);
        next.serverName(ts, flow, name, source);
      }
    };
  }
}
