package dev.egret.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.drops.DropEvent;
import dev.egret.drops.DropGroup;
import dev.egret.drops.DropLog;
import dev.egret.drops.KernelLogParser;
import dev.egret.io.Csv;
import dev.egret.io.Escape;
import dev.egret.io.Times;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Year;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code egret drops LOG...}: the firewall's blocked attempts, read back and grouped. */
@Command(
    name = "drops",
    header = "Read the firewall's blocked attempts back from the kernel log.",
    description = {
      "Read back what the compiled rules blocked: the kernel log lines with the rules' log prefix"
          + " (journalctl -k, /var/log/kern.log, dmesg), grouped by host, destination, protocol,"
          + " port and user, with names from the baseline, first and last time, attempts, and the"
          + " interval between them when it is regular (a 30-second retry loop stands out).",
      "Lines without the prefix are ignored. Syslog stamps have no year and are local time:"
          + " --year and the system's time zone complete them.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:read (with or without drops)", "2:usage error or unreadable input"},
    footerHeading = "%nExamples:%n",
    footer = {
      "  journalctl -k -o short-iso --since today | egret drops - --baseline baseline.json",
      "  egret drops /var/log/kern.log --format csv > drops.csv",
      "  dmesg | egret drops - --format json",
      "  journalctl -k -f -o short-iso | egret drops - --follow",
    })
final class DropsCommand implements Callable<Integer> {
  enum Format {
    table,
    csv,
    json
  }

  @Parameters(
      arity = "1..*",
      paramLabel = "LOG",
      description = "Kernel log files, or - for standard input.")
  List<String> files;

  @Option(
      names = {"-b", "--baseline"},
      paramLabel = "BASELINE",
      description = "Baseline whose names to show for the destinations.")
  Path baseline;

  @Option(
      names = "--prefix",
      paramLabel = "TEXT",
      defaultValue = "egret-drop ",
      description = "The rules' log prefix (default \"${DEFAULT-VALUE}\").")
  String prefix;

  @Option(
      names = "--format",
      paramLabel = "<format>",
      defaultValue = "table",
      description = "Output: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--year",
      paramLabel = "YEAR",
      description = "Year of syslog stamps, which have none (default: this year).")
  Integer year;

  @Option(
      names = "--follow",
      description =
          "Print each attempt as it is read, and keep reading files as they grow (until"
              + " interrupted; standard input until it ends).")
  boolean follow;

  @Spec CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    if (prefix.isBlank()) {
      throw new UserError("--prefix must not be empty");
    }
    if (follow && files.size() != 1) {
      throw new UserError("--follow reads one log, not " + files.size());
    }
    Baseline b = baseline == null ? null : BaselineJson.read(baseline);
    KernelLogParser parser =
        new KernelLogParser(
            prefix, year == null ? Year.now().getValue() : year, ZoneId.systemDefault());
    PrintWriter out = spec.commandLine().getOut();
    DropLog log = new DropLog();
    long[] unread = new long[1];
    for (String f : files) {
      read(f, parser, log, unread, out);
    }
    List<DropGroup> groups = log.groups(b);
    if (!follow) {
      print(groups, out);
    }
    out.flush();
    long hosts = groups.stream().map(DropGroup::host).distinct().count();
    spec.commandLine()
        .getErr()
        .println(
            "egret: drops: "
                + log.attempts()
                + " blocked attempts in "
                + groups.size()
                + " groups from "
                + hosts
                + (hosts == 1 ? " host" : " hosts")
                + (unread[0] == 0
                    ? ""
                    : "; " + unread[0] + " lines with the prefix lacked SRC= or DST="));
    return ExitCodes.OK;
  }

  /** The attempts in {@code files} with egret's default prefix; shared with {@code report}. */
  static DropLog readAll(List<String> files) throws IOException {
    DropsCommand c = new DropsCommand();
    c.prefix = "egret-drop ";
    c.format = Format.table;
    KernelLogParser parser =
        new KernelLogParser(c.prefix, Year.now().getValue(), ZoneId.systemDefault());
    DropLog log = new DropLog();
    long[] unread = new long[1];
    for (String f : files) {
      c.read(f, parser, log, unread, null);
    }
    return log;
  }

  private void read(String f, KernelLogParser parser, DropLog log, long[] unread, PrintWriter out)
      throws IOException {
    boolean stdin = "-".equals(f);
    if (!stdin && !Files.isRegularFile(Path.of(f))) {
      throw new UserError(
          f + (Files.exists(Path.of(f)) ? ": not a regular file" : ": no such file"));
    }
    try (BufferedReader r =
        stdin
            ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
            : Files.newBufferedReader(Path.of(f), StandardCharsets.UTF_8)) {
      while (true) {
        String line = r.readLine();
        if (line == null) {
          if (follow && !stdin) {
            out.flush();
            try {
              Thread.sleep(500);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
            continue;
          }
          return;
        }
        if (!parser.matches(line)) {
          continue;
        }
        DropEvent e = parser.parse(line);
        if (e == null) {
          unread[0]++;
          continue;
        }
        log.add(e);
        if (follow) {
          event(e, out);
        }
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new UserError(f + ": not a text log (invalid UTF-8)");
    }
  }

  private void event(DropEvent e, PrintWriter out) throws IOException {
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

  private void print(List<DropGroup> groups, PrintWriter out) throws IOException {
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
