package dev.egret.baseline;

import dev.egret.baseline.Learner.Kind;
import dev.egret.net.CidrSet;

/**
 * How a learner's flows count ({@link Kind}: only egress is learned), how many of each kind it saw,
 * and the window they span: the baseline's counters.
 */
final class FlowCounts {
  private final EgretConfig config;
  private final CidrSet internal;
  private final CidrSet excludedNets;

  long flows;
  long egress;
  long inbound;
  long external;
  long chatter;
  long excluded;
  long windowStart = Long.MAX_VALUE;
  long windowEnd = Long.MIN_VALUE;

  /**
   * @param internal the config's internal networks
   * @param excludedNets the config's excluded networks
   */
  FlowCounts(EgretConfig config, CidrSet internal, CidrSet excludedNets) {
    this.config = config;
    this.internal = internal;
    this.excludedNets = excludedNets;
  }

  /** Counts a flow by its kind; true when it is egress, to be learned. */
  boolean counted(
      long initHi,
      long initLo,
      int initPort,
      long respHi,
      long respLo,
      int proto,
      long start,
      long end,
      boolean linkBroadcast) {
    flows++;
    windowStart = Math.min(windowStart, start);
    windowEnd = Math.max(windowEnd, end);
    switch (classify(initHi, initLo, initPort, respHi, respLo, proto, linkBroadcast)) {
      case EXCLUDED -> excluded++;
      case INBOUND -> inbound++;
      case EXTERNAL -> external++;
      case CHATTER -> chatter++;
      case EGRESS -> {
        egress++;
        return true;
      }
    }
    return false;
  }

  /** Sorts a flow ({@link Learner#classify(dev.egret.flow.FlowKey, boolean)}). */
  Kind classify(
      long initHi,
      long initLo,
      int initPort,
      long respHi,
      long respLo,
      int proto,
      boolean linkBroadcast) {
    if (excludedNets.contains(initHi, initLo) || excludedNets.contains(respHi, respLo)) {
      return Kind.EXCLUDED;
    }
    boolean inside = internal.contains(initHi, initLo);
    // Chatter is told apart before the initiator is judged: a DHCP discover comes from 0.0.0.0,
    // which is never inside, and would otherwise count as a flow between two outside hosts.
    if ((linkBroadcast || Chatter.is(initHi, initLo, initPort, respHi, respLo, proto))
        && !(inside && config.learnChatter())) {
      return Kind.CHATTER;
    }
    if (!inside) {
      return internal.contains(respHi, respLo) ? Kind.INBOUND : Kind.EXTERNAL;
    }
    return Kind.EGRESS;
  }
}
