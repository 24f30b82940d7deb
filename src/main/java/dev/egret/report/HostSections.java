package dev.egret.report;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Entry;
import dev.egret.io.Times;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import dev.egret.policy.PolicyChecker;
import dev.egret.policy.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The host list: one collapsed section per host, {@value HtmlReport#PAGE} to a page, most telling
 * first. A host's section holds its destinations (names, port, counts, days, whether the policy
 * allows it) and its own hour-of-day map, one row per destination, where a beacon is a full row and
 * a one-off download a single cell.
 */
final class HostSections {
  private final ReportInput in;
  private final StringBuilder out;
  private final Baseline.NameIndex names;
  private final PolicyChecker checker;

  HostSections(ReportInput in, StringBuilder out) {
    this.in = in;
    this.out = out;
    this.names = in.baseline().nameIndex();
    this.checker = in.policy() == null ? null : new PolicyChecker(in.policy());
  }

  /** The anchor of a host's section: its place in the list, never wire text. */
  static String anchor(int index) {
    return "h" + index;
  }

  void hosts(List<HostView> hosts) {
    out.append("<section id=\"hosts\"><h2>Hosts</h2><p class=\"help\">")
        .append(hosts.size())
        .append(" hosts, those with anomalies and periodic traffic first. Open a host for its")
        .append(" destinations and its hour-of-day map.</p>")
        .append("<p><input id=\"filter\" type=\"search\" placeholder=\"filter by address or role\"")
        .append(" aria-label=\"filter hosts\"></p><div id=\"pager\"></div>");
    for (int p = 0; p * HtmlReport.PAGE < hosts.size(); p++) {
      out.append("<div class=\"page\" data-page=\"").append(p).append("\">");
      int end = Math.min(hosts.size(), (p + 1) * HtmlReport.PAGE);
      for (int i = p * HtmlReport.PAGE; i < end; i++) {
        host(hosts.get(i), i);
      }
      out.append("</div>");
    }
    out.append("</section>\n");
  }

  private void host(HostView h, int index) {
    long periodic = h.periodicCount();
    out.append("<details class=\"lazy host\" id=\"")
        .append(anchor(index))
        .append("\" data-key=\"")
        .append(Html.text(h.host() + " " + h.role()))
        .append("\"><summary><code>")
        .append(Html.text(h.host()))
        .append("</code> <span class=\"role\">")
        .append(Html.text(h.role()))
        .append("</span> ")
        .append(h.destinations())
        .append(" destinations, ")
        .append(String.format(Locale.ROOT, "%,d", h.flows()))
        .append(" connections");
    if (!h.anomalies().isEmpty()) {
      out.append(" <span class=\"badge bad\">")
          .append(h.anomalies().size())
          .append(" anomalies</span>");
    }
    long beacons = h.beaconCount();
    if (beacons > 0) {
      out.append(" <span class=\"badge bad\">")
          .append(beacons)
          .append(beacons == 1 ? " beacon" : " beacons")
          .append("</span>");
    }
    if (periodic > 0) {
      out.append(" <span class=\"badge warn\">").append(periodic).append(" periodic</span>");
    }
    out.append("</summary><template>");
    List<Entry> shown = h.entries().subList(0, Math.min(HtmlReport.HOST_ROWS, h.entries().size()));
    List<String> labels = new ArrayList<>();
    List<int[]> rows = new ArrayList<>();
    List<String> marks = new ArrayList<>();
    for (Entry e : shown) {
      List<String> ns = names.nameStrings(e.host(), e.destination());
      labels.add(
          (ns.isEmpty() ? e.destination() : ns.get(0)) + " " + e.protocol() + "/" + e.port());
      rows.add(Charts.hoursRow(e));
      marks.add(pattern(e));
    }
    out.append(Charts.heatmap("hour of day for " + h.host(), labels, rows, marks));
    out.append("<table class=\"dest\"><thead><tr><th>destination</th><th>names</th><th>proto</th>")
        .append("<th>port</th><th>conns</th><th>answered</th><th>days</th><th>first seen</th>")
        .append("<th>last seen</th><th>pattern</th><th>policy</th></tr></thead><tbody>");
    for (Entry e : shown) {
      List<String> ns = names.nameStrings(e.host(), e.destination());
      out.append("<tr")
          .append(e.answered() == 0 ? " class=\"dead\"" : "")
          .append("><td><code>")
          .append(Html.text(e.destination()))
          .append("</code></td><td class=\"names\">")
          .append(Html.cut(String.join(", ", ns.subList(0, Math.min(3, ns.size()))), 160))
          .append(ns.size() > 3 ? " +" + (ns.size() - 3) : "")
          .append("</td><td>")
          .append(Html.text(e.protocol()))
          .append("</td><td class=\"n\">")
          .append(e.port())
          .append("</td><td class=\"n\">")
          .append(e.flows())
          .append("</td><td class=\"n\">")
          .append(e.answered())
          .append("</td><td class=\"n\">")
          .append(e.days().size())
          .append("</td><td>")
          .append(Times.format(e.firstSeenNs()))
          .append("</td><td>")
          .append(Times.format(e.lastSeenNs()))
          .append("</td><td>")
          .append(Html.text(pattern(e)))
          .append("</td><td>")
          .append(verdict(e))
          .append("</td></tr>");
    }
    out.append("</tbody></table>");
    if (h.entries().size() > shown.size()) {
      out.append("<p class=\"more\">")
          .append(h.entries().size() - shown.size())
          .append(" more entries with fewer connections: <code>egret baseline show</code>.</p>");
    }
    out.append("</template></details>");
  }

  /** Periodic with its interval, a one-off, or nothing. */
  static String pattern(Entry e) {
    if (HostView.regular(e)) {
      return "every " + seconds(HostView.intervalSeconds(e));
    }
    if (HostView.steady(e)) {
      return "all day, every ~" + seconds(HostView.intervalSeconds(e));
    }
    if (e.flows() == 1) {
      return "once";
    }
    return "";
  }

  static String seconds(double s) {
    if (s < 120) {
      return String.format(Locale.ROOT, "%.0f s", s);
    }
    if (s < 7200) {
      return String.format(Locale.ROOT, "%.0f min", s / 60);
    }
    return String.format(Locale.ROOT, "%.1f h", s / 3600);
  }

  private String verdict(Entry e) {
    if (checker == null) {
      return "";
    }
    Rule r;
    try {
      r =
          checker.allowingRule(
              IpAddress.parse(e.host()),
              IpAddress.parse(e.destination()),
              Protocols.parse(e.protocol()),
              e.port(),
              e.uid(),
              !names.answersFor(e.host(), e.destination()).isEmpty());
    } catch (RuntimeException ex) {
      return "";
    }
    return r == null
        ? "<span class=\"badge bad\">blocked</span>"
        : "<span class=\"badge ok\">" + Html.text(r.name()) + "</span>";
  }
}
