package dev.egret.compile;

import dev.egret.compile.EgressPlan.Entry;
import dev.egret.compile.EgressPlan.Family;
import dev.egret.net.Cidr;
import dev.egret.net.HostName;
import dev.egret.policy.Policy;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * The address sets that follow DNS: one per family for every rule whose destination is a name. The
 * nftables and iptables targets declare them (nftables {@code flags timeout}, ipset {@code timeout
 * 0}) seeded with the learned addresses, which stay in the set; the site resolver ({@code compile
 * --target dnsmasq}) or {@code egret resolve} adds the addresses it is given for the rule's names.
 *
 * <p>Set names come from the rule name alone ({@code [a-z0-9_-]}, checked when the policy is read),
 * never from a name seen on the wire, and are the same in every file that refers to them.
 */
public final class NameSets {
  /** The nftables table, family {@code inet}, that holds the sets. */
  public static final String NFT_TABLE = NftablesCompiler.TABLE;

  /**
   * One set.
   *
   * @param rule the rule's name
   * @param v4 IPv4 (A answers) or IPv6 (AAAA answers)
   * @param nftSet the set's name in {@code table inet egret}
   * @param ipset the ipset's name (at most 31 bytes)
   * @param names the rule's names that are valid host names or wildcards, normalized, sorted
   * @param seeds the learned addresses the set starts with, sorted
   */
  public record NameSet(
      String rule, boolean v4, String nftSet, String ipset, List<String> names, List<Cidr> seeds) {
    public NameSet {
      names = List.copyOf(names);
      seeds = List.copyOf(seeds);
    }

    /** True when every seed is a single address (a hash set; otherwise an interval set). */
    public boolean hostSeedsOnly() {
      return seeds.stream().allMatch(c -> c.bits() == 128);
    }
  }

  private NameSets() {}

  /**
   * True when the rule's destination is a name: not "any destination", and at least one of its
   * names is a valid host name or wildcard. A rule whose names are all invalid stays an address
   * rule.
   */
  public static boolean isNameRule(Rule r) {
    return !r.destination().hostNames().isEmpty();
  }

  /** The rule's names that may be resolved, normalized (lower case), sorted, without repeats. */
  public static List<String> validNames(Rule r) {
    return r.destination().hostNames();
  }

  /** The rule's names that are not valid host names: left out of every resolver file. */
  public static List<String> invalidNames(Rule r) {
    List<String> out = new ArrayList<>();
    for (String n : r.destination().names()) {
      if (HostName.normalize(n) == null) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * Every name set of the rules that apply with these options, deny rules' included, in rule and
   * family order: a denied name's addresses go to its deny rule's set, which is matched first.
   */
  public static List<NameSet> of(Policy p, CompileOptions o) {
    List<NameSet> out = new ArrayList<>();
    EgressPlan plan = EgressPlan.of(p, o);
    for (Entry e : plan.entries) {
      if (e.named()) {
        out.add(set(e));
      }
    }
    for (Entry e : plan.denyEntries) {
      if (e.named()) {
        out.add(set(e));
      }
    }
    return out;
  }

  static NameSet set(Entry e) {
    String rule = e.rule().name();
    boolean v4 = e.family() == Family.V4;
    return new NameSet(
        rule,
        v4,
        nftName(e.family(), rule),
        IpsetFile.name('d', e.family(), rule),
        validNames(e.rule()),
        e.destinations());
  }

  /** The nftables set of a rule's destinations: {@code d4_<rule>} or {@code d6_<rule>}. */
  static String nftName(Family f, String rule) {
    return NftText.name("d" + (f == Family.V4 ? "4" : "6") + "_", rule);
  }
}
