package dev.egret.report;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Counters;
import dev.egret.baseline.Entry;
import dev.egret.baseline.SourceRecord;
import dev.egret.io.Times;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the report: one HTML file with its style, script and pictures inline, that opens offline.
 * A Content-Security-Policy forbids every fetch and every script but the report's own (by hash), a
 * second line of defence behind the escaping of wire names ({@link Html}). Big parts (a host's
 * destinations, a role's rules, long lists) sit in {@code <template>} elements that the script
 * copies into the page only when their section is opened, and hosts come 50 to a page, so the live
 * page stays small at 500 hosts.
 */
public final class HtmlReport {
  /** Hosts per page of the host list. */
  static final int PAGE = 50;

  /** Hosts in the site-wide heatmap. */
  static final int HEATMAP_HOSTS = 40;

  /** Destinations shown per host. */
  static final int HOST_ROWS = 40;

  private final ReportInput in;
  private final StringBuilder out = new StringBuilder(1 << 16);

  private HtmlReport(ReportInput in) {
    this.in = in;
  }

  /** The report for {@code in}, written to {@code w}. */
  public static void write(ReportInput in, Writer w) throws IOException {
    w.write(render(in));
    w.flush();
  }

  /** The report for {@code in} as one string. */
  public static String render(ReportInput in) {
    return new HtmlReport(in).page();
  }

  private String page() {
    String script = resource("report.js");
    String style = resource("report.css");
    Baseline b = in.baseline();
    List<HostView> hosts = HostView.of(b, in.policy());
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
        .append(" style-src 'unsafe-inline'; img-src data:; script-src '")
        .append(sha256(script))
        .append("'\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>egret report: ")
        .append(Html.text(in.baselineName()))
        .append("</title><style>")
        .append(style)
        .append("</style></head><body>\n<header><h1>egret: egress of ")
        .append(hosts.size())
        .append(" hosts</h1><p class=\"sub\">baseline <code>")
        .append(Html.text(in.baselineName()))
        .append("</code>, window ")
        .append(Html.text(window(b)))
        .append("</p></header>\n<main>\n");
    glance(hosts);
    caveats();
    Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < hosts.size(); i++) {
      index.put(hosts.get(i).host(), i);
    }
    PolicySections policy = new PolicySections(in, out, index);
    policy.anomalies();
    policy.drops();
    policy.blocked();
    policy.changes();
    timeline();
    siteHeatmap(hosts);
    new HostSections(in, out).hosts(hosts);
    policy.rules();
    policy.review();
    out.append("</main>\n<script>").append(script).append("</script>\n</body></html>\n");
    return out.toString();
  }

  private void glance(List<HostView> hosts) {
    Baseline b = in.baseline();
    long flows = 0;
    java.util.Set<String> dests = new java.util.HashSet<>();
    for (Entry e : b.entries()) {
      flows += e.flows();
      dests.add(e.destination());
    }
    out.append("<section id=\"glance\"><h2>At a glance</h2><dl class=\"glance\">");
    fact("hosts", hosts.size());
    fact("destinations", dests.size());
    fact("egress connections", flows);
    fact("host/destination/port entries", b.entries().size());
    if (in.policy() != null) {
      fact("rules", in.policy().rules().size());
      fact("roles", in.policy().roles().size());
      fact("to review", in.policy().review().size());
      fact("anomalies", in.policy().anomalies().size());
    }
    if (in.blocked() != null) {
      fact("would be blocked", in.blocked().size());
    }
    if (in.drops() != null) {
      fact("blocked by the firewall", in.drops().stream().mapToLong(g -> g.count()).sum());
    }
    out.append("</dl></section>\n");
  }

  private void fact(String label, long value) {
    out.append("<div><dt>")
        .append(Html.text(label))
        .append("</dt><dd>")
        .append(String.format(Locale.ROOT, "%,d", value))
        .append("</dd></div>");
  }

  private void caveats() {
    Baseline b = in.baseline();
    Counters c = b.counters();
    List<String> notes = new ArrayList<>();
    if (b.windowStartNs() == null) {
      notes.add("The baseline is empty: nothing was learned.");
    }
    int days = days(b);
    if (days < 7) {
      notes.add(
          "The window has "
              + days
              + (days == 1 ? " day" : " days")
              + " with egress: weekly jobs (backups, updates, reports) may not be in it.");
    }
    if (c.dropped() > 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "The capture dropped %,d packets (kernel, interface or queue): some connections may"
                  + " be missing, and rules built on them may be too narrow.",
              c.dropped()));
    }
    if (c.malformed() > 0) {
      notes.add(String.format(Locale.ROOT, "%,d malformed packets were skipped.", c.malformed()));
    }
    if (c.truncatedFiles() > 0) {
      notes.add(c.truncatedFiles() + " capture files ended inside a record.");
    }
    out.append("<section id=\"caveats\"><h2>Drops and caveats</h2>");
    out.append("<table class=\"facts\"><tbody>");
    row("packets read", c.packets());
    row("dropped by the capture", c.dropped());
    row("malformed", c.malformed());
    row("flows, all directions", c.flows());
    row("egress flows (learned)", c.egressFlows());
    row("inbound flows (not learned)", c.inboundFlows());
    row("broadcast and multicast chatter (not learned)", c.chatterFlows());
    row("flows of excluded hosts", c.excludedFlows());
    out.append("</tbody></table>");
    if (!notes.isEmpty()) {
      out.append("<ul class=\"warn\">");
      for (String n : notes) {
        out.append("<li>").append(Html.text(n)).append("</li>");
      }
      out.append("</ul>");
    }
    out.append("<details class=\"lazy\"><summary>")
        .append(b.sources().size())
        .append(" captures absorbed</summary><template><table><thead><tr><th>kind</th>")
        .append("<th>name</th><th>first packet</th><th>last packet</th><th>packets</th>")
        .append("</tr></thead><tbody>");
    for (SourceRecord s : b.sources()) {
      out.append("<tr><td>")
          .append(Html.text(s.kind()))
          .append("</td><td>")
          .append(Html.cut(s.name(), 120))
          .append("</td><td>")
          .append(Times.format(s.firstNs()))
          .append("</td><td>")
          .append(Times.format(s.lastNs()))
          .append("</td><td class=\"n\">")
          .append(s.packets())
          .append("</td></tr>");
    }
    out.append("</tbody></table></template></details></section>\n");
  }

  private void row(String label, long value) {
    out.append("<tr><th>")
        .append(Html.text(label))
        .append("</th><td class=\"n\">")
        .append(String.format(Locale.ROOT, "%,d", value))
        .append("</td></tr>");
  }

  private void timeline() {
    Map<String, int[]> perDay = new TreeMap<>();
    for (String d : allDays(in.baseline())) {
      perDay.put(d, new int[2]);
    }
    for (Entry e : in.baseline().entries()) {
      String day = Times.format(e.firstSeenNs()).substring(0, 10);
      int[] v = perDay.computeIfAbsent(day, k -> new int[2]);
      v[0]++;
      if (e.answered() == 0) {
        v[1]++;
      }
    }
    out.append("<section id=\"timeline\"><h2>New destinations per day</h2>")
        .append("<p class=\"help\">Host/destination/port entries by the day they were first seen;")
        .append(" red: never answered. A quiet site settles; a burst late in the window is new")
        .append(" behaviour.</p>");
    if (perDay.isEmpty()) {
      out.append("<p>No egress learned.</p>");
    } else {
      out.append(Charts.timeline(perDay));
    }
    out.append("</section>\n");
  }

  private void siteHeatmap(List<HostView> hosts) {
    List<HostView> top = hosts.subList(0, Math.min(HEATMAP_HOSTS, hosts.size()));
    List<String> labels = new ArrayList<>();
    List<int[]> rows = new ArrayList<>();
    List<String> marks = new ArrayList<>();
    for (HostView h : top) {
      labels.add(h.host() + ("-".equals(h.role()) ? "" : " (" + h.role() + ")"));
      rows.add(h.hourFlows().stream().mapToInt(Integer::intValue).toArray());
      long beacons = h.beaconCount();
      marks.add(
          (beacons == 0 ? "" : beacons + (beacons == 1 ? " beacon " : " beacons "))
              + (h.anomalies().isEmpty() ? "" : h.anomalies().size() + " anomalies"));
    }
    out.append("<section id=\"heatmap\"><h2>Hour of day (UTC)</h2><p class=\"help\">")
        .append(top.size())
        .append(" of ")
        .append(hosts.size())
        .append(" hosts, those with beacons and anomalies first; a cell's shade is how")
        .append(" many of the host's destinations were active in that hour. Each host's own map,")
        .append(" one row per destination, is in its section below.</p>")
        .append(Charts.heatmap("hour of day per host", labels, rows, marks))
        .append("</section>\n");
  }

  static String window(Baseline b) {
    if (b.windowStartNs() == null) {
      return "empty";
    }
    return Times.format(b.windowStartNs()) + " to " + Times.format(b.windowEndNs());
  }

  static java.util.SortedSet<String> allDays(Baseline b) {
    java.util.SortedSet<String> days = new java.util.TreeSet<>();
    for (Entry e : b.entries()) {
      days.addAll(e.days());
    }
    return days;
  }

  static int days(Baseline b) {
    return allDays(b).size();
  }

  private static String resource(String name) {
    try (InputStream s = HtmlReport.class.getResourceAsStream(name)) {
      if (s == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(s.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(String script) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
