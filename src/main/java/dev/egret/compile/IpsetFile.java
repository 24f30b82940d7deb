package dev.egret.compile;

import dev.egret.compile.EgressPlan.Family;
import dev.egret.net.Cidr;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@code ipset restore} file that holds the address lists too long for one iptables line. */
final class IpsetFile {
  /** IPSET_MAXNAMELEN is 32 bytes including the NUL. */
  static final int NAME_MAX = 31;

  /** Seconds an address the site resolver adds to a name's set stays: max-cache-ttl + grace. */
  static final long NAME_TIMEOUT =
      dev.egret.policy.NameTtl.DEFAULT.window(dev.egret.policy.NameTtl.DEFAULT.maxTtl());

  final int threshold;
  private final Map<String, String> sets = new TreeMap<>();

  IpsetFile(int threshold) {
    this.threshold = threshold;
  }

  boolean isEmpty() {
    return sets.isEmpty();
  }

  /**
   * A set name from a rule or role name: {@code egret-<kind><family>-<name>}; long names are cut
   * and given a hash of the whole so that two names never meet.
   */
  static String name(char kind, Family f, String base) {
    String prefix = "e" + kind + (f == Family.V4 ? "4" : "6") + "-";
    String id = SafeText.identifier(base.replace('-', '_'), 64);
    if (prefix.length() + id.length() > NAME_MAX) {
      String hash = String.format("%08x", base.hashCode());
      id = id.substring(0, NAME_MAX - prefix.length() - 9) + "_" + hash;
    }
    return prefix + id;
  }

  void add(String name, Family f, List<Cidr> cidrs) {
    add(name, f, cidrs, false);
  }

  /**
   * A set of addresses; {@code timeout} creates it with timeout support ({@code timeout 0}), as the
   * learned addresses of a name rule always were: {@code create -exist} refuses a set of the same
   * name created with other options, so an apply over an older egret's sets would fail.
   */
  void add(String name, Family f, List<Cidr> cidrs, boolean timeout) {
    StringBuilder sb = new StringBuilder();
    sb.append("create ")
        .append(name)
        .append(" hash:net family ")
        .append(f == Family.V4 ? "inet" : "inet6")
        .append(timeout ? " timeout 0" : "")
        .append(" -exist\n");
    sb.append("flush ").append(name).append('\n');
    for (Cidr c : cidrs) {
      sb.append("add ").append(name).append(' ').append(c).append('\n');
    }
    sets.put(name, sb.toString());
  }

  /**
   * A name's set. Its default timeout, {@link #NAME_TIMEOUT} seconds, is what an address dnsmasq
   * adds gets: dnsmasq adds an answer when it comes from upstream (adding it again sets the timeout
   * anew) and serves it from its cache for at most {@code max-cache-ttl} (3,600 s) after that, so
   * the address stays as long as dnsmasq hands it out, plus the grace period, and then leaves; a
   * held name's set keeps it for the hold when that is longer ({@link NameSets.NameSet#hold}).
   * {@code egret resolve} adds with timeouts of its own. Loading the file again flushes the set;
   * the resolver adds back what it still answers.
   */
  void addNameSet(NameSets.NameSet set) {
    StringBuilder sb = new StringBuilder();
    sb.append("create ")
        .append(set.ipset())
        .append(" hash:net family ")
        .append(set.v4() ? "inet" : "inet6")
        .append(" timeout ")
        .append(set.keep(NAME_TIMEOUT))
        .append(" -exist\n");
    sb.append("flush ").append(set.ipset()).append('\n');
    sets.put(set.ipset(), sb.toString());
  }

  String text() {
    StringBuilder sb = new StringBuilder();
    sb.append("# egret egress policy: address sets for rules.v4 and rules.v6\n");
    sb.append("# Load before the rules: ipset restore -exist < ipset.conf\n");
    sets.values().forEach(sb::append);
    return sb.toString();
  }
}
