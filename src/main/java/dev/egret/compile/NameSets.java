package dev.egret.compile;

import dev.egret.compile.EgressPlan.Entry;
import dev.egret.compile.EgressPlan.Family;
import dev.egret.net.HostName;
import dev.egret.policy.Policy;
import dev.egret.policy.Rule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The address sets that follow DNS: one per name pattern (a host name or a wildcard) and address
 * family, shared by every rule that has the name. The site resolver ({@code compile --target
 * dnsmasq}) or {@code egret resolve} adds the addresses it is given for the name; the nftables and
 * iptables targets declare the sets (nftables {@code flags timeout}, ipset {@code timeout 0},
 * empty) and match each name rule against its learned addresses (a set of its own, as any rule's)
 * and, in rules of their own, against the sets of its names.
 *
 * <p>One set per name, not per rule, because dnsmasq uses one line per domain (the most specific
 * that matches) and refuses a line over about 1,024 characters: a name used by many rules would
 * list every rule's set on its line. Here each line lists one set per family, whatever the rules. A
 * wildcard rule follows its wildcard's set and the sets of the names and narrower wildcards under
 * it that have a line of their own (dnsmasq puts their answers there, not in the wildcard's set); a
 * concrete name that a rule lists under its own wildcard gets no line for that rule.
 *
 * <p>Set names are a hash of the normalized name ({@code n4_<16 hex>}, ipset {@code en4-<16 hex>}),
 * never the wire text itself, and are the same in every file and every policy that has the name.
 *
 * <p>A resolved-only rule ({@link dev.egret.policy.Destination#resolvedOnly}: any destination the
 * site resolver answered) follows the sets of one more pattern, {@link #ANY_ANSWER}, which every
 * answer for every name goes to: dnsmasq's {@code /#/} line, and the same sets added to every other
 * line (an answer goes only to the sets of the most specific line that matches its name).
 */
public final class NameSets {
  /** The nftables table, family {@code inet}, that holds the sets. */
  public static final String NFT_TABLE = NftablesCompiler.TABLE;

  /**
   * The pattern of every answer, for any name: dnsmasq's own spelling ({@code nftset=/#/...}),
   * which no host name or wildcard can be. Its sets are named like the others, by a hash of it.
   */
  public static final String ANY_ANSWER = "#";

  /**
   * One set.
   *
   * @param pattern the name or wildcard whose answers go here, normalized
   * @param v4 IPv4 (A answers) or IPv6 (AAAA answers)
   * @param nftSet the set's name in {@code table inet egret}
   * @param ipset the ipset's name (at most 31 bytes)
   * @param lookups the concrete names {@code egret resolve} looks up for this set: the pattern
   *     itself, or for a wildcard the names its rules list under it that have no line of their own;
   *     none for {@link #ANY_ANSWER}, whose set takes the answers for every name
   * @param hold seconds an answer's address stays in the set at least: the longest hold of the
   *     rules that follow it ({@link dev.egret.policy.Destination#hold}), 0 for none
   */
  public record NameSet(
      String pattern, boolean v4, String nftSet, String ipset, List<String> lookups, long hold) {
    public NameSet {
      lookups = List.copyOf(lookups);
    }

    /** A set without a hold. */
    public NameSet(String pattern, boolean v4, String nftSet, String ipset, List<String> lookups) {
      this(pattern, v4, nftSet, ipset, lookups, 0);
    }

    /** Seconds an answer with this window (bounded TTL plus grace) keeps its address here. */
    public long keep(long window) {
      return Math.max(window, hold);
    }

    /** True for a set of {@link #ANY_ANSWER}: every answer, for any name. */
    public boolean anyAnswer() {
      return ANY_ANSWER.equals(pattern);
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

  /**
   * True when the rule follows the site resolver's answers for any name ({@link
   * dev.egret.policy.Destination#resolvedOnly}): it matches the sets of {@link #ANY_ANSWER} alone.
   */
  public static boolean isResolvedOnly(Rule r) {
    return r.destination().resolvedOnly();
  }

  /**
   * The resolved-only rules that apply with these options, deny rules' included, by name: those
   * that only the site resolver (dnsmasq) can serve fully, as it alone sees every name looked up.
   */
  public static List<String> resolvedOnlyRules(Policy p, CompileOptions o) {
    EgressPlan plan = EgressPlan.of(p, o);
    Set<String> out = new TreeSet<>();
    for (Rule r : NftablesCompiler.concat(plan.rules, plan.denied)) {
      if (isResolvedOnly(r)) {
        out.add(r.name());
      }
    }
    return List.copyOf(out);
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
   * Every name set of the rules that apply with these options, deny rules' included, by pattern,
   * IPv4 first: a denied name's addresses go to the same set, which its deny rule matches first.
   */
  public static List<NameSet> of(Policy p, CompileOptions o) {
    return new Index(EgressPlan.of(p, o)).all();
  }

  /** The nftables set of a name: {@code n4_} or {@code n6_} and a hash of the name. */
  public static String nftName(String pattern, boolean v4) {
    return "n" + (v4 ? "4" : "6") + "_" + hash(pattern);
  }

  /** The ipset of a name: {@code en4-} or {@code en6-} and a hash of the name (20 bytes). */
  public static String ipsetName(String pattern, boolean v4) {
    return ipsetName(pattern, v4, 0);
  }

  /**
   * The ipset of a name whose set holds answers at least {@code hold} seconds: the hash covers the
   * hold too, as an ipset's timeout is fixed when it is created ({@code create -exist} refuses the
   * same name with another), so a policy that changes the hold gets a set of its own.
   */
  public static String ipsetName(String pattern, boolean v4, long hold) {
    return "en" + (v4 ? "4" : "6") + "-" + hash(hold == 0 ? pattern : pattern + " hold " + hold);
  }

  /** 64 bits of SHA-256 of the normalized name, in hex. */
  private static String hash(String pattern) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(pattern.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  /** The names that get a line, and the sets each name rule follows. */
  static final class Index {
    // pattern -> concrete names looked up for it (the pattern itself, or names under a wildcard)
    private final Map<String, Set<String>> lines = new TreeMap<>();
    // pattern -> families some rule follows it in
    private final Map<String, Set<Family>> families = new TreeMap<>();
    // rule name -> the patterns it follows
    private final Map<String, List<String>> follows = new java.util.HashMap<>();
    // pattern -> the longest hold of the rules that follow it
    private final Map<String, Long> holds = new TreeMap<>();

    Index(EgressPlan plan) {
      List<Entry> named = new ArrayList<>();
      for (List<Entry> es : List.of(plan.entries, plan.denyEntries)) {
        for (Entry e : es) {
          if (e.named()) {
            named.add(e);
          }
        }
      }
      Map<String, Set<String>> folded = new TreeMap<>();
      for (Entry e : named) {
        if (isResolvedOnly(e.rule())) {
          lines.computeIfAbsent(ANY_ANSWER, k -> new TreeSet<>());
        }
        List<String> ps = validNames(e.rule());
        for (String p : ps) {
          String w = coveringWildcard(ps, p);
          if (w == null) {
            lines.computeIfAbsent(p, k -> new TreeSet<>());
          } else {
            folded.computeIfAbsent(w, k -> new TreeSet<>()).add(p);
          }
        }
      }
      lines.forEach(
          (p, lookups) -> {
            if (!HostName.isWildcard(p) && !ANY_ANSWER.equals(p)) {
              lookups.add(p);
            }
          });
      folded.forEach(
          (w, names) -> {
            for (String n : names) {
              if (!lines.containsKey(n)) {
                lines.get(w).add(n);
              }
            }
          });
      for (Entry e : named) {
        for (String p : follows(e.rule())) {
          families.computeIfAbsent(p, k -> new TreeSet<>()).add(e.family());
          long hold = e.rule().destination().holdSeconds();
          if (hold > 0) {
            holds.merge(p, hold, Math::max);
          }
        }
      }
    }

    /** A wildcard among {@code ps} that covers {@code p} (not {@code p} itself), or null. */
    private static String coveringWildcard(List<String> ps, String p) {
      for (String w : ps) {
        if (DnsmasqCompiler.covers(w, p)) {
          return w;
        }
      }
      return null;
    }

    /**
     * The patterns whose sets a rule follows: its own names that have a line, and every line under
     * one of its wildcards; {@link #ANY_ANSWER} alone for a resolved-only rule, as every line feeds
     * its sets.
     */
    List<String> follows(Rule r) {
      return follows.computeIfAbsent(
          r.name(),
          k -> {
            if (isResolvedOnly(r)) {
              return List.of(ANY_ANSWER);
            }
            List<String> ps = validNames(r);
            Set<String> out = new TreeSet<>();
            for (String p : ps) {
              if (lines.containsKey(p)) {
                out.add(p);
              }
              if (HostName.isWildcard(p)) {
                // Wildcard rules are few (broad ones): a scan of the lines is cheap enough.
                for (String q : lines.keySet()) {
                  if (DnsmasqCompiler.covers(p, q)) {
                    out.add(q);
                  }
                }
              }
            }
            return List.copyOf(out);
          });
    }

    /** The sets an entry matches, in pattern order. */
    List<NameSet> sets(Entry e) {
      List<NameSet> out = new ArrayList<>();
      for (String q : follows(e.rule())) {
        out.add(set(q, e.family() == Family.V4));
      }
      return out;
    }

    /** Every set some rule follows, by pattern, IPv4 first. */
    List<NameSet> all() {
      List<NameSet> out = new ArrayList<>();
      families.forEach(
          (p, fs) -> {
            for (Family f : fs) {
              out.add(set(p, f == Family.V4));
            }
          });
      return out;
    }

    /** The sets of {@link #ANY_ANSWER} that some rule follows, IPv4 first; empty for none. */
    List<NameSet> anyAnswer() {
      return all().stream().filter(NameSet::anyAnswer).toList();
    }

    /** The patterns that get a dnsmasq line, with the sets their answers go to. */
    Map<String, List<NameSet>> lines() {
      Map<String, List<NameSet>> out = new TreeMap<>();
      for (NameSet s : all()) {
        out.computeIfAbsent(s.pattern(), k -> new ArrayList<>()).add(s);
      }
      return out;
    }

    private NameSet set(String pattern, boolean v4) {
      long hold = holds.getOrDefault(pattern, 0L);
      return new NameSet(
          pattern,
          v4,
          nftName(pattern, v4),
          ipsetName(pattern, v4, hold),
          List.copyOf(lines.getOrDefault(pattern, Set.of())),
          hold);
    }
  }
}
