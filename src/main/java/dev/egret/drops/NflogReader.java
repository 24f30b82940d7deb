package dev.egret.drops;

import dev.egret.capture.CaptureException;
import dev.egret.capture.LiveOptions;
import dev.egret.capture.PacketSource;
import dev.egret.capture.Pcap4jLiveSource;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Blocked attempts from an NFLOG group: live through libpcap's {@code nflog:N} device, or from a
 * capture of link type NFLOG ({@code tcpdump -i nflog:N -w drops.pcap}). Each record with the
 * rules' prefix becomes a {@link DropEvent}; records of other rules are skipped, and records with
 * the prefix but no readable packet are counted ({@link #unread()}).
 */
public final class NflogReader {
  private final String prefix;
  private long records;
  private long unread;

  public NflogReader(String prefix) {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("the log prefix must not be empty");
    }
    this.prefix = prefix;
  }

  /**
   * Opens NFLOG group {@code group} (which needs CAP_NET_ADMIN in the rules' network namespace).
   * The snapshot length stays large although only headers are read: libpcap receives a whole
   * netlink batch of records into a buffer of snapshot + 128 bytes, so a small one loses every
   * record past the first few (measured: 3 of 4 attempts made at once with 256).
   *
   * @throws CaptureException naming the device when it cannot be opened
   */
  public static PacketSource live(int group) {
    if (group < 0 || group > 65535) {
      throw new IllegalArgumentException(
          "--log-group must be an NFLOG group from 0 to 65535, not " + group);
    }
    try {
      return Pcap4jLiveSource.open(
          "nflog:" + group,
          new LiveOptions(LiveOptions.DEFAULT_SNAPLEN, 4 << 20, false, 100, null));
    } catch (CaptureException e) {
      if (e.getMessage().contains("Can't listen on group")) {
        // libpcap's words when the bind fails: the group has a listener already, or no right.
        throw new CaptureException(
            "nflog:"
                + group
                + ": cannot listen on NFLOG group "
                + group
                + ": another program (tcpdump, ulogd) listens on it, or egret lacks"
                + " CAP_NET_ADMIN in the rules' network namespace",
            e);
      }
      throw e;
    }
  }

  /**
   * Reads {@code source} to its end (or until it is stopped), handing each event to {@code sink} on
   * the reading thread.
   *
   * @throws CaptureException when the source is not of link type NFLOG
   */
  public void read(PacketSource source, Consumer<DropEvent> sink) throws IOException {
    source.run(
        (linkType, tsNs, buf, off, caplen, origLen) -> {
          if (linkType != NflogRecord.LINKTYPE) {
            throw new CaptureException(
                source.name()
                    + ": link type "
                    + linkType
                    + ", not NFLOG ("
                    + NflogRecord.LINKTYPE
                    + "): write it with tcpdump -i nflog:N -w FILE");
          }
          records++;
          if (!NflogRecord.hasPrefix(buf, off, caplen, prefix)) {
            return;
          }
          DropEvent e = NflogRecord.parse(buf, off, caplen, tsNs, prefix);
          if (e == null) {
            unread++;
          } else {
            sink.accept(e);
          }
        });
  }

  /** NFLOG records read, of any rule. */
  public long records() {
    return records;
  }

  /** Records with the prefix that held no readable IP packet. */
  public long unread() {
    return unread;
  }
}
