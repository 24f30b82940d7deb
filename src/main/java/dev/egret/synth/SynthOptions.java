package dev.egret.synth;

import java.time.Instant;

/**
 * What to generate. Generation stops admitting new conversations once either target is reached (a
 * zero target is unused), then lets the open ones finish, so output ends slightly past it.
 *
 * @param seed the only source of randomness: the same options give the same bytes
 * @param targetBytes approximate pcap file size, headers included
 * @param targetPackets approximate number of packets
 * @param start the first timestamp
 * @param days how many days the traffic is spread over
 * @param hosts how many internal hosts talk
 * @param hostile put rule-injection text into DNS names, TLS SNI and HTTP Host headers
 * @param trojan add a host that tries TCP port 25 on one address every 30 s, never answered
 */
public record SynthOptions(
    long seed,
    long targetBytes,
    long targetPackets,
    Instant start,
    int days,
    int hosts,
    boolean hostile,
    boolean trojan) {
  public static final int MAX_DAYS = 366;
  public static final int MAX_HOSTS = 40_000;

  public SynthOptions {
    if (targetBytes < 0 || targetPackets < 0 || (targetBytes == 0 && targetPackets == 0)) {
      throw new IllegalArgumentException(
          "need a positive size or packet target, got size "
              + targetBytes
              + " and packets "
              + targetPackets);
    }
    if (start == null) {
      throw new IllegalArgumentException("start time is required");
    }
    if (days < 1 || days > MAX_DAYS) {
      throw new IllegalArgumentException("days must be 1.." + MAX_DAYS + ": " + days);
    }
    if (hosts < 1 || hosts > MAX_HOSTS) {
      throw new IllegalArgumentException("hosts must be 1.." + MAX_HOSTS + ": " + hosts);
    }
  }
}
