package dev.egret.baseline;

/**
 * A DNS question a host asked, answered or not.
 *
 * @param host the internal host that asked
 * @param name the name asked for
 * @param count responses seen
 * @param failed responses with an error code (NXDOMAIN, SERVFAIL, ...)
 * @param firstSeenNs first response seen
 * @param lastSeenNs last response seen
 */
public record QueryRecord(
    String host, String name, long count, long failed, long firstSeenNs, long lastSeenNs) {
  public String key() {
    return host + " " + name;
  }
}
