package dev.egret.report;

import dev.egret.drops.DropGroup;
import dev.egret.io.Times;
import dev.egret.policy.Anomaly;
import dev.egret.policy.Evidence;
import dev.egret.policy.Policy;
import dev.egret.policy.PolicyChecker;
import dev.egret.policy.PolicyDiff;
import dev.egret.policy.ReviewItem;
import dev.egret.policy.Role;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The policy's parts of the report: anomalies by importance, what a check would block, what changed
 * between two policies, the rules per role with their evidence, and the review list. Long lists
 * show their head and keep the rest in a collapsed section.
 */
final class PolicySections {
  /** Rows shown before a list continues in a collapsed section. */
  static final int HEAD = 50;

  /** Rows written at most per list; the rest is counted. */
  static final int MAX = 2000;

  /** Anomaly kinds, most important first; unknown kinds go last. */
  static final List<String> KIND_ORDER =
      List.of("periodic-unanswered", "port-scan", "late-new", "unanswered");

  /**
   * Beacons and scans first, then by connections (an 8,000-attempt retry loop above a newcomer seen
   * once), then by kind and host.
   */
  static final Comparator<Anomaly> IMPORTANCE =
      Comparator.comparing((Anomaly a) -> rank(a) >= 2)
          .thenComparing(a -> a.evidence() == null ? 0 : -a.evidence().flows())
          .thenComparingInt(PolicySections::rank)
          .thenComparing(Anomaly::host);

  private static int rank(Anomaly a) {
    int i = KIND_ORDER.indexOf(a.kind());
    return i < 0 ? KIND_ORDER.size() : i;
  }

  private final ReportInput in;
  private final StringBuilder out;
  private final java.util.Map<String, Integer> hostIndex;

  /** {@code hostIndex}: each host's place in the host list, to link to its section. */
  PolicySections(ReportInput in, StringBuilder out, java.util.Map<String, Integer> hostIndex) {
    this.in = in;
    this.out = out;
    this.hostIndex = hostIndex;
  }

  /** The host as a link to its section when it has one. */
  private String host(String host) {
    Integer i = hostIndex.get(host);
    if (i == null) {
      return code(host);
    }
    return "<a href=\"#" + HostSections.anchor(i) + "\">" + code(host) + "</a>";
  }

  void anomalies() {
    Policy p = in.policy();
    if (p == null) {
      return;
    }
    List<Anomaly> list = new ArrayList<>(p.anomalies());
    list.sort(IMPORTANCE);
    out.append("<section id=\"anomalies\"><h2>Anomalies (")
        .append(list.size())
        .append(")</h2><p class=\"help\">Never allowed. Beacons (periodic and never answered) and")
        .append(" scans first, then the rest by connections.</p>");
    table(
        list,
        new String[] {"kind", "host", "proto", "port", "destinations", "what was seen", "conns"},
        a ->
            cells(
                badge(a.kind()),
                host(a.host()),
                Html.text(a.protocol()),
                Integer.toString(a.port()),
                Html.cut(join(a.destinations(), 4), 200),
                Html.cut(a.detail(), 200),
                Long.toString(a.evidence() == null ? 0 : a.evidence().flows())));
    out.append("</section>\n");
  }

  void blocked() {
    if (in.blocked() == null) {
      return;
    }
    List<PolicyChecker.Blocked> list = new ArrayList<>(in.blocked());
    list.sort(
        Comparator.comparingLong((PolicyChecker.Blocked b) -> -b.flows())
            .thenComparing(PolicyChecker.Blocked::host)
            .thenComparing(PolicyChecker.Blocked::destination));
    out.append("<section id=\"blocked\"><h2>Would be blocked (")
        .append(list.size())
        .append(")</h2><p class=\"help\">What the policy would block in ")
        .append(Html.cut(String.join(", ", in.checked()), 300))
        .append(", most connections first.</p>");
    table(
        list,
        new String[] {"host", "destination", "names", "proto", "port", "conns", "first seen"},
        b ->
            cells(
                host(b.host()),
                code(b.destination()),
                Html.cut(join(b.names(), 3), 160),
                Html.text(b.protocol()),
                Integer.toString(b.port()),
                Long.toString(b.flows()),
                Times.format(b.firstSeenNs())));
    out.append("</section>\n");
  }

  void drops() {
    if (in.drops() == null) {
      return;
    }
    List<DropGroup> list = in.drops();
    out.append("<section id=\"drops\"><h2>Blocked by the firewall (")
        .append(list.size())
        .append(")</h2><p class=\"help\">Attempts the rules dropped, read back from their log,")
        .append(" most attempts first; a regular interval is a retry loop or a beacon.</p>");
    table(
        list,
        new String[] {
          "host",
          "user",
          "destination",
          "names",
          "proto",
          "port",
          "attempts",
          "first",
          "last",
          "pattern"
        },
        g ->
            cells(
                host(g.host()),
                g.uid() < 0 ? "" : Integer.toString(g.uid()),
                code(g.destination()),
                Html.cut(join(g.names(), 3), 160),
                Html.text(g.protocol()),
                Integer.toString(g.port()),
                Long.toString(g.count()),
                Html.text(time(g.firstNs(), g.uptime())),
                Html.text(time(g.lastNs(), g.uptime())),
                g.periodic()
                    ? "<span class=\"badge bad\">every "
                        + Html.text(HostSections.seconds(g.meanIntervalSeconds()))
                        + "</span>"
                    : ""));
    out.append("</section>\n");
  }

  private static String time(long ns, boolean uptime) {
    if (ns == 0) {
      return "";
    }
    return uptime
        ? String.format(java.util.Locale.ROOT, "boot+%.0f s", ns / 1e9)
        : Times.format(ns);
  }

  void changes() {
    if (in.previous() == null) {
      return;
    }
    List<PolicyDiff.Change> list = PolicyDiff.between(in.previous(), in.policy());
    out.append("<section id=\"changes\"><h2>Changes since the older policy (")
        .append(list.size())
        .append(")</h2>");
    table(
        list,
        new String[] {"change", "name", "detail"},
        c -> cells(badge(c.kind()), code(c.name()), Html.cut(c.detail(), 300)));
    out.append("</section>\n");
  }

  void rules() {
    Policy p = in.policy();
    if (p == null) {
      return;
    }
    Map<String, List<Rule>> byRole = new TreeMap<>();
    for (Rule r : p.rules()) {
      byRole.computeIfAbsent(r.role(), k -> new ArrayList<>()).add(r);
    }
    out.append("<section id=\"rules\"><h2>Rules (")
        .append(p.rules().size())
        .append(") by role</h2><p class=\"help\">Everything else is ")
        .append(Html.text(p.defaults().action()))
        .append("ped and logged.</p>");
    for (Role role : p.roles()) {
      List<Rule> rules = byRole.getOrDefault(role.name(), List.of());
      out.append("<details class=\"lazy role\"><summary><span class=\"role\">")
          .append(Html.text(role.name()))
          .append("</span> ")
          .append(role.hosts().size())
          .append(role.hosts().size() == 1 ? " host, " : " hosts, ")
          .append(rules.size())
          .append(rules.size() == 1 ? " rule" : " rules")
          .append(" <span class=\"desc\">")
          .append(Html.cut(role.description(), 120))
          .append("</span></summary><template><p>hosts: ")
          .append(Html.cut(join(role.hosts().stream().map(Object::toString).toList(), 20), 800))
          .append("</p>");
      simpleTable(
          rules,
          new String[] {
            "rule", "proto", "ports", "destination", "names", "conns", "days", "first", "last"
          },
          r ->
              cells(
                  code(r.name()),
                  Html.text(r.protocol()),
                  Html.text(ports(r)),
                  r.destination().resolvedOnly()
                      ? "<span class=\"badge warn\">any the resolver answered</span>"
                      : r.destination().any()
                          ? "<span class=\"badge warn\">any</span>"
                          : Html.cut(
                              join(
                                  r.destination().addresses().stream()
                                      .map(Object::toString)
                                      .toList(),
                                  4),
                              200),
                  Html.cut(join(r.destination().names(), 3), 200) + shared(r.evidence()),
                  ev(r.evidence(), Evidence::flows),
                  ev(r.evidence(), Evidence::days),
                  Html.text(r.evidence() == null ? "" : r.evidence().firstSeen()),
                  Html.text(r.evidence() == null ? "" : r.evidence().lastSeen())));
      out.append("</template></details>");
    }
    out.append("</section>\n");
  }

  void review() {
    Policy p = in.policy();
    if (p == null) {
      return;
    }
    List<ReviewItem> list = new ArrayList<>(p.review());
    list.sort(
        Comparator.comparingLong((ReviewItem r) -> r.evidence() == null ? 0 : -r.evidence().flows())
            .thenComparing(ReviewItem::host));
    out.append("<section id=\"review\"><h2>To review (")
        .append(list.size())
        .append(")</h2><p class=\"help\">Seen but below the thresholds, so not allowed; most")
        .append(" connections first.</p>");
    table(
        list,
        new String[] {"host", "destination", "names", "proto", "port", "conns", "why not allowed"},
        r ->
            cells(
                host(r.host()),
                code(r.destination()),
                Html.cut(join(r.names(), 3), 160),
                Html.text(r.protocol()),
                Integer.toString(r.port()),
                ev(r.evidence(), Evidence::flows),
                Html.cut(r.reason(), 200)));
    out.append("</section>\n");
  }

  private <T> void table(List<T> rows, String[] head, java.util.function.Function<T, String> row) {
    if (rows.isEmpty()) {
      out.append("<p>None.</p>");
      return;
    }
    simpleTable(rows.subList(0, Math.min(HEAD, rows.size())), head, row);
    if (rows.size() > HEAD) {
      int end = Math.min(MAX, rows.size());
      out.append("<details class=\"lazy\"><summary>")
          .append(end - HEAD)
          .append(" more</summary><template>");
      simpleTable(rows.subList(HEAD, end), head, row);
      out.append("</template></details>");
      if (rows.size() > end) {
        out.append("<p class=\"more\">")
            .append(rows.size() - end)
            .append(" more not shown; see the policy file.</p>");
      }
    }
  }

  private <T> void simpleTable(
      List<T> rows, String[] head, java.util.function.Function<T, String> row) {
    out.append("<table><thead><tr>");
    for (String h : head) {
      out.append("<th>").append(Html.text(h)).append("</th>");
    }
    out.append("</tr></thead><tbody>");
    for (T t : rows) {
      out.append("<tr>").append(row.apply(t)).append("</tr>");
    }
    out.append("</tbody></table>");
  }

  /** Table cells of already-escaped HTML. */
  private static String cells(String... html) {
    StringBuilder sb = new StringBuilder();
    for (String h : html) {
      sb.append("<td>").append(h).append("</td>");
    }
    return sb.toString();
  }

  private static String code(String s) {
    return "<code>" + Html.text(s) + "</code>";
  }

  private static String badge(String kind) {
    return "<span class=\"badge kind\">" + Html.text(kind) + "</span>";
  }

  /** A name rule whose addresses answer for many other names: which, in words. */
  private static String shared(Evidence e) {
    if (e == null || e.sharedAddresses() == null) {
      return "";
    }
    return " <span class=\"badge warn\">shared</span> "
        + Html.cut(e.sharedAddresses().describe(), 300);
  }

  private static String ev(Evidence e, java.util.function.ToLongFunction<Evidence> f) {
    return e == null ? "" : Long.toString(f.applyAsLong(e));
  }

  private static String join(List<String> items, int max) {
    String head = String.join(", ", items.subList(0, Math.min(max, items.size())));
    return items.size() > max ? head + " +" + (items.size() - max) : head;
  }

  static String ports(Rule r) {
    if (!r.ports().isEmpty()) {
      return join(r.ports().stream().map(Object::toString).toList(), 8);
    }
    if (!r.icmpTypes().isEmpty()) {
      return "type " + join(r.icmpTypes().stream().map(Object::toString).toList(), 8);
    }
    return "any";
  }
}
