package dev.egret.policy;

import java.util.List;

/**
 * What a rule or review item rests on.
 *
 * @param flows connections seen
 * @param days distinct days they were seen on
 * @param firstSeen first connection (ISO-8601 UTC)
 * @param lastSeen last connection (ISO-8601 UTC)
 * @param hosts source hosts seen making them
 * @param names names seen for the destinations
 * @param addresses destination addresses seen
 */
public record Evidence(
    long flows,
    int days,
    String firstSeen,
    String lastSeen,
    List<String> hosts,
    List<String> names,
    List<String> addresses) {
  public Evidence {
    hosts = List.copyOf(hosts == null ? List.of() : hosts);
    names = List.copyOf(names == null ? List.of() : names);
    addresses = List.copyOf(addresses == null ? List.of() : addresses);
  }
}
