package dev.egret.logs;

/** What an input file holds, told by content. */
public enum LogFormat {
  /** A pcap or pcapng capture (read by the capture stage, not here). */
  PCAP,
  /** Zeek logs: TSV with {@code #fields} headers, or JSON lines. */
  ZEEK,
  /** Suricata EVE JSON lines. */
  EVE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The format of a file from its first bytes (already decompressed): the pcap and pcapng magic
   * numbers; a line starting with {@code #} (Zeek's TSV header); a JSON object whose first line has
   * an {@code event_type} (EVE) or not (Zeek JSON). Null when none fits.
   */
  public static LogFormat sniff(byte[] head, int n) {
    if (n >= 4) {
      int m =
          (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | head[3] & 0xff;
      if (m == 0xa1b2c3d4
          || m == 0xd4c3b2a1
          || m == 0xa1b23c4d
          || m == 0x4d3cb2a1
          || m == 0x0a0d0d0a) {
        return PCAP;
      }
    }
    int i = 0;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
      i++;
    }
    if (i >= n) {
      return null;
    }
    if (head[i] == '#') {
      return ZEEK;
    }
    if (head[i] == '{') {
      int end = i;
      while (end < n && head[end] != '\n') {
        end++;
      }
      String first = new String(head, i, end - i, java.nio.charset.StandardCharsets.ISO_8859_1);
      if (end < n && !first.stripTrailing().endsWith("}")) {
        return null; // a JSON document over several lines (a baseline, say), not JSON lines
      }
      return first.contains("\"event_type\"") ? EVE : ZEEK;
    }
    return null;
  }
}
