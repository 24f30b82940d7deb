package dev.egret.cli;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.baseline.Baselines;
import dev.egret.baseline.Entry;
import dev.egret.baseline.Limits;
import dev.egret.baseline.QueryRecord;
import dev.egret.baseline.SummaryRecord;
import dev.egret.io.Csv;
import dev.egret.io.Escape;
import dev.egret.io.Times;
import dev.egret.io.WriterLock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code egret baseline merge|show|export}. */
@Command(
    name = "baseline",
    header = "Show, export or merge baselines.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "2:usage error or unreadable baseline"},
    description = "Combine, show or export baselines.",
    subcommands = {
      BaselineCommand.Merge.class,
      BaselineCommand.Show.class,
      BaselineCommand.Export.class
    })
final class BaselineCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(
      name = "merge",
      header = "Merge baselines from several sensors or periods into one.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:the merged baseline written", "2:usage error or unreadable baseline"},
      description = "Merge baselines from several sensors or periods into one.",
      footerHeading = "%nExamples:%n",
      footer = {"  egret baseline merge sensor-a.json sensor-b.json -o site.json"})
  static final class Merge implements Callable<Integer> {

    @Parameters(arity = "2..*", paramLabel = "BASELINE")
    List<Path> inputs;

    @Option(
        names = {"-o", "--output"},
        required = true,
        paramLabel = "FILE",
        description = "Merged baseline (written atomically).")
    Path output;

    @Option(
        names = "--wait",
        description = "When another egret is writing the output, wait for it instead of failing.")
    boolean waitForLock;

    @Option(
        names = "--max-entries",
        paramLabel = "N",
        description =
            "Most host/destination/protocol/port entries the merged baseline keeps (default:"
                + " 1,000,000, fewer on a heap under 2 GB: heap / 2 KB); past it the least used are"
                + " summarised per host, protocol and port, and a warning says how many.")
    Integer maxEntries;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      if (maxEntries != null && maxEntries < 1) {
        throw new UserError("--max-entries must be at least 1: " + maxEntries);
      }
      try (WriterLock lock =
          WriterLock.acquire(
              output, "egret baseline merge", waitForLock, m -> err.println("egret: " + m))) {
        return merge(err);
      }
    }

    private int merge(PrintWriter err) throws IOException {
      Baseline merged = Baseline.empty(Version.get());
      for (Path p : inputs) {
        Baseline b = BaselineJson.read(p);
        try {
          merged = Baselines.merge(merged, b, Version.get());
        } catch (dev.egret.baseline.BaselineException e) {
          throw new UserError(p + ": " + e.getMessage());
        }
      }
      int most = maxEntries == null ? Limits.ofThisHeap().maxEntries() : maxEntries;
      Baselines.Capped capped = Baselines.cap(merged, most);
      merged = capped.baseline();
      BaselineJson.write(output, merged);
      err.println(BaselineSummary.of(merged, Escape.forTerminal(output.toString())));
      LimitReport.print(capped, most, err);
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "show",
      header = "Show a baseline per host, most-used destinations first.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:shown", "2:usage error or unreadable baseline"},
      description = "Show a baseline as a table per host, most-used destinations first.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  egret baseline show baseline.json",
        "  egret baseline show baseline.json --host 10.20.0.10"
      })
  static final class Show implements Callable<Integer> {

    @Parameters(paramLabel = "BASELINE")
    Path input;

    @Option(names = "--host", paramLabel = "ADDR", description = "Only this host.")
    String host;

    @Option(
        names = "--limit",
        defaultValue = "50",
        paramLabel = "N",
        description = "Rows per host (default: ${DEFAULT-VALUE}).")
    int limit;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      String only = null;
      if (host != null) {
        try {
          only = dev.egret.net.IpAddress.parse(host).toString(); // as the baseline writes it
        } catch (IllegalArgumentException e) {
          throw new UserError("--host: " + e.getMessage());
        }
      }
      Baseline b = BaselineJson.read(input);
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          BaselineSummary.of(b, Escape.forTerminal(input.toString()))
              .substring("egret: ".length()));
      Baseline.NameIndex names = b.nameIndex();
      Map<String, List<Entry>> byHost = new LinkedHashMap<>();
      for (Entry e : b.entries()) {
        if (only == null || only.equals(e.host())) {
          byHost.computeIfAbsent(e.host(), k -> new ArrayList<>()).add(e);
        }
      }
      Map<String, List<SummaryRecord>> summaries = new LinkedHashMap<>();
      for (SummaryRecord s : b.summaries()) {
        if (only == null || only.equals(s.host())) {
          summaries.computeIfAbsent(s.host(), k -> new ArrayList<>()).add(s);
          byHost.computeIfAbsent(s.host(), k -> new ArrayList<>());
        }
      }
      if (only != null && byHost.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "egret: baseline show: "
                    + only
                    + " started no connection in "
                    + Escape.forTerminal(input.toString()));
      }
      List<String> hosts = new ArrayList<>(byHost.keySet());
      hosts.sort(
          Comparator.comparingLong(
                  (String h) -> -byHost.get(h).stream().mapToLong(Entry::flows).sum())
              .thenComparing(h -> h));
      for (String h : hosts) {
        List<Entry> es = byHost.get(h);
        es.sort(Comparator.comparingLong(Entry::flows).reversed().thenComparing(Entry::key));
        out.println();
        // Destinations are addresses, as in the baseline's summary line; entries are the rows.
        long dests = es.stream().map(Entry::destination).distinct().count();
        out.printf(
            "host %s: %d %s, %d %s, %d flows%n",
            Escape.forTerminal(h),
            dests,
            dests == 1 ? "destination" : "destinations",
            es.size(),
            es.size() == 1 ? "entry" : "entries",
            es.stream().mapToLong(Entry::flows).sum());
        // The user column only for a host with users known (from an audit log).
        boolean users = es.stream().anyMatch(e -> e.uid() != null);
        out.printf(
            "  %-6s %-39s %6s %s%8s %8s %5s  %s%n",
            "proto",
            "destination",
            "port",
            users ? String.format("%7s ", "uid") : "",
            "flows",
            "answered",
            "days",
            "names");
        int shown = 0;
        for (Entry e : es) {
          if (shown++ == limit) {
            out.printf("  ... %d more%n", es.size() - limit);
            break;
          }
          String ns = String.join(", ", names.nameStrings(h, e.destination()));
          out.printf(
              "  %-6s %-39s %6d %s%8d %8d %5d  %s%n",
              Escape.forTerminal(e.protocol()),
              Escape.forTerminal(e.destination()) + (e.internalDestination() ? " (int)" : ""),
              e.port(),
              users ? String.format("%7s ", e.uid() == null ? "-" : e.uid()) : "",
              e.flows(),
              e.answered(),
              e.days().size(),
              Escape.forTerminal(truncate(ns, 120)));
        }
        for (SummaryRecord s : summaries.getOrDefault(h, List.of())) {
          out.printf(
              "  summarised: %s/%d %d flows (%s, %d answered) to %s - %s, e.g. %s%n",
              Escape.forTerminal(s.protocol()),
              s.port(),
              s.flows(),
              s.reason(),
              s.answered(),
              Escape.forTerminal(s.lowest()),
              Escape.forTerminal(s.highest()),
              Escape.forTerminal(String.join(", ", s.sample())));
        }
        List<String> unused = queriedWithoutConnecting(b, h, names, es);
        if (!unused.isEmpty()) {
          out.println(
              "  queried, never connected: "
                  + Escape.forTerminal(truncate(String.join(", ", unused), 200)));
        }
      }
      out.flush();
      return ExitCodes.OK;
    }

    private static List<String> queriedWithoutConnecting(
        Baseline b, String host, Baseline.NameIndex names, List<Entry> es) {
      Set<String> used =
          es.stream()
              .flatMap(e -> names.nameStrings(host, e.destination()).stream())
              .collect(Collectors.toSet());
      List<String> out = new ArrayList<>();
      for (QueryRecord q : b.queries()) {
        if (q.host().equals(host) && !used.contains(q.name())) {
          out.add(q.name() + (q.failed() > 0 ? " (failed " + q.failed() + ")" : ""));
        }
      }
      return out;
    }
  }

  @Command(
      name = "export",
      header = "Export a baseline as CSV.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:exported", "2:usage error or unreadable baseline"},
      description =
          "Export baseline entries as CSV, one row per host/destination/protocol/port and user"
              + " (uid: from an audit log; empty when unknown).",
      footerHeading = "%nExamples:%n",
      footer = {"  egret baseline export baseline.json > baseline.csv"})
  static final class Export implements Callable<Integer> {

    @Option(
        names = "--csv",
        description = "CSV output: the default and, so far, the only format (kept for scripts).")
    boolean csv;

    @Parameters(paramLabel = "BASELINE")
    Path input;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Write here instead of stdout.")
    String output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Baseline b = BaselineJson.read(input);
      Baseline.NameIndex names = b.nameIndex();
      Output.to(
          spec.commandLine().getOut(),
          output,
          w -> {
            CSVPrinter p =
                Csv.printer(
                    w,
                    "host",
                    "destination",
                    "internal",
                    "protocol",
                    "port",
                    "flows",
                    "answered",
                    "unanswered",
                    "rejected",
                    "packets_out",
                    "bytes_out",
                    "packets_in",
                    "bytes_in",
                    "first_seen",
                    "last_seen",
                    "days",
                    "hours",
                    "names",
                    "uid");
            for (Entry e : b.entries()) {
              // Hosts and destinations are addresses when egret wrote the file, but a baseline
              // can be edited or come from elsewhere: every text cell is made safe.
              p.printRecord(
                  Csv.cell(e.host()),
                  Csv.cell(e.destination()),
                  e.internalDestination(),
                  Csv.cell(e.protocol()),
                  e.port(),
                  e.flows(),
                  e.answered(),
                  e.unanswered(),
                  e.rejected(),
                  e.packetsOut(),
                  e.bytesOut(),
                  e.packetsIn(),
                  e.bytesIn(),
                  Times.format(e.firstSeenNs()),
                  Times.format(e.lastSeenNs()),
                  e.days().size(),
                  e.hours().stream().map(String::valueOf).collect(Collectors.joining(" ")),
                  Csv.cell(String.join(" ", names.nameStrings(e.host(), e.destination()))),
                  e.uid() == null ? "" : e.uid());
            }
            p.flush();
          });
      return ExitCodes.OK;
    }
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }
}
