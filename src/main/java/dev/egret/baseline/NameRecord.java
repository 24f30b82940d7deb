package dev.egret.baseline;

/**
 * A name seen for an address, by the host that looked it up or connected with it.
 *
 * @param host the internal host (DNS client, TLS/HTTP client)
 * @param address the address the name stood for
 * @param name the name as seen on the wire, in escaped printable form, bounded
 * @param source {@code dns}, {@code sni} or {@code http-host}
 * @param count times seen
 * @param firstSeenNs first time seen
 * @param lastSeenNs last time seen
 * @param maxTtl largest DNS TTL seen (seconds); 0 for SNI/Host
 */
public record NameRecord(
    String host,
    String address,
    String name,
    String source,
    long count,
    long firstSeenNs,
    long lastSeenNs,
    long maxTtl) {
  public NameRecord {
    if (host == null || address == null || name == null || source == null) {
      throw new BaselineException(
          "a name record needs host, address, name and source; "
              + (host == null
                  ? "host"
                  : address == null ? "address" : name == null ? "name" : "source")
              + " is missing");
    }
  }

  public String key() {
    return host + " " + address + " " + name + " " + source;
  }
}
