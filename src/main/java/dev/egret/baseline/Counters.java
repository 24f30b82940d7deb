package dev.egret.baseline;

/**
 * Totals over everything absorbed.
 *
 * @param packets packets read
 * @param malformed packets skipped as malformed
 * @param dropped packets the capture lost (kernel, interface, queue): evidence may be missing
 * @param truncatedFiles captures that ended inside a record
 * @param flows flows seen, all directions
 * @param egressFlows flows started by internal hosts (learned)
 * @param inboundFlows flows started from outside towards internal hosts (not learned)
 * @param externalFlows flows between two outside hosts (not learned)
 * @param chatterFlows broadcast, multicast, link-local and neighbour discovery (not learned)
 * @param excludedFlows flows of hosts the config excludes
 * @param overflowFlows egress flows only counted, neither kept nor summarised: the learner's
 *     summary table was full (see {@link SummaryRecord})
 */
public record Counters(
    long packets,
    long malformed,
    long dropped,
    long truncatedFiles,
    long flows,
    long egressFlows,
    long inboundFlows,
    long externalFlows,
    long chatterFlows,
    long excludedFlows,
    long overflowFlows) {
  public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Totals with nothing overflowed. */
  public Counters(
      long packets,
      long malformed,
      long dropped,
      long truncatedFiles,
      long flows,
      long egressFlows,
      long inboundFlows,
      long externalFlows,
      long chatterFlows,
      long excludedFlows) {
    this(
        packets,
        malformed,
        dropped,
        truncatedFiles,
        flows,
        egressFlows,
        inboundFlows,
        externalFlows,
        chatterFlows,
        excludedFlows,
        0);
  }

  public Counters plus(Counters o) {
    return new Counters(
        packets + o.packets,
        malformed + o.malformed,
        dropped + o.dropped,
        truncatedFiles + o.truncatedFiles,
        flows + o.flows,
        egressFlows + o.egressFlows,
        inboundFlows + o.inboundFlows,
        externalFlows + o.externalFlows,
        chatterFlows + o.chatterFlows,
        excludedFlows + o.excludedFlows,
        overflowFlows + o.overflowFlows);
  }
}
