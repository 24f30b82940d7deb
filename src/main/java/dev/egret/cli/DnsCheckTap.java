package dev.egret.cli;

import dev.egret.baseline.Learner;
import dev.egret.flow.FlowKey;
import dev.egret.flow.FlowRecord;
import dev.egret.flow.FlowSink;
import dev.egret.flow.NameObserver;
import dev.egret.net.Cidr;
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
 * protocol and port are a name rule's), by baseline entry key. DNS answers count only from servers
 * the policy lets the client, or some host, ask ({@link #dnsAnswerFrom}).
 */
final class DnsCheckTap implements FlowSink, NameObserver {
  private final Learner learner;
  private final Policy policy;
  private final DnsAnswers answers;
  private final Map<String, long[]> starts = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<Integer, Boolean> nameRule = new HashMap<>();
  private final Map<IpAddress, Boolean> trusted = new HashMap<>();
  private final PolicyChecker checker;

  private static final int DNS_PORT = 53;

  DnsCheckTap(Learner learner, Policy policy, DnsAnswers answers) {
    this.learner = learner;
    this.policy = policy;
    this.answers = answers;
    this.checker = new PolicyChecker(policy);
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
      if (r.protocolNumber() != proto
          || r.destination().hostNames().isEmpty() && !r.destination().resolvedOnly()) {
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

  /**
   * An answer counts only if the resolver's sets could have heard of it: the policy lets this
   * client ask this server, or the server is one the policy lets some host ask (a site resolver,
   * which adds every answer it gives). A compromised host's own DNS server, "resolving" a policy
   * name to the attacker's address, explains nothing.
   */
  @Override
  public void dnsAnswerFrom(
      long tsNanos,
      long clientHi,
      long clientLo,
      long serverHi,
      long serverLo,
      String name,
      long addrHi,
      long addrLo,
      long ttlSeconds) {
    learner.dnsAnswer(tsNanos, clientHi, clientLo, name, addrHi, addrLo, ttlSeconds);
    IpAddress server = IpAddress.of(serverHi, serverLo);
    if (trusted.computeIfAbsent(server, this::sanctioned)
        || asks(IpAddress.of(clientHi, clientLo), server)) {
      answers.answer(tsNanos, name, IpAddress.of(addrHi, addrLo), ttlSeconds);
    }
  }

  private boolean asks(IpAddress client, IpAddress server) {
    return checker.allows(client, server, Protocols.UDP, DNS_PORT)
        || checker.allows(client, server, Protocols.TCP, DNS_PORT);
  }

  /** Some rule of the policy allows DNS to {@code server}. */
  private boolean sanctioned(IpAddress server) {
    for (Rule r : policy.rules()) {
      int p = r.protocolNumber();
      if (p != Protocols.UDP && p != Protocols.TCP) {
        continue;
      }
      boolean port = r.ports().isEmpty();
      for (PortRange range : r.ports()) {
        port |= range.contains(DNS_PORT);
      }
      if (!port) {
        continue;
      }
      if (r.destination().any()) {
        return true;
      }
      for (Cidr c : r.destination().addresses()) {
        if (c.contains(server)) {
          return true;
        }
      }
    }
    return false;
  }

  /** An answer whose server is not known (no reader passes one now): counted, as before. */
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
