package dev.egret.policy;

import dev.egret.baseline.Entry;
import dev.egret.net.Cidr;
import dev.egret.net.IpAddress;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether an "any destination" rule is limited to the addresses the site's resolver answered
 * ({@link Destination#resolved}): where the site has a resolver of its own and the flows behind the
 * rule went, {@link #MIN_SHARE} of them or more, to addresses some DNS answer of the window gave. A
 * role that reaches bare addresses on the port (software resolving over HTTPS, media relays handed
 * out by address, a hard-coded server) keeps any address. The flows of hosts that asked DNS past
 * the site's resolver do not count: the policy sends their DNS to it ({@link OutsideResolvers}),
 * after which their answers feed the set like everyone's.
 */
final class ResolvedShare {
  /** The least share of the rule's flows that went to DNS-answered addresses. */
  static final double MIN_SHARE = 0.99;

  private final Names names;
  private final boolean siteResolver;
  private final Set<String> askingOutside;

  /**
   * @param siteResolver whether the site's hosts ask a resolver of its own, where the resolver
   *     configuration ({@code compile --target dnsmasq}) can fill the set
   * @param askingOutside hosts whose DNS went past the site's resolver
   */
  ResolvedShare(Names names, boolean siteResolver, Set<String> askingOutside) {
    this.names = names;
    this.siteResolver = siteResolver;
    this.askingOutside = Set.copyOf(askingOutside);
  }

  /** A gate that never limits a rule: for callers without a site view. */
  static ResolvedShare never(Names names) {
    return new ResolvedShare(names, false, Set.of());
  }

  /**
   * Flows to answered addresses over the flows counted (hosts asking outside left out); -1 when no
   * flow counts.
   */
  double of(List<Entry> entries) {
    long all = 0;
    long answered = 0;
    for (Entry e : entries) {
      if (askingOutside.contains(e.host())) {
        continue;
      }
      all += e.flows();
      if (!names.dns(e.host(), e.destination()).isEmpty()) {
        answered += e.flows();
      }
    }
    return all == 0 ? -1 : (double) answered / all;
  }

  /**
   * The addresses the rule allows from the start, as host routes, as a name rule its learned
   * addresses: those of {@code entries} that a DNS answer gave (a client may still use an answer it
   * got before the rules were loaded), and those of the allowed entries, answered or not (a server
   * at a fixed address the role reaches often enough to be allowed alone; the last 1% of the flows
   * may be its). A one-off ({@code oneOffs}) at a bare address is not one of them.
   */
  List<Cidr> learned(List<Entry> entries, List<Entry> oneOffs) {
    Set<Entry> rare = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    rare.addAll(oneOffs);
    TreeSet<Cidr> out = new TreeSet<>();
    for (Entry e : entries) {
      boolean answered = !names.dns(e.host(), e.destination()).isEmpty();
      if (answered || !rare.contains(e)) {
        out.add(Cidr.host(IpAddress.parse(e.destination())));
      }
    }
    return List.copyOf(out);
  }

  /** True when a rule resting on {@code entries} is limited to the resolver's answers. */
  boolean gated(List<Entry> entries) {
    return siteResolver && of(entries) >= MIN_SHARE;
  }

  /**
   * {@link #gated(List)}, and where the site has a resolver and most of the rule's flows were
   * answered, but the rule of {@code role} on {@code service} stays open to any address, a warning
   * saying why and whose flows made it so: flows to bare addresses in the learning window (a host
   * resolving past the resolver, an address handed out in-band, or a compromised host calling out
   * while egret learned) keep the whole role open.
   */
  boolean gated(String role, String service, List<Entry> entries) {
    if (gated(entries)) {
      return true;
    }
    if (!siteResolver) {
      return false;
    }
    long all = 0;
    long bare = 0;
    java.util.Map<String, Long> byHost = new java.util.TreeMap<>();
    for (Entry e : entries) {
      if (askingOutside.contains(e.host())) {
        continue;
      }
      all += e.flows();
      if (names.dns(e.host(), e.destination()).isEmpty()) {
        bare += e.flows();
        byHost.merge(e.host(), e.flows(), Long::sum);
      }
    }
    // Where most flows had no answer, the input shows no DNS for them (no dns.log, a sensor that
    // misses the questions): nothing points to a few hosts then.
    if (bare == 0 || 2 * bare > all) {
      return false;
    }
    java.util.Map.Entry<String, Long> most =
        byHost.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow();
    warnings.add(
        String.format(
            java.util.Locale.ROOT,
            "role %s: its any-destination rule on %s allows any address, not only those the"
                + " site's resolver answered: %d of %d flows (%.1f%%) went to addresses no DNS"
                + " answer gave, %d of them from %s; bare addresses are what a reverse shell or a"
                + " payload uses, so look at them (egret baseline show) before trusting the rule",
            role,
            service,
            bare,
            all,
            100.0 * bare / all,
            most.getValue(),
            most.getKey()));
    return false;
  }

  private final List<String> warnings = new java.util.ArrayList<>();

  /** The warnings of {@link #gated(String, String, List)}, in the order the rules were built. */
  List<String> warnings() {
    return List.copyOf(warnings);
  }
}
