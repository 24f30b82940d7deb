package dev.egret.cli;

import picocli.CommandLine.Option;

/** How input files are read: by content (the default) or as one forced format. */
final class InputOptions {
  /** The formats {@code --format} accepts. */
  enum Format {
    auto,
    pcap,
    zeek,
    eve,
    audit
  }

  @Option(
      names = "--format",
      defaultValue = "auto",
      paramLabel = "<format>",
      description =
          "Input format: ${COMPLETION-CANDIDATES}. auto (the default) tells pcap, pcapng, Zeek"
              + " logs (TSV or JSON), Suricata EVE JSON and audit logs (learn and check: kernel"
              + " log lines of rules compiled with --audit, NFLOG captures) apart by content; a"
              + " directory is a Zeek logger's log directory. audit reads - as kernel log text"
              + " (journalctl -k -o short-iso | egret learn --format audit -).")
  Format format;

  @Option(
      names = "--sensor",
      paramLabel = "NAME",
      description =
          "Sensor name recorded for log inputs that do not carry one (EVE host, Zeek"
              + " _node_name).")
  String sensor;
}
