package dev.egret.logs;

/** Zeek conn.log TSV lines shared by the log tests: a header, columns and two rows. */
final class ZeekLines {
  private ZeekLines() {}

  static final String HEADER =
      "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n";

  /** Columns in an order of their own, an unknown one among them: read by name, not position. */
  static final String FIELDS =
      "#fields\tuid\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tvlan\tduration"
          + "\tconn_state\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes"
          + "\ttunnel_parents\n";

  static String row(String... cols) {
    return String.join("\t", cols) + "\n";
  }

  static final String SF =
      row(
          "C1",
          "1700000000.250000",
          "10.0.0.1",
          "40000",
          "93.184.216.34",
          "443",
          "tcp",
          "7",
          "1.5",
          "SF",
          "ShADadFf",
          "10",
          "800",
          "8",
          "6000",
          "-");
  static final String REJ =
      row(
          "C2",
          "1700000001.000000",
          "10.0.0.1",
          "40001",
          "93.184.216.34",
          "8443",
          "tcp",
          "7",
          "0.000100",
          "REJ",
          "Sr",
          "1",
          "60",
          "1",
          "40",
          "-");
}
