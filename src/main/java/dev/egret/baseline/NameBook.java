package dev.egret.baseline;

import dev.egret.baseline.LearnKeys.NameKey;
import dev.egret.baseline.LearnKeys.QueryKey;
import dev.egret.flow.FlowKey;
import dev.egret.flow.NameObserver.Source;
import dev.egret.net.Ip;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names {@link Learner} keeps while it learns: (host, address, name, source) from DNS answers,
 * TLS and QUIC server names and HTTP hosts, and (host, name) from DNS questions, each counted with
 * its first and last time, for internal hosts only. Each table holds at most {@code maxNames}; what
 * does not fit is counted in {@link #dropped}.
 */
final class NameBook {
  private static final String DNS = Source.DNS.label();

  private final EgretConfig config;
  private final int maxNames;
  private final Map<NameKey, Seen> names = new HashMap<>();
  private final Map<QueryKey, Seen> queries = new HashMap<>();
  private final NameKey nameProbe = new NameKey();
  private final QueryKey queryProbe = new QueryKey();
  private long dropped;

  NameBook(EgretConfig config, int maxNames) {
    this.config = config;
    this.maxNames = maxNames;
  }

  /** A DNS answer to a client: the address and the largest TTL it came with. */
  void dnsAnswer(long ts, long cHi, long cLo, String name, long aHi, long aLo, long ttl) {
    if (!config.isInternal(cHi, cLo)) {
      return;
    }
    Seen s = nameSeen(nameProbe.set(cHi, cLo, aHi, aLo, name, DNS));
    if (s != null) {
      s.see(ts);
      s.extra = Math.max(s.extra, ttl);
    }
  }

  /** A DNS question a client asked; {@code rcode} other than 0 counts as a failure. */
  void dnsQuestion(long ts, long cHi, long cLo, String name, int rcode) {
    if (!config.isInternal(cHi, cLo)) {
      return;
    }
    QueryKey k = queryProbe.set(cHi, cLo, name);
    Seen s = queries.get(k);
    if (s == null) {
      if (queries.size() >= maxNames) {
        dropped++;
        return;
      }
      s = new Seen();
      queries.put(k.copy(), s);
    }
    s.see(ts);
    if (rcode != 0) {
      s.extra++;
    }
  }

  /** A name the initiator of {@code flow} gave its responder (TLS or QUIC SNI, HTTP Host). */
  void serverName(long ts, FlowKey flow, String name, Source source) {
    if (!config.isInternal(flow.initHi(), flow.initLo())) {
      return;
    }
    Seen s =
        nameSeen(
            nameProbe.set(
                flow.initHi(), flow.initLo(), flow.respHi(), flow.respLo(), name, source.label()));
    if (s != null) {
      s.see(ts);
    }
  }

  private Seen nameSeen(NameKey k) {
    Seen s = names.get(k);
    if (s == null) {
      if (names.size() >= maxNames) {
        dropped++;
        return null;
      }
      s = new Seen();
      names.put(k.copy(), s);
    }
    return s;
  }

  int nameCount() {
    return names.size();
  }

  /** Names and questions not kept because their table was full. */
  long dropped() {
    return dropped;
  }

  /** The names so far, as records. */
  List<NameRecord> names() {
    List<NameRecord> out = new ArrayList<>(names.size());
    names.forEach(
        (k, s) ->
            out.add(
                new NameRecord(
                    Ip.toString(k.hHi, k.hLo),
                    Ip.toString(k.dHi, k.dLo),
                    k.name,
                    k.source,
                    s.count,
                    s.first,
                    s.last,
                    s.extra)));
    return out;
  }

  /** The questions so far, as records. */
  List<QueryRecord> queries() {
    List<QueryRecord> out = new ArrayList<>(queries.size());
    queries.forEach(
        (k, s) ->
            out.add(
                new QueryRecord(
                    Ip.toString(k.hHi, k.hLo), k.name, s.count, s.extra, s.first, s.last)));
    return out;
  }
}
