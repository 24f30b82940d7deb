package dev.egret.flow;

/**
 * Flow tracker counters.
 *
 * @param packets packets given to the tracker
 * @param flows flows started
 * @param evicted flows ended early because the table was full
 * @param icmpErrors ICMP error messages seen (not flows)
 * @param icmpRejections flows marked rejected by an ICMP unreachable
 * @param midstream TCP flows picked up without their SYN or SYN-ACK
 * @param strayResets TCP resets that belonged to no known connection (not flows)
 */
public record FlowStats(
    long packets,
    long flows,
    long evicted,
    long icmpErrors,
    long icmpRejections,
    long midstream,
    long strayResets) {}
