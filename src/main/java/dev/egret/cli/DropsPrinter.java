package dev.egret.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egret.drops.DropEvent;
import dev.egret.drops.DropGroup;
import dev.egret.io.Csv;
import dev.egret.io.Escape;
import dev.egret.io.Times;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVPrinter;

/** How {@code egret drops} prints attempts (with {@code --follow}) and groups. */
final class DropsPrinter {
  enum Format {
    table,
    csv,
    json
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Format format;

  DropsPrinter(Format format) {
    this.format = format;
  }

  void event(DropEvent e, PrintWriter out) throws IOException {
    switch (format) {
      case json -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", time(e.timeNs(), e.uptime()));
        m.put("host", e.host());
        m.put("uid", e.uid() < 0 ? null : e.uid());
        m.put("destination", e.destination());
        m.put("protocol", e.protocol());
        m.put("port", e.port());
        out.println(JSON.writeValueAsString(m));
      }
      case csv ->
          out.println(
              String.join(
                  ",",
                  time(e.timeNs(), e.uptime()),
                  e.host(),
                  e.uid() < 0 ? "" : Integer.toString(e.uid()),
                  e.destination(),
                  e.protocol(),
                  Integer.toString(e.port())));
      default ->
          out.printf(
              Locale.ROOT,
              "%-27s %-39s %6s %-39s %-6s %5d%n",
              time(e.timeNs(), e.uptime()),
              e.host(),
              e.uid() < 0 ? "-" : Integer.toString(e.uid()),
              e.destination(),
              e.protocol(),
              e.port());
    }
    out.flush();
  }

  void print(List<DropGroup> groups, PrintWriter out) throws IOException {
    switch (format) {
      case csv -> {
        CSVPrinter p =
            Csv.printer(
                out,
                "host",
                "uid",
                "destination",
                "protocol",
                "port",
                "attempts",
                "first",
                "last",
                "interval_s",
                "periodic",
                "names");
        for (DropGroup g : groups) {
          p.printRecord(
              g.host(),
              g.uid() < 0 ? "" : g.uid(),
              g.destination(),
              g.protocol(),
              g.port(),
              g.count(),
              time(g.firstNs(), g.uptime()),
              time(g.lastNs(), g.uptime()),
              String.format(Locale.ROOT, "%.1f", g.meanIntervalSeconds()),
              g.periodic(),
              Csv.cell(String.join(" ", g.names())));
        }
        p.flush();
      }
      case json -> {
        for (DropGroup g : groups) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("host", g.host());
          m.put("uid", g.uid() < 0 ? null : g.uid());
          m.put("destination", g.destination());
          m.put("protocol", g.protocol());
          m.put("port", g.port());
          m.put("attempts", g.count());
          m.put("first", time(g.firstNs(), g.uptime()));
          m.put("last", time(g.lastNs(), g.uptime()));
          m.put("interval_s", Math.round(g.meanIntervalSeconds() * 10) / 10.0);
          m.put("periodic", g.periodic());
          m.put("names", g.names());
          out.println(JSON.writeValueAsString(m));
        }
      }
      default -> {
        if (groups.isEmpty()) {
          return;
        }
        String row = "%-39s %6s %-39s %-6s %5s %8s  %-27s  %-27s  %-14s %s";
        out.println(
            String.format(
                    Locale.ROOT,
                    row,
                    "host",
                    "uid",
                    "destination",
                    "proto",
                    "port",
                    "attempts",
                    "first",
                    "last",
                    "pattern",
                    "names")
                .stripTrailing());
        for (DropGroup g : groups) {
          out.println(
              String.format(
                      Locale.ROOT,
                      row,
                      g.host(),
                      g.uid() < 0 ? "-" : Integer.toString(g.uid()),
                      g.destination(),
                      g.protocol(),
                      g.port(),
                      g.count(),
                      time(g.firstNs(), g.uptime()),
                      time(g.lastNs(), g.uptime()),
                      g.periodic() ? "every " + seconds(g.meanIntervalSeconds()) : "",
                      Escape.forTerminal(
                          BaselineCommand.truncate(String.join(", ", g.names()), 100)))
                  .stripTrailing());
        }
      }
    }
  }

  static String time(long ns, boolean uptime) {
    if (ns == 0) {
      return "";
    }
    if (uptime) {
      return String.format(Locale.ROOT, "boot+%.3fs", ns / 1e9);
    }
    return Times.format(ns);
  }

  static String seconds(double s) {
    return s < 120
        ? String.format(Locale.ROOT, "%.0f s", s)
        : s < 7200
            ? String.format(Locale.ROOT, "%.0f min", s / 60)
            : String.format(Locale.ROOT, "%.1f h", s / 3600);
  }
}
