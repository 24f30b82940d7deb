package dev.egret.cli;

import dev.egret.baseline.Learner;
import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowSink;
import dev.egret.flow.NameObserver;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import dev.egret.policy.DnsAnswers;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyChecker;
import dev.egret.policy.PortRange;
import dev.egret.policy.Rule;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code check} needs beyond the baseline to judge name rules as the resolver's sets do: sits
 * between the flow pipeline and the learner, passes everything on, and keeps the DNS answers seen
 * (with their times) and the start of every egress connection that a name rule could allow (its
 * protocol and port are a name rule's), by baseline entry key.
 */
final class DnsCheckTap implements FlowSink, NameObserver {
  private final Learner learner;
  private final Policy policy;
  private final DnsAnswers answers;
  private final Map<String, long[]> starts = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<Integer, Boolean> nameRule = new HashMap<>();

  DnsCheckTap(Learner learner, Policy policy, DnsAnswers answers) {
    this.learner = learner;
    this.policy = policy;
    this.answers = answers;
  }

  /** The connection starts by entry key, for {@link PolicyChecker#check}. */
  PolicyChecker.FlowStarts starts() {
    return key -> {
      long[] s = starts.get(key);
      return s == null ? null : Arrays.copyOf(s, counts.get(key));
    };
  }

  @Override
  public void onFlow(FlowRecord f) {
    learner.onFlow(f);
    FlowKey k = f.key();
    if (learner.classify(k, f.linkBroadcast()) != Learner.Kind.EGRESS
        || !nameRuleFor(k.proto(), Learner.entryPort(k))) {
      return;
    }
    String key =
        k.initiator()
            + " "
            + k.responder()
            + " "
            + Protocols.name(k.proto())
            + " "
            + Learner.entryPort(k);
    long[] s = starts.computeIfAbsent(key, x -> new long[4]);
    int n = counts.getOrDefault(key, 0);
    if (n == s.length) {
      s = Arrays.copyOf(s, n * 2);
      starts.put(key, s);
    }
    s[n] = f.startNanos();
    counts.put(key, n + 1);
  }

  private boolean nameRuleFor(int proto, int port) {
    return nameRule.computeIfAbsent(proto << 16 | port, k -> findNameRule(proto, port));
  }

  private boolean findNameRule(int proto, int port) {
    for (Rule r : policy.rules()) {
      if (r.protocolNumber() != proto || r.destination().hostNames().isEmpty()) {
        continue;
      }
      if (r.ports().isEmpty()) {
        return true;
      }
      for (PortRange p : r.ports()) {
        if (p.contains(port)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void dnsAnswer(
      long tsNanos,
      long clientHi,
      long clientLo,
      String name,
      long addrHi,
      long addrLo,
      long ttlSeconds) {
    learner.dnsAnswer(tsNanos, clientHi, clientLo, name, addrHi, addrLo, ttlSeconds);
    answers.answer(tsNanos, name, IpAddress.of(addrHi, addrLo), ttlSeconds);
  }

  @Override
  public void dnsQuestion(
      long tsNanos, long clientHi, long clientLo, String name, int qtype, int rcode) {
    learner.dnsQuestion(tsNanos, clientHi, clientLo, name, qtype, rcode);
  }

  @Override
  public void serverName(long tsNanos, FlowKey flow, String name, Source source) {
    learner.serverName(tsNanos, flow, name, source);
  }
}
