package dev.egret.cli;

import dev.egret.baseline.SourceRecord;
import dev.egret.flow.FlowSink;
import dev.egret.flow.NameObserver;
import dev.egret.io.Escape;
import dev.egret.logs.LogFiles;
import dev.egret.logs.LogFormat;
import dev.egret.logs.LogStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Splits the FILE arguments of learn, check and flows into captures (for {@link Replay}) and Zeek
 * or Suricata logs, and reads the logs. A directory is a Zeek logger's directory; a file is told by
 * content unless {@code --format} says; {@code -} is a capture unless {@code --format} names a log
 * format. Anything not recognised is left to the capture reader, whose error names it.
 */
final class LogInputs {
  /** One log file: the path (null for stdin), the name it is recorded under, its format. */
  record Input(Path path, String name, LogFormat format) {}

  private final List<String> captures;
  private final List<Input> logs;
  private final List<LogStats> read = new ArrayList<>();
  private LogFiles session;

  /** CPU time of the reading thread, flows and names handed on included; -1 when unknown. */
  private long cpuNanos = -1;

  private LogInputs(List<String> captures, List<Input> logs) {
    this.captures = captures;
    this.logs = logs;
  }

  static LogInputs of(List<String> args, InputOptions options) throws IOException {
    InputOptions.Format forced = options == null ? InputOptions.Format.auto : options.format;
    if (forced == InputOptions.Format.audit && !args.isEmpty()) {
      throw new UserError("--format audit: only learn and check read audit logs");
    }
    List<String> captures = new ArrayList<>();
    List<Input> logs = new ArrayList<>();
    for (String a : args) {
      if (forced == InputOptions.Format.pcap) {
        captures.add(a);
        continue;
      }
      LogFormat asked =
          switch (forced) {
            case zeek -> LogFormat.ZEEK;
            case eve -> LogFormat.EVE;
            default -> null;
          };
      if (a.equals("-")) {
        if (asked != null) {
          logs.add(new Input(null, "-", asked));
        } else {
          captures.add(a);
        }
        continue;
      }
      Path p = Path.of(a);
      if (Files.isDirectory(p)) {
        if (asked == LogFormat.EVE) {
          throw new UserError(a + ": is a directory; --format eve reads EVE files");
        }
        List<Path> files = LogFiles.zeekDirectory(p);
        if (files.isEmpty()) {
          throw new UserError(
              a + ": is a directory without Zeek logs egret reads (conn, dns, ssl, http, quic)");
        }
        for (Path f : files) {
          logs.add(new Input(f, p.relativize(f).toString(), LogFormat.ZEEK));
        }
        continue;
      }
      if (!Files.isRegularFile(p)) {
        captures.add(a); // the capture reader says what is wrong with it
        continue;
      }
      LogFormat f = asked != null ? asked : LogFiles.sniff(p);
      if (f == LogFormat.ZEEK || f == LogFormat.EVE) {
        logs.add(new Input(p, p.getFileName().toString(), f));
      } else {
        captures.add(a);
      }
    }
    // Rotation by rotation in the order given, conn logs first within each (a stable sort keeps
    // the order given otherwise): see LogFiles.readOrder.
    Map<String, Integer> rotations = new java.util.HashMap<>();
    for (Input i : logs) {
      rotations.putIfAbsent(rotation(i), rotations.size());
    }
    logs.sort(
        java.util.Comparator.comparingInt((Input i) -> rotations.get(rotation(i)))
            .thenComparingInt((Input i) -> i.path() == null ? 1 : LogFiles.readOrder(i.path())));
    return new LogInputs(captures, logs);
  }

  /** The reading thread's CPU time and lines per CPU-second (scripts/bench-logs reads it). */
  private String cpu(long lines) {
    if (cpuNanos <= 0) {
      return "";
    }
    double seconds = cpuNanos / 1e9;
    return "; "
        + hundredths(seconds)
        + " s of CPU reading them, "
        + hundredths(lines / seconds / 1e6)
        + " M lines per CPU-second";
  }

  /**
   * {@code v >= 0} to two decimals, as {@code %.2f} writes it: String.format's first use loads and
   * sets up the formatter and the locale's number symbols, 10-20 ms of CPU for this one line.
   */
  static String hundredths(double v) {
    long h = Math.round(v * 100);
    long frac = h % 100;
    return h / 100 + (frac < 10 ? ".0" : ".") + frac;
  }

  private static String rotation(Input i) {
    return i.path() == null ? "-" : LogFiles.rotation(i.path());
  }

  List<String> captures() {
    return captures;
  }

  List<Input> logs() {
    return logs;
  }

  /**
   * Reads every log, in the order given, into the sink and observer; one warning per bad file. With
   * {@code decapsulate}, the connections Zeek logged inside tunnels are read too.
   */
  void read(FlowSink flows, NameObserver names, PrintWriter err, boolean decapsulate)
      throws IOException {
    LogFiles session = new LogFiles(flows, names, decapsulate);
    this.session = session;
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = cpu.getCurrentThreadCpuTime();
    for (Input in : logs) {
      LogStats s =
          in.path() == null
              ? session.read(System.in, "-", in.format())
              : session.read(in.path(), in.format());
      read.add(s);
      if (s.warning() != null) {
        err.println("egret: warning: " + Escape.forTerminal(s.warning()));
      }
    }
    cpuNanos = cpuStart < 0 ? -1 : cpu.getCurrentThreadCpuTime() - cpuStart;
  }

  /** One source record per log read; {@code fingerprints} maps a path to its fingerprint. */
  List<SourceRecord> sources(Map<String, String> fingerprints, String sensor) {
    List<SourceRecord> out = new ArrayList<>();
    for (int i = 0; i < read.size(); i++) {
      Input in = logs.get(i);
      LogStats s = read.get(i);
      String fp = in.path() == null ? "" : fingerprints.getOrDefault(in.path().toString(), "");
      String sensorName = !s.sensor().isEmpty() ? s.sensor() : sensor == null ? "" : sensor;
      out.add(
          new SourceRecord(
              s.format().label(), in.name(), fp, s.firstNs(), s.lastNs(), s.packets(), sensorName));
    }
    return out;
  }

  long packets() {
    return read.stream().mapToLong(LogStats::packets).sum();
  }

  /** The summary line of the logs read (nothing when there were none). */
  void summarize(PrintWriter err) {
    if (read.isEmpty()) {
      return;
    }
    long lines = 0;
    long flows = 0;
    long names = 0;
    long malformed = 0;
    Map<String, Long> skipped = new TreeMap<>();
    Map<String, Integer> formats = new TreeMap<>();
    for (LogStats s : read) {
      lines += s.lines();
      flows += s.flows();
      names += s.names();
      malformed += s.malformed();
      s.skipped().forEach((k, v) -> skipped.merge(k, v, Long::sum));
      formats.merge(s.format().label(), 1, Integer::sum);
    }
    StringJoiner kinds = new StringJoiner(", ");
    formats.forEach((k, v) -> kinds.add(k + " " + v));
    err.println(
        "egret: "
            + read.size()
            + (read.size() == 1 ? " log file" : " log files")
            + " ("
            + kinds
            + "), "
            + lines
            + " lines: "
            + flows
            + " flows, "
            + names
            + " names, "
            + malformed
            + " malformed lines skipped"
            + cpu(lines));
    if (session != null && session.joinEvictions() > 0) {
      err.println(
          "egret: joining name rows to tunnelled connections: "
              + session.joinEvictions()
              + " connections dropped from the join cache (2 h window, at most "
              + LogFiles.JOIN_CAP
              + " kept); "
              + session.lateJoins()
              + " name rows older than the newest dropped were read as not tunnelled");
    }
    if (!skipped.isEmpty()) {
      StringJoiner j = new StringJoiner(", ");
      skipped.forEach((k, v) -> j.add(k + " " + v));
      err.println("egret: log rows not used: " + Escape.forTerminal(j.toString()));
    }
  }
}
