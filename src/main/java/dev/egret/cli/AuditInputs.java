package dev.egret.cli;

import dev.egret.baseline.Learner;
import dev.egret.baseline.SourceRecord;
import dev.egret.drops.Attempts;
import dev.egret.drops.AuditLog;
import dev.egret.drops.DropEvent;
import dev.egret.io.Escape;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The audit logs among the FILE arguments of learn and check, told by content: kernel log text
 * (journalctl -k, kern.log, dmesg -T; plain or gzip) holding lines with the rules' log prefix
 * ({@link AuditLog#DROP} or {@link AuditLog#AUDIT}) and {@code SRC=}, and captures of an NFLOG
 * group. Each logged packet that opens a connection becomes one attempt of its host, with the user
 * when the kernel logged one ({@link Attempts} folds retransmissions together); a line without
 * addresses or without a date (plain dmesg counts from boot) is counted and skipped, with one
 * warning per file.
 */
final class AuditInputs {

  /** One audit log: its path (null for standard input) and whether it is an NFLOG capture. */
  record Input(Path path, boolean nflog) {}

  private final List<Input> audits;
  private final List<String> rest;
  private final List<long[]> read = new ArrayList<>();
  private long attempts;
  private long repeats;
  private long skipped;

  private AuditInputs(List<Input> audits, List<String> rest) {
    this.audits = audits;
    this.rest = rest;
  }

  /**
   * The audit logs among {@code args}: told by content, every one with {@code --format audit}
   * ({@code -} is kernel log text on standard input then), none with another format forced.
   */
  static AuditInputs of(List<String> args, InputOptions options) throws IOException {
    InputOptions.Format forced = options == null ? InputOptions.Format.auto : options.format;
    List<Input> audits = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String a : args) {
      Path p = a.equals("-") ? null : Path.of(a);
      if (forced == InputOptions.Format.audit) {
        if (p != null && !Files.isRegularFile(p)) {
          throw new UserError(a + (Files.exists(p) ? ": not a regular file" : ": no such file"));
        }
        audits.add(new Input(p, p != null && DropsCommand.isCapture(p)));
      } else if (forced != InputOptions.Format.auto || p == null || !Files.isRegularFile(p)) {
        rest.add(a);
      } else if (DropsCommand.isCapture(p)) {
        if (AuditLog.isNflogCapture(a)) {
          audits.add(new Input(p, true));
        } else {
          rest.add(a);
        }
      } else if (AuditLog.isKernelLog(p)) {
        audits.add(new Input(p, false));
      } else {
        rest.add(a);
      }
    }
    return new AuditInputs(audits, rest);
  }

  /** The arguments that are not audit logs. */
  List<String> rest() {
    return rest;
  }

  /** The audit log files (standard input left out). */
  List<Path> paths() {
    return audits.stream().map(Input::path).filter(java.util.Objects::nonNull).toList();
  }

  /** Reads every audit log into the learner; one warning per file with lines skipped. */
  void read(Learner learner, PrintWriter err) throws IOException {
    for (Input in : audits) {
      Attempts attempts = new Attempts();
      long[] s = {0, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0}; // lines, first, last, skipped, flows
      Consumer<DropEvent> sink =
          e -> {
            s[0]++;
            if (e == null || e.uptime() || e.timeNs() <= 0) {
              s[3]++;
              return;
            }
            s[1] = Math.min(s[1], e.timeNs());
            s[2] = Math.max(s[2], e.timeNs());
            if (!attempts.starts(e)) {
              return;
            }
            s[4]++;
            learner.onAttempt(AuditLog.flowKey(e), e.timeNs(), e.length(), e.uid());
          };
      if (in.nflog()) {
        AuditLog.readNflog(in.path(), sink);
      } else {
        AuditLog.readText(in.path() == null ? System.in : AuditLog.open(in.path()), sink);
      }
      read.add(s);
      this.attempts += s[4];
      repeats += attempts.repeats();
      skipped += s[3];
      if (s[3] > 0) {
        err.println(
            "egret: warning: "
                + Escape.forTerminal(in.path() == null ? "-" : in.path().toString())
                + ": "
                + s[3]
                + (s[3] == 1 ? " audit line" : " audit lines")
                + " skipped (addresses or user unreadable, or no date: plain dmesg counts from boot;"
                + " use journalctl -k -o short-iso or dmesg -T)");
      }
    }
  }

  /** One source record per audit log; {@code fingerprints} maps a path to its fingerprint. */
  List<SourceRecord> sources(Map<String, String> fingerprints) {
    List<SourceRecord> out = new ArrayList<>();
    for (int i = 0; i < read.size(); i++) {
      Path p = audits.get(i).path();
      long[] s = read.get(i);
      boolean none = s[1] == Long.MAX_VALUE;
      out.add(
          new SourceRecord(
              "audit",
              p == null ? "-" : p.getFileName().toString(),
              p == null ? "" : fingerprints.getOrDefault(p.toString(), ""),
              none ? 0 : s[1],
              none ? 0 : s[2],
              s[0]));
    }
    return out;
  }

  /** Logged packets read. */
  long packets() {
    return read.stream().mapToLong(s -> s[0]).sum();
  }

  /** The summary line of the audit logs read (nothing when there were none). */
  void summarize(PrintWriter err) {
    if (read.isEmpty()) {
      return;
    }
    err.println(
        "egret: "
            + read.size()
            + (read.size() == 1 ? " audit log" : " audit logs")
            + ", "
            + packets()
            + " logged packets: "
            + attempts
            + " connection attempts, "
            + repeats
            + " retransmissions folded in, "
            + skipped
            + " skipped");
  }
}
