package dev.egret.report;

import dev.egret.baseline.Entry;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's pictures as inline SVG, drawn on the server: a bar per day of destinations first
 * seen that day, and hour-of-day heatmaps. No script and no fetch: the SVG is part of the page.
 * Labels that came from the wire go through {@link Html#text}.
 */
final class Charts {
  private Charts() {}

  static final int CELL = 14;

  /** Bars of new (host, destination, port) entries per day; the never answered part in red. */
  static String timeline(Map<String, int[]> perDay) {
    int max = 1;
    for (int[] v : perDay.values()) {
      max = Math.max(max, v[0]);
    }
    int barW = Math.max(8, Math.min(48, 720 / Math.max(1, perDay.size())));
    int chartH = 120;
    int w = 40 + perDay.size() * (barW + 4);
    int h = chartH + 40;
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"timeline\" role=\"img\" aria-label=\"new destinations per day\""
                + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
            w,
            h,
            w,
            h));
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"0\" y=\"12\" class=\"axis\">%d</text><line x1=\"34\" y1=\"10\" x2=\"34\""
                + " y2=\"%d\" class=\"axis-line\"/>",
            max,
            chartH + 10));
    int i = 0;
    for (Map.Entry<String, int[]> d : perDay.entrySet()) {
      int all = d.getValue()[0];
      int dead = d.getValue()[1];
      int x = 40 + i * (barW + 4);
      int hAll = all * chartH / max;
      int hDead = dead * chartH / max;
      sb.append(
          String.format(
              Locale.ROOT,
              "<g class=\"day\"><title>%s: %d new, %d never answered</title>"
                  + "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
                  + "<rect class=\"bar-dead\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
                  + "<text class=\"count\" x=\"%d\" y=\"%d\">%d</text>"
                  + "<text class=\"axis\" x=\"%d\" y=\"%d\">%s</text></g>",
              Html.text(d.getKey()),
              all,
              dead,
              x,
              10 + chartH - hAll,
              barW,
              hAll,
              x,
              10 + chartH - hDead,
              barW,
              hDead,
              x,
              Math.max(20, 8 + chartH - hAll),
              all,
              x,
              chartH + 24 + (i % 2) * 12,
              Html.text(d.getKey().length() >= 10 ? d.getKey().substring(5) : d.getKey())));
      i++;
    }
    sb.append("</svg>");
    return sb.toString();
  }

  /** One row per label, 24 columns; a cell's shade is its value against the row set's maximum. */
  static String heatmap(
      String ariaLabel, List<String> labels, List<int[]> rows, List<String> marks) {
    int labelW = 260;
    int w = labelW + 24 * CELL + 240;
    int h = 16 + rows.size() * CELL + 4;
    int max = 1;
    for (int[] r : rows) {
      for (int v : r) {
        max = Math.max(max, v);
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"heatmap\" role=\"img\" aria-label=\"%s\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\">",
            Html.text(ariaLabel),
            w,
            h,
            w,
            h));
    for (int hour = 0; hour < 24; hour += 3) {
      sb.append(
          String.format(
              Locale.ROOT,
              "<text class=\"axis\" x=\"%d\" y=\"11\">%02d</text>",
              labelW + hour * CELL,
              hour));
    }
    for (int r = 0; r < rows.size(); r++) {
      int y = 16 + r * CELL;
      sb.append(
          String.format(
              Locale.ROOT,
              "<text class=\"label\" x=\"%d\" y=\"%d\">%s</text>",
              labelW - 6,
              y + CELL - 3,
              Html.cut(labels.get(r), 42)));
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"row\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
              labelW,
              y,
              24 * CELL,
              CELL - 1));
      int[] row = rows.get(r);
      for (int hour = 0; hour < 24; hour++) {
        if (row[hour] <= 0) {
          continue;
        }
        int level = 1 + (row[hour] * 4 - 1) / max; // 1..4
        sb.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"h%d\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
                level,
                labelW + hour * CELL,
                y,
                CELL - 1,
                CELL - 1));
      }
      String mark = marks.get(r);
      if (!mark.isEmpty()) {
        sb.append(
            String.format(
                Locale.ROOT,
                "<text class=\"mark\" x=\"%d\" y=\"%d\">%s</text>",
                labelW + 24 * CELL + 6,
                y + CELL - 3,
                Html.text(mark)));
      }
    }
    sb.append("</svg>");
    return sb.toString();
  }

  /** The active hours of one entry as a row of ones. */
  static int[] hoursRow(Entry e) {
    int[] row = new int[24];
    for (int hour : e.hours()) {
      if (hour >= 0 && hour < 24) {
        row[hour] = 1;
      }
    }
    return row;
  }
}
