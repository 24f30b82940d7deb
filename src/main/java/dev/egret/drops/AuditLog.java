package dev.egret.drops;

import dev.egret.capture.CaptureFile;
import dev.egret.capture.CaptureFiles;
import dev.egret.flow.FlowKey;
import dev.egret.net.IpAddress;
import dev.egret.net.Protocols;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Year;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Audit logs read as {@link DropEvent}s: kernel log text (journalctl -k, kern.log, dmesg -T; plain
 * or gzip) holding lines with the rules' log prefix ({@value #DROP} or {@value #AUDIT}) and {@code
 * SRC=}, and captures of an NFLOG group. Everything in them came off the wire or from a host that
 * may be compromised: the parsers keep only numbers and addresses, and a line they cannot read is
 * handed on as null so the caller counts it.
 */
public final class AuditLog {
  /** The log prefix of the enforcing rules' drops. */
  public static final String DROP = "egret-drop ";

  /** The log prefix of audit mode's would-be drops. */
  public static final String AUDIT = "egret-audit ";

  /** How far into a text file the prefix is looked for (a kern.log has other lines first). */
  private static final int SNIFF_BYTES = 1 << 20;

  private AuditLog() {}

  /** A capture whose first record is of link type NFLOG. */
  public static boolean isNflogCapture(String f) throws IOException {
    int[] type = {-1};
    try (CaptureFile c = CaptureFiles.open(f)) {
      c.run(
          (linkType, tsNs, buf, off, caplen, origLen) -> {
            type[0] = linkType;
            c.stop();
          });
    } catch (RuntimeException e) {
      return false; // the capture reader says what is wrong with it
    }
    return type[0] == NflogRecord.LINKTYPE;
  }

  /** Text (gzip or not) with an audit line in its first MiB. */
  public static boolean isKernelLog(Path p) throws IOException {
    try (InputStream in = open(p)) {
      String head =
          new String(in.readNBytes(SNIFF_BYTES), StandardCharsets.ISO_8859_1); // bytes as chars
      for (String prefix : List.of(DROP, AUDIT)) {
        for (int i = head.indexOf(prefix); i >= 0; i = head.indexOf(prefix, i + 1)) {
          int end = head.indexOf('\n', i);
          String line = head.substring(i, end < 0 ? head.length() : end);
          if (line.contains(" SRC=") && line.contains(" DST=")) {
            return true;
          }
        }
      }
      return false;
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      return false;
    }
  }

  public static InputStream open(Path p) throws IOException {
    InputStream in = Files.newInputStream(p);
    byte[] magic;
    try (InputStream peek = Files.newInputStream(p)) {
      magic = peek.readNBytes(2);
    }
    if (magic.length == 2 && magic[0] == (byte) 0x1f && magic[1] == (byte) 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }

  /** The flow key of an attempt: an ICMP type stands where the initiator's port does. */
  public static FlowKey flowKey(DropEvent e) {
    IpAddress h = IpAddress.parse(e.host());
    IpAddress d = IpAddress.parse(e.destination());
    int proto = Protocols.parse(e.protocol());
    boolean icmp = proto == Protocols.ICMP || proto == Protocols.ICMPV6;
    return icmp
        ? new FlowKey(h.hi(), h.lo(), e.port(), d.hi(), d.lo(), 0, proto)
        : new FlowKey(h.hi(), h.lo(), e.sourcePort(), d.hi(), d.lo(), e.port(), proto);
  }

  public static void readNflog(Path p, Consumer<DropEvent> sink) throws IOException {
    try (CaptureFile c = CaptureFiles.open(p.toString())) {
      c.run(
          (linkType, tsNs, buf, off, caplen, origLen) -> {
            if (linkType != NflogRecord.LINKTYPE) {
              return;
            }
            for (String prefix : List.of(DROP, AUDIT)) {
              if (NflogRecord.hasPrefix(buf, off, caplen, prefix)) {
                sink.accept(NflogRecord.parse(buf, off, caplen, tsNs, prefix));
                return;
              }
            }
          });
    }
  }

  public static void readText(InputStream in, Consumer<DropEvent> sink) throws IOException {
    int year = Year.now().getValue();
    List<KernelLogParser> parsers =
        List.of(
            new KernelLogParser(DROP, year, ZoneId.systemDefault()),
            new KernelLogParser(AUDIT, year, ZoneId.systemDefault()));
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                in,
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        for (KernelLogParser parser : parsers) {
          if (parser.matches(line)) {
            sink.accept(parser.parse(line));
            break;
          }
        }
      }
    }
  }
}
