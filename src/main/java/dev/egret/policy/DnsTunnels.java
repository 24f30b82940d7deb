package dev.egret.policy;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.QueryRecord;
import dev.egret.io.Times;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * DNS questions that carry data: one host asking for many distinct long names under one domain
 * ({@code 4a5b...e1.t.exfil.example}), each asked once or twice. Whoever runs that domain's name
 * servers reads them, through any resolver that answers the host, the site's own included: no
 * egress rule stops it, as the host's DNS goes to the site's resolver, which is allowed. So it is
 * shown: an anomaly of the policy ({@code dns-tunnel}) and a warning of {@code check}.
 *
 * <p>Counted per host and registered domain (the Public Suffix List's, or the last two labels of a
 * name under a suffix it does not know): at least {@link #MIN_NAMES} distinct names with at least
 * {@link #MIN_LABELS} characters before the domain. Names with other characters than letters,
 * digits, hyphens and dots are left out (no domain to name them by).
 */
public final class DnsTunnels {
  /** Distinct long names under one domain that make a tunnel. */
  static final int MIN_NAMES = 20;

  /** Characters before the registered domain that make a name long. */
  static final int MIN_LABELS = 24;

  private static final long DAY_NS = 86_400_000_000_000L;

  private DnsTunnels() {}

  /**
   * One host's questions under one domain.
   *
   * @param host the host that asked
   * @param domain the registered domain
   * @param names distinct long names asked
   * @param asked responses to them seen
   * @param shortest fewest characters before the domain, among the long names
   * @param longest most characters before the domain
   * @param days distinct days with a first or last response
   * @param firstNs first response
   * @param lastNs last response
   * @param sample the first 3 names in sorted order
   */
  public record Suspect(
      String host,
      String domain,
      int names,
      long asked,
      int shortest,
      int longest,
      int days,
      long firstNs,
      long lastNs,
      List<String> sample) {
    /** In words, for a warning or an anomaly's detail. */
    public String detail() {
      return names
          + " distinct names under "
          + domain
          + ", "
          + shortest
          + "-"
          + longest
          + " characters before it, asked "
          + asked
          + (asked == 1 ? " time" : " times")
          + ": data carried in DNS questions (a tunnel), through whichever resolver answers";
    }
  }

  /** Every host and domain over the thresholds, by host then domain. */
  public static List<Suspect> of(Baseline b) {
    Map<String, List<QueryRecord>> byHostDomain = new HashMap<>();
    for (QueryRecord q : b.queries()) {
      String domain = domain(q.name());
      if (domain != null && q.name().length() - domain.length() - 1 >= MIN_LABELS) {
        byHostDomain.computeIfAbsent(q.host() + " " + domain, k -> new ArrayList<>()).add(q);
      }
    }
    List<Suspect> out = new ArrayList<>();
    for (Map.Entry<String, List<QueryRecord>> e : byHostDomain.entrySet()) {
      TreeSet<String> names = new TreeSet<>();
      for (QueryRecord q : e.getValue()) {
        names.add(q.name().toLowerCase(java.util.Locale.ROOT));
      }
      if (names.size() < MIN_NAMES) {
        continue;
      }
      int space = e.getKey().indexOf(' ');
      String host = e.getKey().substring(0, space);
      String domain = e.getKey().substring(space + 1);
      long asked = 0;
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      int shortest = Integer.MAX_VALUE;
      int longest = 0;
      TreeSet<Long> days = new TreeSet<>();
      for (QueryRecord q : e.getValue()) {
        int before = q.name().length() - domain.length() - 1;
        shortest = Math.min(shortest, before);
        longest = Math.max(longest, before);
        asked += q.count();
        first = Math.min(first, q.firstSeenNs());
        last = Math.max(last, q.lastSeenNs());
        days.add(Math.floorDiv(q.firstSeenNs(), DAY_NS));
        days.add(Math.floorDiv(q.lastSeenNs(), DAY_NS));
      }
      out.add(
          new Suspect(
              host,
              domain,
              names.size(),
              asked,
              shortest,
              longest,
              days.size(),
              first,
              last,
              names.stream().limit(3).toList()));
    }
    out.sort(
        java.util.Comparator.comparing(Suspect::host)
            .thenComparing(Suspect::domain, java.util.Comparator.naturalOrder()));
    return out;
  }

  /** The anomaly for a suspect. */
  static Anomaly anomaly(Suspect s) {
    Evidence ev =
        new Evidence(
            s.asked(),
            s.days(),
            Times.format(s.firstNs()),
            Times.format(s.lastNs()),
            List.of(s.host()),
            s.sample(),
            List.of(),
            null);
    return new Anomaly(
        AnomalyKind.DNS_TUNNEL.id(),
        s.host(),
        List.of(s.domain()),
        "udp",
        53,
        s.detail(),
        ev,
        new DecisionId(dev.egret.net.IpAddress.parse(s.host()), "udp", 53, null, s.domain())
            .toString());
  }

  /** The registered domain of a name, or its last two labels under an unknown suffix; or null. */
  static String domain(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    String r = Domains.registered(n);
    if (r != null) {
      return r.toLowerCase(java.util.Locale.ROOT);
    }
    for (int i = 0; i < n.length(); i++) {
      char c = n.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
          && c != '-'
          && c != '.') {
        return null;
      }
    }
    int last = n.lastIndexOf('.');
    int before = last <= 0 ? -1 : n.lastIndexOf('.', last - 1);
    if (last <= 0 || before < 0 || last == n.length() - 1) {
      return null;
    }
    return n.substring(before + 1).toLowerCase(java.util.Locale.ROOT);
  }
}
