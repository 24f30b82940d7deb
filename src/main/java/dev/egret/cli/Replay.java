package dev.egret.cli;

import dev.egret.capture.CaptureFiles;
import dev.egret.capture.CaptureStats;
import dev.egret.capture.PacketHandler;
import dev.egret.capture.PacketPrefetch;
import dev.egret.capture.PacketSource;
import dev.egret.decode.DecodeStats;
import dev.egret.decode.LinkTypes;
import dev.egret.flow.FlowPipeline;
import dev.egret.flow.FlowStats;
import dev.egret.io.Escape;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Replays capture files through a handler: every file is opened (and its header checked) before any
 * packet is read, so a bad name fails before output starts; then the files run one after the other
 * in the order given.
 */
final class Replay {
  private final List<PacketSource> sources;
  private final List<Span> spans = new ArrayList<>();
  private CaptureStats totals = CaptureStats.EMPTY;
  private volatile boolean stopped;

  /** First and last packet time of one source. */
  record Span(String name, long firstNs, long lastNs, CaptureStats stats) {}

  /**
   * Notes the first and last packet time on the way to the real handler, and advances the progress
   * line by the packet's share of the file (its bytes and a pcap record header).
   */
  private static final class Timing implements PacketHandler {
    final PacketHandler next;
    final Progress progress;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    /**
     * @param progress the progress line, or null when none is shown (no call per packet then)
     */
    Timing(PacketHandler next, Progress progress) {
      this.next = next;
      this.progress = progress;
    }

    @Override
    public void onPacket(int linkType, long ts, byte[] buf, int off, int caplen, int origLen) {
      if (ts < first) {
        first = ts;
      }
      if (ts > last) {
        last = ts;
      }
      if (progress != null) {
        progress.advance(caplen + 16L);
      }
      next.onPacket(linkType, ts, buf, off, caplen, origLen);
    }
  }

  private Replay(List<PacketSource> sources) {
    this.sources = sources;
  }

  static Replay open(List<String> names) {
    List<PacketSource> opened = new ArrayList<>();
    try {
      for (String n : names) {
        opened.add(CaptureFiles.openDirect(n)); // framed on a thread of its own by run
      }
    } catch (RuntimeException e) {
      for (PacketSource s : opened) {
        try {
          s.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return new Replay(opened);
  }

  List<PacketSource> sources() {
    return sources;
  }

  /**
   * Runs every source; warns once per file that ended in a truncated record. Shows progress on
   * stderr when it is a terminal.
   */
  void run(PacketHandler handler, PrintWriter err) throws IOException {
    run(handler, err, Progress.onTerminal(err));
  }

  void run(PacketHandler handler, PrintWriter err, Progress progress) throws IOException {
    int i = 0;
    for (PacketSource s : sources) {
      i++;
      if (stopped) {
        s.close();
        continue;
      }
      Timing timing = new Timing(handler, progress.on() ? progress : null);
      progress.begin(
          (sources.size() > 1 ? "[" + i + "/" + sources.size() + "] " : "") + s.name(),
          Progress.sizeOf(s.name()));
      try (s) {
        handler.inputStarted();
        // The file framed on a second thread; the packets come back here in order.
        PacketPrefetch.run(s, timing);
      } finally {
        progress.end();
      }
      CaptureStats st = s.stats();
      spans.add(
          new Span(
              s.name(),
              st.packets() == 0 ? 0 : timing.first,
              st.packets() == 0 ? 0 : timing.last,
              st));
      totals = totals.plus(st);
      if (st.truncatedRecords() > 0) {
        err.println(
            "egret: warning: "
                + Escape.forTerminal(s.name())
                + ": file ends inside a packet record; read the "
                + st.packets()
                + " complete packets before it");
      }
      if (s.problem() != null) {
        err.println("egret: warning: " + Escape.forTerminal(s.problem()));
      } else if (st.skippedRecords() > 0) {
        err.println(
            "egret: warning: "
                + Escape.forTerminal(s.name())
                + ": skipped "
                + st.skippedRecords()
                + " unreadable records");
      }
    }
  }

  List<Span> spans() {
    return spans;
  }

  /**
   * Ends the replay early, from any thread: the file being read stops at its next record and the
   * files after it are closed unread.
   */
  void stop() {
    stopped = true;
    sources.forEach(PacketSource::stop);
  }

  CaptureStats totals() {
    return totals;
  }

  /** The replay summary on stderr: packets, what was skipped and why, flows, link types. */
  void summarize(FlowPipeline pipeline, PrintWriter err) {
    DecodeStats d = pipeline.decodeStats();
    FlowStats f = pipeline.flowStats();
    err.println(
        "egret: "
            + totals.packets()
            + " packets in "
            + sources.size()
            + (sources.size() == 1 ? " file" : " files")
            + ", "
            + d.get(DecodeStats.Kind.DECODED)
            + " decoded, "
            + d.malformed()
            + " malformed; "
            + f.flows()
            + " flows ("
            + f.midstream()
            + " picked up mid-stream, "
            + f.evicted()
            + " ended early by --max-flows, "
            + f.icmpErrors()
            + " ICMP errors, "
            + f.strayResets()
            + " stray TCP resets)");
    StringJoiner skipped = new StringJoiner(", ");
    for (Map.Entry<DecodeStats.Kind, Long> e : d.nonZero().entrySet()) {
      if (e.getKey() != DecodeStats.Kind.DECODED
          && e.getKey() != DecodeStats.Kind.UNSUPPORTED_LINK) {
        skipped.add(
            e.getKey().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + " "
                + e.getValue());
      }
    }
    if (skipped.length() > 0) {
      err.println("egret: skipped packets: " + skipped);
    }
    if (d.decapsulated() + d.innerMalformed() > 0) {
      err.println(
          "egret: tunnels: "
              + d.decapsulated()
              + " packets decapsulated, "
              + d.innerMalformed()
              + " whose inner packet did not decode");
    }
    if (d.reassembled() + d.incomplete() > 0) {
      err.println(
          "egret: fragmented datagrams: "
              + d.reassembled()
              + " reassembled, "
              + d.incomplete()
              + " incomplete (a fragment never came)");
    }
    StringJoiner links = new StringJoiner(", ");
    d.unsupportedLinkTypes()
        .forEach((lt, n) -> links.add(LinkTypes.name(lt) + " (" + lt + ") " + n));
    if (links.length() > 0) {
      err.println("egret: packets on link types egret does not decode: " + links);
    }
  }
}
