package dev.egret.baseline;

/**
 * A capture the baseline absorbed.
 *
 * @param kind {@code file}, {@code stdin} or {@code sensor}
 * @param name file name (without its directory) or sensor id
 * @param fingerprint SHA-256 over the file size, its first 4 MiB and its last 4 MiB (hex), so a
 *     capture is recognised when absorbed again; empty for stdin and live sensors
 * @param firstNs first packet
 * @param lastNs last packet
 * @param packets packets read
 */
public record SourceRecord(
    String kind, String name, String fingerprint, long firstNs, long lastNs, long packets) {
  public String key() {
    return kind + " " + name + " " + fingerprint + " " + firstNs;
  }
}
