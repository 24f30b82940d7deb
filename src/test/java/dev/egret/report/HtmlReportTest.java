package dev.egret.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.Counters;
import dev.egret.baseline.Entry;
import dev.egret.baseline.NameRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  static final long DAY0 = 1_704_067_200L * 1_000_000_000L; // 2024-01-01T00:00:00Z
  static final long S = 1_000_000_000L;

  /** An entry: {@code flows} connections over {@code days} days in the given hours. */
  static Entry entry(
      String host,
      String dest,
      int port,
      long flows,
      long answered,
      int days,
      List<Integer> hours) {
    List<String> ds = new ArrayList<>();
    for (int d = 0; d < days; d++) {
      ds.add(String.format("2024-01-%02d", d + 1));
    }
    long first = DAY0 + hours.get(0) * 3600 * S;
    long last = DAY0 + (days - 1) * 86_400 * S + (hours.get(hours.size() - 1) * 3600L + 3599) * S;
    return new Entry(
        host,
        dest,
        "tcp",
        port,
        false,
        flows,
        answered,
        flows - answered,
        0,
        flows,
        flows * 60,
        answered,
        answered * 60,
        first,
        last,
        ds,
        hours,
        0,
        0,
        0);
  }

  static NameRecord name(String host, String dest, String name) {
    return new NameRecord(host, dest, name, "sni", 1, DAY0, DAY0, 0);
  }

  static Baseline baseline(List<Entry> entries, List<NameRecord> names) {
    long start = entries.stream().mapToLong(Entry::firstSeenNs).min().orElse(DAY0);
    long end = entries.stream().mapToLong(Entry::lastSeenNs).max().orElse(DAY0);
    return new Baseline(
        Baseline.SCHEMA,
        "test",
        start,
        end,
        List.of(),
        new Counters(1000, 0, 7, 0, 10, 10, 0, 0, 0, 0),
        entries,
        names,
        List.of());
  }

  static final List<Integer> ALL_DAY = IntStream.range(0, 24).boxed().toList();

  @Test
  void wireNamesAreTextNotMarkup() {
    String[] hostile = {
      "<script>alert(1)</script>.example.com",
      "\"onmouseover=alert(1) x=\".example.com",
      "'onfocus=alert(2)'.example.com",
      "</template><img src=x onerror=alert(3)>.example.com",
      "\u202eevil.example.com",
    };
    List<Entry> entries = new ArrayList<>();
    List<NameRecord> names = new ArrayList<>();
    for (int i = 0; i < hostile.length; i++) {
      String dest = "203.0.113." + (10 + i);
      entries.add(entry("10.0.0.5", dest, 443, 5, 5, 2, List.of(9, 10)));
      // An edited baseline: a host that is not an address is shown, escaped, not a crash.
      entries.add(entry("<b>" + i, dest, 443, 1, 1, 1, List.of(9)));
      names.add(name("10.0.0.5", dest, hostile[i]));
    }
    String html =
        HtmlReport.render(
            new ReportInput(baseline(entries, names), "b<x>.json", null, null, null, null, null));
    assertEquals(1, count(html, "<script"), "only the report's own script");
    assertEquals(0, count(html, "<img"));
    assertEquals(0, count(html, "<b>"));
    assertTrue(html.contains("<code>&lt;b&gt;0</code>"));
    assertFalse(html.contains("\"onmouseover"), html);
    assertFalse(html.contains("'onfocus"), html);
    assertEquals(count(html, "<template>"), count(html, "</template>"));
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.example.com"));
    assertTrue(html.contains("&quot;onmouseover=alert(1) x=&quot;.example.com"));
    assertTrue(html.contains("\\u202eevil.example.com"));
    assertTrue(html.contains("b&lt;x&gt;.json"));
    assertFalse(html.contains("\u202e"));
  }

  @Test
  void aBeaconLeadsTheHostListAndFillsItsRow() {
    List<Entry> entries = new ArrayList<>();
    for (int h = 1; h <= 5; h++) {
      entries.add(entry("10.0.0." + h, "198.51.100.1", 443, 40, 40, 3, List.of(9, 10, 11)));
    }
    // 30 s retries around the clock for 3 days, never answered.
    entries.add(entry("10.0.0.9", "203.0.113.25", 25, 8640, 0, 3, ALL_DAY));
    // A one-off download.
    entries.add(entry("10.0.0.9", "192.0.2.80", 80, 1, 1, 1, List.of(3)));
    String html =
        HtmlReport.render(
            new ReportInput(baseline(entries, List.of()), "b.json", null, null, null, null, null));
    int host9 = html.indexOf("<code>10.0.0.9</code>");
    int host1 = html.indexOf("<code>10.0.0.1</code>");
    assertTrue(host9 > 0 && host9 < host1, "the beacon's host first");
    assertTrue(html.contains("1 beacon</span>"));
    assertTrue(html.contains("all day, every ~30 s"), html);
    assertTrue(html.contains(">once<"));
    // In the host's own map: 24 cells for the beacon's row, 1 for the download.
    String section = html.substring(host9, html.indexOf("</details>", host9));
    assertEquals(24 + 1, count(section, "<rect class=\"h4\""));
  }

  @Test
  void theCapturesDropsAndAShortWindowAreCaveats() {
    String html =
        HtmlReport.render(
            new ReportInput(
                baseline(
                    List.of(entry("10.0.0.1", "198.51.100.1", 443, 3, 3, 2, List.of(9))),
                    List.of()),
                "b.json",
                null,
                null,
                null,
                null,
                null));
    assertTrue(html.contains("The capture dropped 7 packets"), html);
    assertTrue(html.contains("The window has 2 days with egress"), html);
  }

  @Test
  void fiveHundredHostsKeepTheLivePageSmall() {
    List<Entry> entries = new ArrayList<>();
    List<NameRecord> names = new ArrayList<>();
    for (int h = 0; h < 500; h++) {
      String host = "10.1." + (h / 200) + "." + (10 + h % 200);
      for (int d = 0; d < 30; d++) {
        String dest = "198.51." + (d / 10) + "." + (d * 7 % 250);
        entries.add(entry(host, dest, 443, 10 + d, 10 + d, 1 + d % 7, List.of(d % 24)));
        names.add(name(host, dest, "service-" + d + ".example.com"));
      }
    }
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long t0 = threads.getCurrentThreadCpuTime();
    String html =
        HtmlReport.render(
            new ReportInput(baseline(entries, names), "b.json", null, null, null, null, null));
    long cpuMs = (threads.getCurrentThreadCpuTime() - t0) / 1_000_000;
    String live = html.replaceAll("(?s)<template>.*?</template>", "");
    int elements = count(live, "<") - count(live, "</");
    assertTrue(elements < 20_000, elements + " elements outside templates");
    assertTrue(live.length() < 1_000_000, live.length() + " characters outside templates");
    assertTrue(html.length() < 16_000_000, html.length() + " characters in all");
    assertTrue(cpuMs < 10_000, cpuMs + " ms of CPU"); // 1.2 s on the 2-core build machine
    assertEquals(10, count(html, "class=\"page\""));
  }

  static int count(String s, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
