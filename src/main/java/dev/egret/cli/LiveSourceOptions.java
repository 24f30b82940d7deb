package dev.egret.cli;

import dev.egret.capture.LeanFilter;
import dev.egret.capture.LiveOptions;
import dev.egret.live.LiveSources;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code egret capture}'s interfaces, libpcap settings and raw capture ring. */
final class LiveSourceOptions {
  @Option(
      names = {"-i", "--interface"},
      required = true,
      paramLabel = "IFACE",
      description = "Interface to capture on; repeat for several (egret interfaces lists them).")
  List<String> interfaces;

  @Option(names = "--bpf", paramLabel = "EXPR", description = "Capture filter (pcap-filter(7)).")
  String bpf;

  @Option(
      names = "--lean",
      description =
          "Capture only what learning needs: TCP SYN/FIN/RST, segments starting a TLS"
              + " ClientHello or an HTTP request, DNS, all UDP, ICMP and IP fragments (IPv6 TCP"
              + " whole). Far fewer"
              + " packets reach egret, but TCP packet and byte counts cover only those segments, a"
              + " connection quiet on the filter past --tcp-idle is counted twice, and a"
              + " ClientHello spread over several segments loses its server name.")
  boolean lean;

  @Option(
      names = "--snaplen",
      defaultValue = "65535",
      paramLabel = "N",
      description = "Bytes kept per packet (default: ${DEFAULT-VALUE}).")
  int snaplen;

  @Option(
      names = "--buffer-size",
      defaultValue = "64",
      paramLabel = "MiB",
      description = "Kernel capture buffer per interface (default: ${DEFAULT-VALUE}).")
  int bufferMiB;

  @Option(names = "--no-promisc", description = "Do not put the interface in promiscuous mode.")
  boolean noPromisc;

  @Option(
      names = "--queue",
      defaultValue = "65536",
      paramLabel = "N",
      description =
          "Packets queued between capture and processing per interface; when it is full the"
              + " capture waits and the kernel buffer holds the rest (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--save", paramLabel = "DIR", description = "Also keep raw pcap files here.")
  Path saveDir;

  @Option(
      names = "--rotate",
      defaultValue = "1h",
      paramLabel = "DURATION",
      converter = Durations.Nanos.class,
      description = "Start a new --save file this often (default: ${DEFAULT-VALUE}).")
  long rotateNanos;

  @Option(
      names = "--keep",
      defaultValue = "48",
      paramLabel = "N",
      description = "--save files kept per interface (default: ${DEFAULT-VALUE}).")
  int keep;

  LiveOptions liveOptions() {
    if (bufferMiB < 1 || bufferMiB > 4096) {
      throw new UserError("--buffer-size: " + bufferMiB + " MiB out of range (1 to 4096)");
    }
    if (keep < 1) {
      throw new UserError("--keep: " + keep + " is too small (minimum 1)");
    }
    String filter = lean ? LeanFilter.and(bpf) : bpf;
    try {
      return new LiveOptions(
          snaplen, bufferMiB << 20, !noPromisc, LiveOptions.DEFAULT_TIMEOUT_MILLIS, filter);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** The raw capture ring, or null without {@code --save}. */
  LiveSources.Saving saving() {
    return saveDir == null ? null : new LiveSources.Saving(saveDir, rotateNanos, keep);
  }
}
