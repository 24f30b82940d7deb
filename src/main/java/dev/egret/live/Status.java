package dev.egret.live;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a live capture has done so far, for the status line.
 *
 * @param wallNanos when, ns since the epoch
 * @param elapsedNanos since the capture started
 * @param packets packets captured (all interfaces)
 * @param packetsPerSecond over the last status interval
 * @param openFlows flows being tracked now
 * @param flows flows started
 * @param hosts internal hosts with learned egress
 * @param names names learned (host, address, name, source)
 * @param kernelDrops packets the kernel dropped (pcap stats)
 * @param interfaceDrops packets the interface dropped (pcap stats)
 * @param queueDrops packets dropped between the capture and processing threads
 * @param blocked new egress flows the policy would block (0 without a policy)
 * @param alerts alert lines written (the rest were rate-limited)
 * @param checkpoints baseline writes so far
 * @param done the final line, after the last checkpoint
 */
public record Status(
    long wallNanos,
    long elapsedNanos,
    long packets,
    double packetsPerSecond,
    int openFlows,
    long flows,
    int hosts,
    int names,
    long kernelDrops,
    long interfaceDrops,
    long queueDrops,
    long blocked,
    long alerts,
    long checkpoints,
    boolean done) {
  public long drops() {
    return kernelDrops + interfaceDrops + queueDrops;
  }

  /** One human line: {@code 1,234 packets (5,678/s), 12 flows open, ...}. */
  public String text() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%,d packets", packets));
    if (!done) {
      b.append(String.format(Locale.ROOT, " (%,.0f/s)", packetsPerSecond));
    }
    b.append(String.format(Locale.ROOT, ", %,d flows (%,d open)", flows, openFlows));
    b.append(String.format(Locale.ROOT, ", %,d hosts, %,d names", hosts, names));
    b.append(
        String.format(
            Locale.ROOT,
            ", drops %,d (kernel %,d, interface %,d, queue %,d)",
            drops(),
            kernelDrops,
            interfaceDrops,
            queueDrops));
    if (blocked > 0 || alerts > 0) {
      b.append(String.format(Locale.ROOT, ", %,d would be blocked (%,d alerts)", blocked, alerts));
    }
    b.append(", ").append(elapsed(elapsedNanos));
    return b.toString();
  }

  /** The same figures as one JSON object, for services that collect logs. */
  public String json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", Times.iso(wallNanos));
    m.put("event", done ? "stopped" : "status");
    m.put("elapsed_s", elapsedNanos / 1_000_000_000L);
    m.put("packets", packets);
    m.put("packets_per_s", Math.round(packetsPerSecond));
    m.put("flows", flows);
    m.put("open_flows", openFlows);
    m.put("hosts", hosts);
    m.put("names", names);
    m.put("kernel_drops", kernelDrops);
    m.put("interface_drops", interfaceDrops);
    m.put("queue_drops", queueDrops);
    m.put("blocked", blocked);
    m.put("alerts", alerts);
    m.put("checkpoints", checkpoints);
    return Times.json(m);
  }

  static String elapsed(long nanos) {
    long s = nanos / 1_000_000_000L;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    if (s < 86400) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    return String.format(Locale.ROOT, "%dd%02dh", s / 86400, (s % 86400) / 3600);
  }
}
