package dev.egret.baseline;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An input the baseline absorbed: a capture, a live sensor, or a Zeek or Suricata log.
 *
 * @param kind {@code file}, {@code stdin} or {@code sensor} for packets; {@code zeek} or {@code
 *     eve} for logs
 * @param name file name (without its directory; for a Zeek logger directory, the path inside it) or
 *     sensor id
 * @param fingerprint SHA-256 over the file size, its first 4 MiB and its last 4 MiB (hex), so an
 *     input is recognised when absorbed again; empty for stdin and live sensors
 * @param firstNs first packet (for logs: first flow start)
 * @param lastNs last packet (for logs: last flow end)
 * @param packets packets read (for logs: the packets the flows carried, both directions)
 * @param sensor the sensor that wrote a log (Suricata's {@code host}, Zeek's {@code _node_name}, or
 *     {@code --sensor}); empty when unknown, and left out of the file then
 */
public record SourceRecord(
    String kind,
    String name,
    String fingerprint,
    long firstNs,
    long lastNs,
    long packets,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) String sensor) {

  public SourceRecord {
    sensor = sensor == null ? "" : sensor;
  }

  /** A source without a sensor name (captures). */
  public SourceRecord(
      String kind, String name, String fingerprint, long firstNs, long lastNs, long packets) {
    this(kind, name, fingerprint, firstNs, lastNs, packets, "");
  }

  public String key() {
    return kind + " " + name + " " + fingerprint + " " + firstNs;
  }
}
