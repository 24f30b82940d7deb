package dev.egret.live;

import dev.egret.capture.LiveOptions;
import dev.egret.capture.PacketSource;
import dev.egret.capture.Pcap4jLiveSource;
import dev.egret.capture.PcapRing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the interfaces of a live capture through libpcap and, when asked, a ring of raw pcap files
 * per interface. If any one fails to open, those already open are closed before the error goes up.
 *
 * @param sources one per interface, in the order given
 * @param saves the ring of each source, in the same order; empty when nothing is saved
 */
public record LiveSources(List<PacketSource> sources, List<PcapRing> saves)
    implements AutoCloseable {
  /**
   * A ring of raw capture files per interface.
   *
   * @param dir where the files go
   * @param rotateNanos a new file this often
   * @param keep files kept per interface
   */
  public record Saving(Path dir, long rotateNanos, int keep) {}

  /** Opens every interface; {@code saving} null keeps no raw files. */
  public static LiveSources open(List<String> interfaces, LiveOptions options, Saving saving)
      throws IOException {
    List<PacketSource> sources = new ArrayList<>();
    List<PcapRing> saves = new ArrayList<>();
    try {
      for (String iface : interfaces) {
        Pcap4jLiveSource s = Pcap4jLiveSource.open(iface, options);
        sources.add(s);
        if (saving != null) {
          saves.add(
              new PcapRing(
                  saving.dir(),
                  iface,
                  s.linkType(),
                  options.snaplen(),
                  saving.rotateNanos(),
                  saving.keep()));
        }
      }
      return new LiveSources(List.copyOf(sources), List.copyOf(saves));
    } catch (IOException | RuntimeException e) {
      new LiveSources(sources, saves).closeInto(e);
      throw e;
    }
  }

  /** Closes every source and ring (before a run starts; a run closes its own). */
  @Override
  public void close() throws IOException {
    IOException first = new IOException("closing capture sources");
    closeInto(first);
    if (first.getSuppressed().length > 0) {
      throw first;
    }
  }

  private void closeInto(Exception e) {
    for (AutoCloseable c : sources) {
      closeQuietly(c, e);
    }
    for (AutoCloseable c : saves) {
      closeQuietly(c, e);
    }
  }

  private static void closeQuietly(AutoCloseable c, Exception into) {
    try {
      c.close();
    } catch (Exception suppressed) {
      into.addSuppressed(suppressed);
    }
  }
}
