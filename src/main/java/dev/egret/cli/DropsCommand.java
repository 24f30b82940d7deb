package dev.egret.cli;

import dev.egret.baseline.Baseline;
import dev.egret.baseline.BaselineJson;
import dev.egret.capture.CaptureFile;
import dev.egret.capture.CaptureFiles;
import dev.egret.capture.PacketSource;
import dev.egret.drops.DropEvent;
import dev.egret.drops.DropGroup;
import dev.egret.drops.DropLog;
import dev.egret.drops.KernelLogParser;
import dev.egret.drops.NflogReader;
import dev.egret.live.SignalStop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Year;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code egret drops LOG...}: the firewall's blocked attempts, read back and grouped. */
@Command(
    name = "drops",
    header = "Read the firewall's blocked attempts back from its log.",
    description = {
      "Read back what the compiled rules blocked: the kernel log lines with the rules' log prefix"
          + " (journalctl -k, /var/log/kern.log, dmesg, gzip-compressed or not), captures of an"
          + " NFLOG group (tcpdump -i nflog:N -w FILE), or the NFLOG group itself, live"
          + " (--log-group, for rules compiled with --log-group). Attempts are grouped by host,"
          + " destination, protocol, port and user, with names from the baseline, first and last"
          + " time, attempts, and the interval between them when it is regular (a 30-second retry"
          + " loop stands out). A SYN the sender retransmits (same source port, within 130 s) is"
          + " one attempt, not several.",
      "Lines and records without the prefix are ignored. Syslog stamps have no year and are"
          + " local time: --year and the system's time zone complete them.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:read (with or without drops)",
      "2:usage error, unreadable input, or an NFLOG group that cannot be opened"
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  journalctl -k -o short-iso --since today | egret drops - --baseline baseline.json",
      "  egret drops /var/log/kern.log --format csv > drops.csv",
      "  dmesg | egret drops - --format json",
      "  journalctl -k -f -o short-iso | egret drops - --follow",
      "  egret drops --log-group 5 --for 10m          # rules compiled with --log-group 5",
      "  egret drops --log-group 5 --follow           # each attempt as it is logged",
      "  tcpdump -i nflog:5 -w drops.pcap; egret drops drops.pcap",
    })
final class DropsCommand implements Callable<Integer> {
  @Parameters(
      arity = "0..*",
      paramLabel = "LOG",
      description =
          "Kernel log files (plain or gzip), NFLOG captures (pcap or pcapng of link type NFLOG),"
              + " or - for a kernel log on standard input.")
  List<String> files = new ArrayList<>();

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
  DropsPrinter.Format format;

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

  @Option(
      names = "--log-group",
      paramLabel = "N",
      description =
          "Read NFLOG group N live (needs CAP_NET_ADMIN, in the rules' network namespace) until"
              + " interrupted or --for ends, then print the groups.")
  Integer logGroup;

  @Option(
      names = "--for",
      paramLabel = "DURATION",
      description = "With --log-group: stop after this long (e.g. 30s, 10m, 2h, 1d).")
  String duration;

  @Spec CommandSpec spec;

  private long unreadLines;
  private long unreadRecords;

  @Override
  public Integer call() throws Exception {
    if (prefix.isBlank()) {
      throw new UserError("--prefix must not be empty");
    }
    if (logGroup == null && files.isEmpty()) {
      throw new UserError("give a LOG to read, or --log-group N to read an NFLOG group live");
    }
    if (logGroup != null && !files.isEmpty()) {
      throw new UserError("--log-group reads the group live: give no LOG files with it");
    }
    if (duration != null && logGroup == null) {
      throw new UserError("--for applies to --log-group only");
    }
    if (follow && files.size() > 1) {
      throw new UserError("--follow reads one log, not " + files.size());
    }
    long forNanos = duration == null ? 0 : Durations.parseNanos("--for", duration);
    Baseline b = baseline == null ? null : BaselineJson.read(baseline);
    PrintWriter out = spec.commandLine().getOut();
    DropsPrinter printer = new DropsPrinter(format);
    DropLog log = new DropLog();
    Consumer<DropEvent> sink =
        e -> {
          if (log.add(e) && follow) {
            try {
              printer.event(e, out);
            } catch (IOException x) {
              throw new java.io.UncheckedIOException(x);
            }
          }
        };
    if (logGroup != null) {
      return live(logGroup, forNanos, sink, () -> report(log, b, printer));
    }
    for (String f : files) {
      read(f, sink, out);
    }
    return report(log, b, printer);
  }

  /** Prints the groups (unless following) and the one-line summary. */
  private int report(DropLog log, Baseline b, DropsPrinter printer) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<DropGroup> groups = log.groups(b);
    if (!follow) {
      printer.print(groups, out);
    }
    out.flush();
    long hosts = groups.stream().map(DropGroup::host).distinct().count();
    StringBuilder msg = new StringBuilder("egret: drops: ");
    msg.append(log.attempts()).append(" blocked attempts in ").append(groups.size());
    msg.append(" groups from ").append(hosts).append(hosts == 1 ? " host" : " hosts");
    if (log.retransmissions() > 0) {
      msg.append("; ").append(log.retransmissions());
      msg.append(" retransmitted SYNs counted with their attempts");
    }
    if (unreadLines > 0) {
      msg.append("; ").append(unreadLines).append(" lines with the prefix lacked SRC= or DST=");
    }
    if (unreadRecords > 0) {
      msg.append("; ").append(unreadRecords);
      msg.append(" NFLOG records with the prefix held no readable packet");
    }
    spec.commandLine().getErr().println(msg);
    spec.commandLine().getErr().flush();
    return ExitCodes.OK;
  }

  /** The attempts in {@code files} with egret's default prefix; shared with {@code report}. */
  static DropLog readAll(List<String> files) throws IOException {
    DropsCommand c = new DropsCommand();
    c.prefix = "egret-drop ";
    c.format = DropsPrinter.Format.table;
    DropLog log = new DropLog();
    for (String f : files) {
      c.read(f, log::add, null);
    }
    return log;
  }

  /**
   * Reads the group until {@code forNanos} have passed (0: until SIGINT or SIGTERM), then reports:
   * inside the signal handling, so that an interrupted run still prints what it read.
   *
   * <p>libpcap's {@code nflog} device waits in a blocking {@code recv} that neither its read
   * timeout nor {@code pcap_breakloop} ends while the group is quiet, so the reading runs on a
   * daemon thread that is left behind (and its handle open: closing it under a blocked read is
   * unsafe) when the run ends; the process exits right after.
   */
  private int live(int group, long forNanos, Consumer<DropEvent> sink, SignalStop.Run report)
      throws IOException {
    NflogReader reader = new NflogReader(prefix);
    PacketSource src;
    try {
      src = NflogReader.live(group);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    spec.commandLine()
        .getErr()
        .println(
            "egret: drops: reading NFLOG group "
                + group
                + (forNanos > 0 ? " for " + duration : "")
                + "; Ctrl-C prints what was read and stops");
    CountDownLatch done = new CountDownLatch(1);
    RuntimeException[] failed = new RuntimeException[1];
    Object lock = new Object();
    Thread reading =
        new Thread(
            () -> {
              try {
                reader.read(
                    src,
                    e -> {
                      synchronized (lock) {
                        sink.accept(e);
                      }
                    });
              } catch (IOException | RuntimeException e) {
                failed[0] =
                    e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
              } finally {
                done.countDown();
              }
            },
            "egret-drops-nflog");
    reading.setDaemon(true);
    reading.start();
    return SignalStop.run(
        () -> {
          try {
            if (forNanos > 0) {
              done.await(forNanos, TimeUnit.NANOSECONDS);
            } else {
              done.await();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          src.stop();
          if (failed[0] != null) {
            throw failed[0];
          }
          synchronized (lock) {
            unreadRecords += reader.unread();
            return report.call();
          }
        },
        done::countDown,
        () -> {
          spec.commandLine().getOut().flush();
          spec.commandLine().getErr().flush();
        },
        ExitCodes.FAILURE);
  }

  private void read(String f, Consumer<DropEvent> sink, PrintWriter out) throws IOException {
    boolean stdin = "-".equals(f);
    if (!stdin && !Files.isRegularFile(Path.of(f))) {
      throw new UserError(
          f + (Files.exists(Path.of(f)) ? ": not a regular file" : ": no such file"));
    }
    String own = stdin ? null : ownFile(Path.of(f));
    if (own != null) {
      throw new UserError(f + ": " + own + ", not a kernel log or an NFLOG capture");
    }
    if (!stdin && isCapture(Path.of(f))) {
      NflogReader reader = new NflogReader(prefix);
      try (CaptureFile c = CaptureFiles.open(f)) {
        reader.read(c, sink);
      }
      unreadRecords += reader.unread();
      return;
    }
    KernelLogParser parser =
        new KernelLogParser(
            prefix, year == null ? Year.now().getValue() : year, ZoneId.systemDefault());
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    InputStream in = stdin ? System.in : Files.newInputStream(Path.of(f));
    if (!stdin && gzip(Path.of(f))) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, utf8))) {
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
          unreadLines++;
          continue;
        }
        sink.accept(e);
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new UserError(f + ": not a text log (invalid UTF-8)");
    } catch (java.util.zip.ZipException e) {
      throw new UserError(f + ": broken gzip data (" + e.getMessage() + ")");
    }
  }

  /** "a baseline" or "a policy" for egret's own files, gzip-compressed or not; else null. */
  private static String ownFile(Path p) throws IOException {
    try (InputStream raw = Files.newInputStream(p)) {
      byte[] h = (gzip(p) ? new GZIPInputStream(raw) : raw).readNBytes(64);
      return dev.egret.io.FileKinds.ownFile(h, h.length);
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      return null;
    }
  }

  private static boolean gzip(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      byte[] h = in.readNBytes(2);
      return h.length == 2 && h[0] == (byte) 0x1f && h[1] == (byte) 0x8b;
    }
  }

  /** A pcap or pcapng file, plain or gzip-compressed, told by its first four bytes. */
  static boolean isCapture(Path p) throws IOException {
    try (InputStream raw = Files.newInputStream(p)) {
      InputStream in = raw;
      if (gzip(p)) {
        try {
          in = new GZIPInputStream(raw);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
          return false;
        }
      }
      byte[] h;
      try {
        h = in.readNBytes(4);
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        return false;
      }
      if (h.length < 4) {
        return false;
      }
      int be = (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | (h[3] & 0xff);
      int le = Integer.reverseBytes(be);
      return be == 0x0a0d0d0a
          || be == 0xa1b2c3d4
          || le == 0xa1b2c3d4
          || be == 0xa1b23c4d
          || le == 0xa1b23c4d;
    }
  }
}
